// gcstress remote targets — the Node side of protocol 1 (targets/README.md), shared by the adapters.
//
//   serve(handlers)   the request loop: one JSON request per stdin line, one reply line per request,
//                     nothing else on stdout; an exception is a {"fatal": ...} reply; EOF exits.
//   Execution         per-execution numbering: allocation ids and slots from 1.
//   Event             events in the core's vocabulary, fields in one fixed order.
//   Rpc / listen      request/reply over a MessagePort: how the adapter drives its worker realms.
//
// What lives in a realm (the object table, WeakRef probes, collections) is in realm.mjs.
import process from 'node:process';

export const PROTOCOL = 1;

// Everything a library or the adapter prints goes to stderr: stdout carries replies only.
export function quietConsole() {
  const toStderr = (...args) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
  console.trace = toStderr;
}

function describe(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

// The request loop. `handlers` maps a request's "call" to a function (request) -> reply object
// (or a promise of one). Requests are handled strictly one at a time, in order. `onIdle` runs
// after each reply when no request is waiting (never between a request and its reply).
export function serve(handlers) {
  quietConsole();
  let buffer = '';
  const queue = [];
  let busy = false;
  let ended = false;

  const write = reply => {
    // Pipes are synchronous on Linux: the line is out before the next request is read.
    process.stdout.write(JSON.stringify(reply) + '\n');
  };

  const handle = async line => {
    let request;
    try {
      request = JSON.parse(line);
    } catch (err) {
      return { fatal: `unparsable request: ${describe(err)}` };
    }
    const fn = request !== null && typeof request === 'object' ? handlers[request.call] : undefined;
    if (typeof fn !== 'function') return { fatal: `unknown call ${JSON.stringify(request?.call)}` };
    try {
      const reply = await fn(request);
      return reply ?? {};
    } catch (err) {
      console.error(`adapter: ${request.call} failed:`, err);
      return { fatal: `${request.call}: ${describe(err)}` };
    }
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0) {
      const line = queue.shift();
      write(await handle(line));
    }
    busy = false;
    if (ended) process.exit(0);
  };

  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') queue.push(line);
    }
    pump();
  });
  process.stdin.on('end', () => {
    ended = true;
    if (buffer.trim() !== '') queue.push(buffer);
    buffer = '';
    pump();
  });
}

// Per-execution numbering: "ids and slots start again" at every begin.
export class Execution {
  constructor() {
    this.lastId = 0;
    this.lastSlot = 0;
    this.lastExport = 0;
    this.lastCall = 0;
  }
  nextId() {
    return ++this.lastId;
  }
  // Gives back the id nextId() just handed out, for something that turned out not to exist.
  unusedId(id) {
    if (id !== this.lastId) throw new Error(`id ${id} is not the last one handed out`);
    --this.lastId;
  }
  nextSlot() {
    return ++this.lastSlot;
  }
  nextExport() {
    return ++this.lastExport;
  }
  nextCall() {
    return ++this.lastCall;
  }
}

// One event, keys in a fixed order, defaults left out (the README's defaults: current_vm = vm,
// obj = other = value = aux = 0, site = the target's name).
export function Event(kind, vm, { current, obj, other, value, aux, site } = {}) {
  const e = { kind, vm };
  if (current !== undefined && current !== vm) e.current_vm = current;
  if (obj) e.obj = obj;
  if (other) e.other = other;
  if (value) e.value = value;
  if (aux) e.aux = aux;
  if (site) e.site = site;
  return e;
}

// The core's ObjectKind values (core/object.h): the `value` of an alloc event.
export const Kind = Object.freeze({
  plain: 0,
  subclass: 1,
  type: 2,
  proxy: 3,
  endpoint: 4,
  listener: 5,
  promise: 6,
});

// One event-loop turn: lets messages, FinalizationRegistry cleanup tasks and immediates run.
// (setImmediate is a turn of the loop, not a timer: nothing here depends on elapsed time.)
export const turn = () => new Promise(resolve => setImmediate(resolve));

// Request/reply over a MessagePort: the adapter's side of a worker realm's control channel.
export class Rpc {
  constructor(port) {
    this.port = port;
    this.seq = 0;
    this.waiting = new Map();
    this.dead = null;
    port.on('message', msg => {
      const w = this.waiting.get(msg.seq);
      if (w === undefined) return;
      this.waiting.delete(msg.seq);
      if (msg.error !== undefined) w.reject(new Error(msg.error));
      else w.resolve(msg.result);
    });
  }
  call(op, args = {}, transfer = []) {
    if (this.dead !== null) return Promise.reject(new Error(`realm is gone: ${this.dead}`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.port.postMessage({ seq, op, args }, transfer);
    });
  }
  // The realm died (its worker exited): every outstanding request fails.
  fail(why) {
    this.dead = why;
    for (const w of this.waiting.values()) w.reject(new Error(`realm is gone: ${why}`));
    this.waiting.clear();
  }
  close() {
    this.port.close();
  }
}

// The realm's side: answers Rpc requests with `ops[op](args)`, one at a time, in order.
export function listen(port, ops) {
  const queue = [];
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0) {
      const { seq, op, args } = queue.shift();
      let reply;
      try {
        const fn = ops[op];
        if (typeof fn !== 'function') throw new Error(`unknown realm op ${op}`);
        reply = { seq, result: await fn(args) };
      } catch (err) {
        console.error(`realm op ${op} failed:`, err);
        reply = { seq, error: `${op}: ${describe(err)}` };
      }
      port.postMessage(reply);
    }
    busy = false;
  };
  port.on('message', msg => {
    queue.push(msg);
    pump();
  });
}
