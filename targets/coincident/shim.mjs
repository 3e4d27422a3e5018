// gcstress coincident target — the browser APIs coincident expects, on Node 20's worker_threads.
//
// Only browser API surface, nothing of coincident's: a `Worker` class on EventTarget over a
// worker_threads Worker (the main side), the worker global's addEventListener / postMessage with
// messages queued until the first 'message' listener (the worker side: workerShim), and
// Promise.withResolvers (Node 22 has it, Node 20 not). Import it before coincident: sabayon reads
// globalThis.Worker, addEventListener and postMessage when it loads.
//
// One addition of the harness's own: a message {[CONTROL]: ...} posted to a worker by
// attachControl() is taken by the worker side of the shim (controlMessage()), never dispatched to
// the page's listeners. It carries the adapter's control port.
import { Worker as NodeWorker, isMainThread, parentPort } from 'node:worker_threads';

export const CONTROL = '__gcstress_control__';
const NODE = Symbol('gcstress.nodeWorker');

if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// postMessage(data, transfer) and postMessage(data, {transfer}) both give a transfer list.
function transferList(arg) {
  if (Array.isArray(arg)) return arg;
  if (arg && Array.isArray(arg.transfer)) return arg.transfer;
  return undefined;
}

// The main thread's Worker: messages from the worker are 'message' events on it.
class Worker extends EventTarget {
  constructor(url, options = {}) {
    super();
    const node = new NodeWorker(url, { name: options?.name, stdout: true });
    this[NODE] = node;
    node.on('message', data => this.dispatchEvent(new MessageEvent('message', { data })));
    node.on('messageerror', err => this.dispatchEvent(new MessageEvent('messageerror', { data: err })));
    node.on('error', err => {
      const ev = new Event('error');
      ev.error = err;
      ev.message = String(err?.message ?? err);
      this.dispatchEvent(ev);
    });
  }
  postMessage(data, transfer) {
    this[NODE].postMessage(data, transferList(transfer));
  }
  terminate() {
    this[NODE].terminate();
  }
}

// The worker_threads Worker behind a shim Worker (or behind a subclass of it).
export function nodeWorkerOf(worker) {
  return worker[NODE];
}

// Hands the worker a value (ports in `transfer`) that only controlMessage() sees there.
export function attachControl(worker, value, transfer = []) {
  worker[NODE].postMessage({ [CONTROL]: value }, transfer);
}

let control = null;
// The worker side: the value attachControl() sent.
export function controlMessage() {
  if (control === null) throw new Error('controlMessage() is for worker threads');
  return control;
}

if (isMainThread) {
  globalThis.Worker = Worker;
} else {
  const target = new EventTarget();
  const queue = [];
  let listening = false;
  let gotControl;
  control = new Promise(resolve => {
    gotControl = resolve;
  });
  parentPort.on('message', data => {
    if (data !== null && typeof data === 'object' && CONTROL in data) {
      gotControl(data[CONTROL]);
      return;
    }
    const ev = new MessageEvent('message', { data });
    if (listening) target.dispatchEvent(ev);
    else queue.push(ev);
  });
  globalThis.addEventListener = (type, listener, options) => {
    target.addEventListener(type, listener, options);
    if (type === 'message' && !listening) {
      listening = true;
      for (const ev of queue.splice(0)) target.dispatchEvent(ev);
    }
  };
  globalThis.removeEventListener = (type, listener, options) =>
    target.removeEventListener(type, listener, options);
  globalThis.dispatchEvent = ev => target.dispatchEvent(ev);
  globalThis.postMessage = (data, transfer) => parentPort.postMessage(data, transferList(transfer));
}
