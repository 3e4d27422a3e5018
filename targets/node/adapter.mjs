// gcstress remote targets — what the Node adapters share: realms (VM 0 is this thread, every other
// VM a worker thread), scenario threads and their current VM, slots, ids, the generic ops, and
// teardown. A library's adapter subclasses Adapter and adds its own ops (export, use, ...).
//
// Determinism: every request is driven to a fixed point before its reply (realm requests are
// awaited one at a time, in a fixed order), events are composed here from what the realms report,
// in a fixed order, and ids are numbered here, in request order.
import process from 'node:process';
import { MessageChannel, Worker } from 'node:worker_threads';

import { Event, Execution, Kind, PROTOCOL, Rpc, listen } from './protocol.mjs';

export const MAX_TEARDOWN_PASSES = 32;

// VM 0: the realm of the adapter's own thread.
export class LocalRealm {
  constructor(ops) {
    this.ops = ops;
    this.isMain = true;
    this.terminated = false;
  }
  async call(op, args = {}) {
    const fn = this.ops[op];
    if (typeof fn !== 'function') throw new Error(`unknown realm op ${op}`);
    return fn(args);
  }
}

// Any other VM: a worker thread serving realm requests on a control port.
export class WorkerRealm {
  // node: the worker_threads Worker; library: the library's Worker object on top of it (or node).
  constructor(node, rpc, library = node) {
    this.node = node;
    this.library = library;
    this.rpc = rpc;
    this.isMain = false;
    this.terminated = false;
    this.exited = false;
    this.exit = new Promise(resolve => {
      node.on('exit', code => {
        this.exited = true;
        rpc.fail(`exited with code ${code}`);
        resolve(code);
      });
    });
    node.on('error', err => {
      console.error('worker error:', err);
      rpc.fail(String(err));
    });
  }
  // `make(workerData, transferList, port)` creates the thread: {node, library, attach}. `attach`,
  // if given, hands the worker its control port (when workerData cannot carry it).
  static async spawn(make, data = {}) {
    const { port1, port2 } = new MessageChannel();
    const { node, library, attach } = make({ ...data, ctl: port2 }, [port2], port2);
    if (attach) attach(port2);
    if (node.stdout) node.stdout.pipe(process.stderr, { end: false });
    const realm = new WorkerRealm(node, new Rpc(port1), library);
    await realm.call('ping');
    return realm;
  }
  call(op, args = {}, transfer = []) {
    return this.rpc.call(op, args, transfer);
  }
  // Terminates the thread the way the library's user would (its Worker's terminate()).
  async kill() {
    this.terminated = true;
    if (!this.exited) {
      this.library.terminate();
      await this.exit;
    }
    this.rpc.close();
  }
}

// The worker side of WorkerRealm: serve `ops` on the control port from workerData.
export function serveRealm(ctl, ops) {
  listen(ctl, { ping: () => true, ...ops });
}

export class Adapter {
  // name: the target's name; versions: the manifest's versions, the default first. A subclass
  // implements init(version): load the library, set this.library (for hello), this.main (VM 0's
  // realm) and this.spawnWorker() (a promise of a ready WorkerRealm).
  constructor({ name, versions, spares = 1 }) {
    this.name = name;
    this.versions = versions;
    this.version = null;
    this.library = name;
    this.main = null;
    this.spawnWorker = null;
    this.spareTarget = spares;
    this.spares = []; // promises of ready WorkerRealms, not yet given a VM
    this.assigned = new Map(); // vm index -> WorkerRealm, reused across executions while clean
    this.gen = 0;
    this.exec = null;
  }

  async init() {
    throw new Error('init(version) is not implemented');
  }

  site(what) {
    return `${this.name}.${what}`;
  }

  // ---- workers -------------------------------------------------------------------------------

  replenish() {
    while (this.spares.length < this.spareTarget) {
      const p = this.spawnWorker();
      p.catch(() => {}); // reported when taken
      this.spares.push(p);
    }
  }
  async takeWorker() {
    const p = this.spares.length > 0 ? this.spares.shift() : this.spawnWorker();
    return p;
  }
  async killRealm(vm) {
    const r = this.assigned.get(vm);
    this.assigned.delete(vm);
    if (r !== undefined) await r.kill();
  }

  // ---- per-execution state ------------------------------------------------------------------

  realm(vm) {
    return vm === 0 ? this.main : this.exec.realms[vm];
  }
  alive(vm) {
    const r = this.realm(vm);
    return r !== undefined && !r.terminated;
  }
  newObject(id, vm, kind, extra = {}) {
    const o = { id, vm, kind, alive: true, fields: [0, 0, 0, 0], ...extra };
    this.exec.objs.set(id, o);
    return o;
  }
  obj(id) {
    return this.exec.objs.get(id);
  }
  // The slot a request's variable names, with the object it holds.
  slotOf(value) {
    const s = this.exec.slots.get(value?.slot);
    if (s === undefined) throw new Error(`unknown slot ${JSON.stringify(value)}`);
    return s;
  }
  current(thread) {
    return this.exec.current[thread] ?? 0;
  }

