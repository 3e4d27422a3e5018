// gcstress coincident target — the adapter: coincident 2.1.4 / 2.2.3 (window API) in Node 20 with
// a browser-API shim, VM 0 this thread, every other VM a worker (targets/README.md, protocol 1).
//
// Op mapping (realm.mjs has the JS side):
//   new/set/clear    a Holder {f0..f3} in the current VM's realm / a store into its field
//   export doc -> w  the worker reads doc through coincident's `window` proxy; the proxy is bound.
//                    Only main's objects can be exported (coincident's window API)
//   use p            a property read through the proxy: a synchronous round trip to main. It
//                    failing is dangling-proxy: main has no entry for the proxy's id any more
//   gc               global.gc() in that realm, turns, WeakRef probes, until nothing changes; a
//                    worker proxy's collection makes coincident send its release to main
//   yield            a safe point: coincident has nothing pending there
import process from 'node:process';

import { attachControl, nodeWorkerOf } from './shim.mjs';
import { Adapter, LocalRealm, WorkerRealm, handlersOf } from '../node/adapter.mjs';
import { Event, Kind, serve } from '../node/protocol.mjs';
import { makeMainRealm } from './realm.mjs';

const WORKER = new URL('./worker.mjs', import.meta.url);

// coincident 2.1.4's main side throws when a worker reads through an id it already dropped
// (TypeError: Reflect.get called on non-object), in an async function nobody awaits: without a
// handler that kills this process. The worker's read fails too, which is what the use reports.
const stray = [];
process.on('unhandledRejection', err => {
  stray.push(err);
  console.error(`coincident (main): unhandled rejection: ${err?.name}: ${err?.message}`);
});
process.on('uncaughtException', err => {
  stray.push(err);
  console.error(`coincident (main): uncaught exception: ${err?.name}: ${err?.message}`);
});

class CoincidentAdapter extends Adapter {
  constructor() {
    super({ name: 'coincident', versions: ['2.1.4', '2.2.3'] });
  }

  async init(version) {
    const { default: coincident } = await import(`coincident-${version}/window/main`);
    const { Worker } = coincident();
    this.library = `coincident ${version} (window API, browser shim), node ${process.version}`;
    this.main = new LocalRealm(makeMainRealm().ops);
    const make = () => {
      const w = new Worker(WORKER);
      return {
        node: nodeWorkerOf(w),
        library: w,
        attach: port => attachControl(w, { port, version }, [port]),
      };
    };
    this.spawnWorker = () => WorkerRealm.spawn(make);
  }

  onBegin(exec) {
    exec.exports = new Map(); // exportId -> {id, dest, obj, proxy}
  }

  async op_export(req, out, cur) {
    const s = this.slotOf(req.obj);
    const dest = req.vm;
    if (s.vm === dest) return 'same-vm';
    if (s.vm !== 0) return 'not-supported'; // a worker cannot hand its objects out by `window`
    if (!this.alive(dest)) return 'terminated';
    const ex = this.exec;
    const proxy = ex.nextId();
    const exportId = ex.nextExport();
    const slot = ex.nextSlot();
    await this.main.call('offer', { exportId, slot: s.slot });
    await this.realm(dest).call('take', { exportId, slot, proxy });
    await this.main.call('withdraw', { exportId });
    this.newObject(proxy, dest, Kind.proxy, { owner: 0, exportId, target: s.id, registered: true });
    ex.exports.set(exportId, { id: exportId, dest, obj: s.id, proxy });
    ex.slots.set(slot, { slot, vm: dest, id: proxy });
    const at = { current: cur, site: this.site('export') };
    out.events.push(Event('alloc', dest, { ...at, obj: proxy, value: Kind.proxy }));
    out.events.push(Event('registry-register', dest, { ...at, obj: proxy, value: exportId, aux: 1 }));
    out.events.push(Event('export', 0, { ...at, obj: s.id, other: proxy, value: dest, aux: exportId }));
    out.bind = { slot, obj: proxy };
    return undefined;
  }

  async op_use(req, out, cur) {
    const s = this.slotOf(req.obj);
    if (!this.alive(s.vm)) return 'terminated';
    const o = this.obj(s.id);
    if (o.kind !== Kind.proxy) {
      await this.realm(s.vm).call('touch', { slot: s.slot });
      out.events.push(Event('use', s.vm, { current: cur, obj: s.id, site: this.site('use') }));
      return undefined;
    }
    const r = await this.realm(s.vm).call('use', { slot: s.slot });
    if (r !== 'ok') return r;
    out.events.push(Event('use', 0, { current: cur, obj: o.target, other: o.id, site: this.site('use') }));
    return undefined;
  }

  async op_yield(req, out, cur) {
    if (!this.alive(cur)) return 'terminated';
    return undefined;
  }

  // The proxy's finalizer (coincident's, through gc-hook) sends its release to main.
  onProxyFreed(p, events, cur) {
    if (!p.registered) return;
    p.registered = false;
    const site = this.site('finalizer');
    events.push(Event('registry-callback', p.vm, { current: cur, obj: p.id, value: p.exportId, aux: 1, site }));
    events.push(Event('proxy-release', p.vm, { current: cur, value: 0, aux: p.exportId, site }));
  }
}

serve(handlersOf(new CoincidentAdapter()));