  // ---- protocol calls -----------------------------------------------------------------------

  async hello(req) {
    // The version: hello's, else the environment's (GCS_TARGET_VERSION), else the default.
    const v = req.version || process.env.GCS_TARGET_VERSION || this.versions[0];
    if (!this.versions.includes(v)) throw new Error(`unknown version ${v} (have ${this.versions.join(', ')})`);
    if (this.version === null) {
      this.version = v;
      await this.init(v);
    } else if (this.version !== v) {
      throw new Error(`hello for version ${v}, but ${this.version} is loaded`);
    }
    this.replenish();
    return { protocol: PROTOCOL, name: this.name, library: this.library };
  }

  async begin(req) {
    if (this.exec !== null) await this.abandon();
    const { scenario } = req;
    this.gen++;
    const exec = new Execution();
    exec.scenario = scenario;
    exec.threads = scenario.threads;
    exec.vms = scenario.vms;
    exec.faults = req.faults ?? [];
    exec.current = scenario.threads.map(t => t.vm);
    exec.current.push(0); // the teardown thread
    exec.slots = new Map(); // slot -> {slot, vm, id}
    exec.objs = new Map(); // id -> object record
    exec.realms = [this.main];
    this.exec = exec;
    this.onBegin(exec);
    // Every VM's realm exists from begin: reuse the workers of the last execution, take spares
    // for the rest (spawned in parallel).
    const need = [];
    for (let vm = 1; vm < scenario.vms.length; vm++) {
      const r = this.assigned.get(vm);
      if (r !== undefined && !r.terminated && !r.exited) exec.realms[vm] = r;
      else need.push(vm);
    }
    const fresh = await Promise.all(need.map(() => this.takeWorker()));
    need.forEach((vm, i) => {
      exec.realms[vm] = fresh[i];
      this.assigned.set(vm, fresh[i]);
    });
    await Promise.all(exec.realms.map(r => r.call('reset', { gen: this.gen })));
    this.replenish();
    return { events: [] };
  }

  thread_begin(req) {
    this.exec.current[req.thread] = this.exec.threads[req.thread].vm;
    return { events: [] };
  }

  thread_end() {
    return { events: [] };
  }

  async apply(req) {
    const fn = this[`op_${req.op}`];
    if (typeof fn !== 'function') return { error: 'not-supported', events: [] };
    const out = { events: [] };
    const cur = this.current(req.thread);
    const result = await fn.call(this, req, out, cur);
    if (typeof result === 'string') out.error = result;
    return reorder(out);
  }

  async discard(req) {
    const out = { events: [] };
    if (req.kind !== 'handle') return out;
    const s = this.exec.slots.get(req.value?.slot);
    if (s === undefined) return out;
    this.exec.slots.delete(s.slot);
    if (this.alive(s.vm)) await this.realm(s.vm).call('drop', { slot: s.slot });
    return out;
  }

  // The spec's teardown (the core's: terminate the workers, then quiesce): workers that still
  // hold objects of this execution are terminated (clean ones are kept for the next execution:
  // there is nothing in them to let go of), every other realm reaches a safe point (the library
  // delivers what is pending there), and collections run until nothing changes.
  async teardown() {
    this.exec.tornDown = true;
    const out = { events: [] };
    await this.settleAll(out.events, 0);
    await this.collectEverywhere(out.events);
    for (let vm = 1; vm < this.exec.vms.length; vm++) {
      if (!this.alive(vm)) continue;
      if ([...this.exec.objs.values()].some(o => o.alive && o.vm === vm)) {
        await this.terminateVm(vm, out.events, 0);
      }
    }
    for (let vm = 0; vm < this.exec.vms.length; vm++) {
      if (this.alive(vm)) await this.quiesce(vm, out.events, 0);
    }
    await this.collectEverywhere(out.events);
    return out;
  }

  async live() {
    const live = [];
    for (let vm = 0; vm < this.exec.vms.length; vm++) {
      if (this.alive(vm)) live.push(...(await this.realm(vm).call('live')));
    }
    return { live: live.sort((a, b) => a - b) };
  }

  async end() {
    if (this.exec === null) return {};
    if (this.exec.tornDown) {
      await this.onEnd();
      this.exec = null;
    } else {
      await this.abandon();
    }
    this.replenish();
    return {};
  }

  // `end` without teardown (a deadlock, a failure): nothing of the execution may leak into the
  // next one, so its workers go, and main's realm forgets its objects.
  async abandon() {
    for (let vm = 1; vm < this.exec.realms.length; vm++) {
      if (this.alive(vm)) await this.killRealm(vm);
    }
    await this.main.call('reset', { gen: -1 });
    this.exec = null;
  }

  // ---- generic ops --------------------------------------------------------------------------

  async op_new(req, out, cur) {
    if (!this.alive(cur)) return 'terminated';
    const id = this.exec.nextId();
    const slot = this.exec.nextSlot();
    const sub = req.type === 'subclass';
    await this.realm(cur).call('new', { slot, id, sub });
    this.newObject(id, cur, sub ? Kind.subclass : Kind.plain);
    this.exec.slots.set(slot, { slot, vm: cur, id });
    out.events.push(
      Event('alloc', cur, { obj: id, value: sub ? Kind.subclass : Kind.plain, site: this.site('new') }),
    );
    out.bind = { slot, obj: id };
  }

  async op_set(req, out, cur) {
    const s = this.slotOf(req.obj);
    const t = this.slotOf(req.to);
    if (!this.alive(s.vm)) return 'terminated';
    if (s.vm !== t.vm) return 'cross-vm-reference';
    const o = this.obj(s.id);
    if (o.kind !== Kind.plain && o.kind !== Kind.subclass) return 'field-index';
    await this.realm(s.vm).call('set', { slot: s.slot, field: req.field, to: t.slot });
    const old = o.fields[req.field];
    o.fields[req.field] = t.id;
    const site = this.site('set');
    out.events.push(Event('edge-set', s.vm, { current: cur, obj: s.id, other: t.id, value: req.field, site }));
    if (old) {
      out.events.push(Event('edge-clear', s.vm, { current: cur, obj: s.id, other: old, value: req.field, site }));
    }
  }

  async op_clear(req, out, cur) {
    const s = this.slotOf(req.obj);
    if (!this.alive(s.vm)) return 'terminated';
    const o = this.obj(s.id);
    if (o.kind !== Kind.plain && o.kind !== Kind.subclass) return 'field-index';
    await this.realm(s.vm).call('clear', { slot: s.slot, field: req.field });
    const old = o.fields[req.field];
    o.fields[req.field] = 0;
    if (old) {
      out.events.push(
        Event('edge-clear', s.vm, { current: cur, obj: s.id, other: old, value: req.field, site: this.site('clear') }),
      );
    }
  }

  async op_switch_vm(req, out, cur) {
    if (!this.alive(req.vm)) return 'terminated';
    this.exec.current[req.thread] = req.vm;
    out.events.push(Event('vm-switch', req.vm, { value: cur, site: this.site('switch_vm') }));
  }

  async op_gc(req, out, cur) {
    const vm = req.vm ?? cur;
    if (!this.alive(vm)) return 'terminated';
    await this.collectIn(vm, out.events, cur, { always: true });
  }

  // ---- collections --------------------------------------------------------------------------

  // One realm's collection to a fixed point, reported as collect-begin, frees (and what the
  // library does when its objects die), collect-end, then what the other realms observed.
  // Without `always`, a collection that changed nothing reports nothing. Returns the VMs that
  // may have garbage now: the owners of the proxies that died, and realms that observed
  // something (an owner dropping an export).
  async collectIn(vm, events, cur, { always = false } = {}) {
    const r = await this.realm(vm).call('gc');
    const body = [];
    const dead = r.rounds.flat();
    const { freed } = this.freeEvents(vm, dead, body, cur, r);
    if (always || body.length > 0) {
      events.push(Event('collect-begin', vm, { current: cur, site: this.site('gc') }));
      events.push(...body);
      events.push(Event('collect-end', vm, { current: cur, value: freed, site: this.site('gc') }));
    }
    const touched = new Set();
    for (const id of dead) {
      const o = this.obj(id);
      if (o?.kind === Kind.proxy && o.owner !== undefined) touched.add(o.owner);
    }
    for (const v of await this.settleAll(events, cur, vm)) touched.add(v);
    return touched;
  }

  // Frees of `dead` (ids of `vm`), proxies first: what a proxy's death makes its library do
  // (a registry callback that lets go of an endpoint) comes before the frees that follow from it.
  freeEvents(vm, dead, events, cur, info) {
    const site = this.site('gc');
    const sorted = [...dead].sort((a, b) => a - b);
    const proxies = sorted.filter(id => this.obj(id)?.kind === Kind.proxy);
    const others = sorted.filter(id => this.obj(id)?.kind !== Kind.proxy);
    let freed = 0;
    for (const id of proxies) {
      const o = this.obj(id);
      if (!o.alive) continue;
      o.alive = false;
      freed++;
      events.push(Event('free', vm, { current: cur, obj: id, site }));
      this.onProxyFreed(o, events, cur, info);
    }
    const observed = this.afterProxiesFreed(vm, events, cur, info);
    for (const id of others) {
      const o = this.obj(id);
      if (o === undefined || !o.alive) continue;
      o.alive = false;
      freed++;
      events.push(Event('free', vm, { current: cur, obj: id, site }));
    }
    return { freed, observed };
  }

  // Collections until nothing changes: every realm that holds objects of this execution, then
  // every realm something happened to (workers first, then main). A proxy's finalizer in one
  // realm makes its owner let go of the object, which the owner's next collection frees.
  async collectEverywhere(events) {
    const dirty = new Set();
    for (const o of this.exec.objs.values()) {
      if (o.alive && this.alive(o.vm)) dirty.add(o.vm);
    }
    for (let n = 0; dirty.size > 0; n++) {
      if (n > MAX_TEARDOWN_PASSES * this.exec.vms.length) {
        console.error('adapter: teardown found no fixed point');
        return;
      }
      const vms = [...dirty].sort((a, b) => a - b);
      const vm = vms.find(v => v > 0) ?? 0;
      dirty.delete(vm);
      if (!this.alive(vm)) continue;
      for (const v of await this.collectIn(vm, events, 0)) {
        if (this.alive(v)) dirty.add(v);
      }
    }
  }

  // What every realm observed asynchronously (a library's reaction to another realm's message),
  // in VM order. `skip`: a realm whose observations were just taken. Returns the VMs that
  // observed something.
  async settleAll(events, cur, skip = -1) {
    const touched = [];
    for (let vm = 0; vm < this.exec.vms.length; vm++) {
      if (vm === skip || !this.alive(vm)) continue;
      const d = await this.realm(vm).call('drain');
      if (this.onDrain(vm, d, events, cur) > 0) touched.push(vm);
    }
    return touched;
  }

  // Terminating a worker's VM: what the library does to its peers, then the VM's heap goes.
  // Reported as the core reports it: proxy-invalidate, export-drop (tables for it), terminate,
  // vm-destroy-begin, export-drop (its own), free (everything it held), vm-destroy-end.
  async terminateVm(vm, events, cur) {
    const site = this.site('terminate');
    for (const o of [...this.exec.objs.values()].sort((a, b) => a.id - b.id)) {
      if (o.alive && o.kind === Kind.proxy && o.owner === vm && !o.invalid && o.vm !== vm) {
        o.invalid = true;
        events.push(Event('proxy-invalidate', o.vm, { current: cur, obj: o.id, value: vm, site }));
      }
    }
    await this.killRealm(vm);
    await this.onTerminated(vm, events, cur);
    events.push(Event('terminate', vm, { current: cur, site }));
    events.push(Event('vm-destroy-begin', vm, { current: cur, site }));
    this.onDestroying(vm, events, cur);
    let n = 0;
    for (const o of [...this.exec.objs.values()].sort((a, b) => a.id - b.id)) {
      if (o.alive && o.vm === vm) {
        o.alive = false;
        n++;
        events.push(Event('free', vm, { current: cur, obj: o.id, site }));
      }
    }
    events.push(Event('vm-destroy-end', vm, { current: cur, value: n, site }));
    for (const [slot, s] of this.exec.slots) {
      if (s.vm === vm) this.exec.slots.delete(slot);
    }
  }

  // ---- hooks for the library adapters -------------------------------------------------------
  onBegin() {}
  onProxyFreed() {}
  afterProxiesFreed() {
    return 0;
  }
  onDrain() {
    return 0;
  }
  async onTerminated() {}
  onDestroying() {}
  // A safe point of `vm` at teardown: what the library has pending there is delivered.
  async quiesce() {}
  async onEnd() {}
}

// Reply keys in one order: error, bind, events, stopped.
function reorder(out) {
  const r = {};
  if (out.error) r.error = out.error;
  if (out.bind) r.bind = out.bind;
  r.events = out.events;
  if (out.stopped) r.stopped = out.stopped;
  return r;
}

// The protocol's calls, bound to an adapter.
export function handlersOf(adapter) {
  return {
    hello: req => adapter.hello(req),
    begin: req => adapter.begin(req),
    thread_begin: req => adapter.thread_begin(req),
    apply: req => adapter.apply(req),
    discard: req => adapter.discard(req),
    thread_end: req => adapter.thread_end(req),
    teardown: req => adapter.teardown(req),
    live: req => adapter.live(req),
    inspect: () => ({ alive: false, refcount: -1, vm: 0 }),
    end: req => adapter.end(req),
  };
}

// A worker_threads Worker running `script` with `data`; its stdout goes to our stderr.
export function nodeWorkerFactory(script) {
  return (data, transferList) => {
    const node = new Worker(script, { workerData: data, transferList, stdout: true });
    return { node };
  };
}
