// gcstress comlink target — the adapter: Comlink 4.4.1 / 4.4.2 in Node 20, VM 0 this thread, every
// other VM a worker thread (targets/README.md, protocol 1).
//
// Op mapping (realm.mjs has the JS side):
//   new/set/clear    a Holder {f0..f3} in the current VM's realm / a store into its field
//   export obj -> D  a MessageChannel: Comlink.expose(obj, portA) in obj's realm, Comlink.wrap(portB)
//                    in D's; the proxy is bound
//   use p            a round trip through the proxy (a GET of a property the callee has)
//   call p from wp   an async function holding wp and p awaits p.serve(id); serve() stays pending
//                    in the callee's realm until that realm's `yield`
//   yield            answers every serve() pending in the current VM's realm; the callers' promises
//                    settle before the reply
//   release p        p[Comlink.releaseProxy]()
//   terminate w      worker.terminate()
//   gc               global.gc() in that realm, turns, WeakRef probes, until nothing changes
// A proxy into a terminated worker answers target-terminated without reaching Comlink (it would
// wait forever); a released one proxy-released (Comlink throws).
import { MessageChannel } from 'node:worker_threads';
import process from 'node:process';

import { Adapter, LocalRealm, WorkerRealm, handlersOf, nodeWorkerFactory } from '../node/adapter.mjs';
import { Event, Kind, serve } from '../node/protocol.mjs';
import { makeRealm } from './realm.mjs';

const WORKER = new URL('./worker.mjs', import.meta.url);

class ComlinkAdapter extends Adapter {
  constructor() {
    super({ name: 'comlink', versions: ['4.4.1', '4.4.2'], spares: 2 });
  }

  async init(version) {
    const Comlink = await import(`comlink-${version}/dist/esm/comlink.mjs`);
    this.library = `comlink ${version}, node ${process.version}`;
    this.main = new LocalRealm(makeRealm(Comlink).ops);
    const make = nodeWorkerFactory(WORKER);
    this.spawnWorker = () => WorkerRealm.spawn(make, { version });
  }

  onBegin(exec) {
    exec.exports = new Map(); // exportId -> {id, owner, dest, obj, proxy, endpoint, listener, dropped}
    exec.calls = new Map(); // callId -> {id, caller, callee, promise, listener, proxy, exportId}
  }

  // ---- export / use / call / yield / release / terminate ------------------------------------

  async op_export(req, out, cur) {
    const s = this.slotOf(req.obj);
    const owner = s.vm;
    const dest = req.vm;
    if (owner === dest) return 'same-vm';
    if (!this.alive(owner) || !this.alive(dest)) return 'terminated';
    // Comlink hands a proxy on by transferring it (Comlink.proxy), not by exposing it again.
    if (this.obj(s.id).kind === Kind.proxy) return 'not-supported';
    const ex = this.exec;
    const endpoint = ex.nextId();
    const proxy = ex.nextId();
    // Whether Comlink keeps a listener per proxy (its calls' resolvers behind it) or adds one
    // per call is seen, not assumed: the endpoint we hand it reports its addEventListener calls.
    let listener = ex.nextId();
    const exportId = ex.nextExport();
    const slot = ex.nextSlot();
    const { port1, port2 } = new MessageChannel();
    await this.realm(owner).call('expose', { port: port1, slot: s.slot, exportId }, [port1]);
    const added = await this.realm(dest).call(
      'wrap', { port: port2, slot, endpoint, proxy, listener, exportId }, [port2]);
    if (!added) {
      ex.unusedId(listener);
      listener = 0;
    }
    this.newObject(endpoint, dest, Kind.endpoint);
    this.newObject(proxy, dest, Kind.proxy, { owner, exportId, target: s.id, registered: true });
    if (listener) this.newObject(listener, dest, Kind.listener);
    ex.exports.set(exportId, { id: exportId, owner, dest, obj: s.id, proxy, endpoint, listener, dropped: false });
    ex.slots.set(slot, { slot, vm: dest, id: proxy });
    const site = this.site('export');
    const at = { current: cur, site };
    out.events.push(Event('alloc', dest, { ...at, obj: endpoint, value: Kind.endpoint }));
    out.events.push(Event('alloc', dest, { ...at, obj: proxy, value: Kind.proxy }));
    if (listener) {
      out.events.push(Event('alloc', dest, { ...at, obj: listener, value: Kind.listener }));
      out.events.push(Event('edge-set', dest, { ...at, obj: endpoint, other: listener, value: -1 }));
    }
    out.events.push(
      Event('registry-register', dest, { ...at, obj: proxy, other: endpoint, value: exportId, aux: 1 }),
    );
    out.events.push(Event('export', owner, { ...at, obj: s.id, other: proxy, value: dest, aux: exportId }));
    out.bind = { slot, obj: proxy };
  }

  // Checks shared by use, call and release of a proxy; a string is the op's error.
  proxyState(s) {
    if (!this.alive(s.vm)) return 'terminated';
    const p = this.obj(s.id);
    if (p.kind !== Kind.proxy) return null;
    if (p.invalid || !this.alive(p.owner)) return 'target-terminated';
    return p;
  }

  async op_use(req, out, cur) {
    const s = this.slotOf(req.obj);
    const p = this.proxyState(s);
    if (typeof p === 'string') return p;
    if (p === null) {
      await this.realm(s.vm).call('touch', { slot: s.slot });
      out.events.push(Event('use', s.vm, { current: cur, obj: s.id, site: this.site('use') }));
      return undefined;
    }
    const r = await this.realm(s.vm).call('use', { slot: s.slot });
    if (r !== 'ok') return r;
    out.events.push(Event('use', p.owner, { current: cur, obj: p.target, other: p.id, site: this.site('use') }));
    return undefined;
  }

  async op_call(req, out, cur) {
    const s = this.slotOf(req.obj);
    const p = this.proxyState(s);
    if (typeof p === 'string') return p;
    if (p === null) return 'not-a-proxy';
    if (p.released) return 'proxy-released';
    const from = req.from ? this.slotOf(req.from) : null;
    if (from !== null && from.vm !== s.vm) return 'cross-vm-reference';
    const ex = this.exec;
    const exp = ex.exports.get(p.exportId);
    const promise = ex.nextId();
    let listener = ex.nextId();
    const callId = ex.nextCall();
    const added = await this.realm(s.vm).call('call', {
      slot: s.slot,
      from: from?.slot ?? 0,
      callId,
      promise,
      listener,
    });
    if (!added) {
      ex.unusedId(listener);
      listener = 0;
    }
    // The call message reaches the callee (its serve() runs) before the reply.
    await this.realm(p.owner).call('arrival', { callId });
    this.newObject(promise, s.vm, Kind.promise);
    if (listener) this.newObject(listener, s.vm, Kind.listener);
    ex.calls.set(callId, {
      id: callId,
      caller: s.vm,
      callee: p.owner,
      promise,
      listener: listener || exp.listener,
      perCall: listener !== 0, // its own listener, removed with the reply
      proxy: p.id,
      exportId: p.exportId,
    });
    const at = { current: cur, site: this.site('call') };
    const vm = s.vm;
    out.events.push(Event('alloc', vm, { ...at, obj: promise, value: Kind.promise }));
    if (from !== null) out.events.push(Event('edge-set', vm, { ...at, obj: promise, other: from.id, value: 0 }));
    out.events.push(Event('edge-set', vm, { ...at, obj: promise, other: p.id, value: 1 }));
    if (listener) {
      out.events.push(Event('alloc', vm, { ...at, obj: listener, value: Kind.listener }));
      out.events.push(Event('edge-set', vm, { ...at, obj: listener, other: promise, value: 0 }));
      out.events.push(Event('edge-set', vm, { ...at, obj: exp.endpoint, other: listener, value: -1 }));
    } else {
      out.events.push(Event('edge-set', vm, { ...at, obj: exp.listener, other: promise, value: 0 }));
    }
    out.events.push(Event('call-begin', vm, { ...at, obj: promise, other: p.id, aux: callId }));
    return undefined;
  }

  async op_yield(req, out, cur) {
    if (!this.alive(cur)) return 'terminated';
    await this.serveAll(cur, out.events, cur);
    return undefined;
  }

  // Teardown's safe point: calls pending in `vm` are served (replies to terminated callers go
  // nowhere), as at a yield.
  async quiesce(vm, events, cur) {
    await this.serveAll(vm, events, cur);
  }

  // The safe point of `vm`: every serve() pending there is answered, and the callers' promises
  // settle before the reply (unless the reply cannot arrive).
  async serveAll(vm, events, cur) {
    const out = { events };
    const answered = await this.realm(vm).call('answer');
    const ex = this.exec;
    for (const callId of answered) {
      const c = ex.calls.get(callId);
      const exp = c && ex.exports.get(c.exportId);
      out.events.push(
        Event('call-serve', vm, { current: cur, obj: exp?.obj ?? 0, aux: callId, site: this.site('yield') }),
      );
    }
    // The replies reach the callers: their promises settle (unless the reply cannot arrive).
    for (const callId of answered) {
      const c = ex.calls.get(callId);
      if (c === undefined) continue;
      const p = this.obj(c.proxy);
      const exp = ex.exports.get(c.exportId);
      if (!this.alive(c.caller) || p.released || p.invalid || exp.dropped) continue;
      const { rejected } = await this.realm(c.caller).call('settled', { callId });
      const at = { current: cur, site: this.site('settle') };
      if (c.perCall) {
        out.events.push(Event('edge-clear', c.caller, { ...at, obj: exp.endpoint, other: c.listener, value: -1 }));
      } else {
        out.events.push(Event('edge-clear', c.caller, { ...at, obj: c.listener, other: c.promise, value: 0 }));
      }
      out.events.push(Event('call-settle', c.caller, { ...at, obj: c.promise, value: rejected ? 1 : 0, aux: callId }));
      ex.calls.delete(callId);
    }
  }

  async op_release(req, out, cur) {
    const s = this.slotOf(req.obj);
    const p = this.proxyState(s);
    if (typeof p === 'string') return p;
    if (p === null) return 'not-a-proxy';
    const r = await this.realm(s.vm).call('release', { slot: s.slot, exportId: p.exportId });
    if (r !== 'ok') return r;
    const exp = this.exec.exports.get(p.exportId);
    const at = { current: cur, site: this.site('release') };
    if (p.registered) {
      p.registered = false;
      out.events.push(
        Event('registry-unregister', s.vm, { ...at, obj: p.id, other: exp.endpoint, value: exp.id, aux: 1 }),
      );
    }
    p.released = true;
    out.events.push(Event('proxy-release', s.vm, { ...at, obj: p.id, value: p.owner, aux: exp.id }));
    await this.settleAll(out.events, cur);
    return undefined;
  }

  async op_terminate(req, out, cur) {
    const vm = this.exec.threads[req.worker].vm;
    if (!this.alive(vm)) return 'terminated';
    await this.terminateVm(vm, out.events, cur);
    out.stopped = [req.worker];
    this.replenish();
    return undefined;
  }

  // ---- what Comlink does when its objects die, or its peers go ------------------------------

  onProxyFreed(p, events, cur) {
    if (!p.registered) return;
    p.registered = false;
    const exp = this.exec.exports.get(p.exportId);
    events.push(
      Event('registry-callback', p.vm, {
        current: cur,
        obj: p.id,
        other: exp.endpoint,
        value: exp.id,
        aux: 1,
        site: this.site('finalizer'),
      }),
    );
  }

  // A RELEASE a proxy's finalizer posted (realm `vm`), and the expose handlers Comlink removed
  // after one (the owners). Returns how many.
  onDrain(vm, d, events, cur) {
    const ex = this.exec;
    // Messages on different ports arrive in no fixed order; what arrived does not depend on it.
    const ascending = ids => [...(ids ?? [])].sort((a, b) => a - b);
    for (const exportId of ascending(d.releases)) {
      const exp = ex.exports.get(exportId);
      events.push(
        Event('proxy-release', exp.dest, { current: cur, value: exp.owner, aux: exportId, site: this.site('finalizer') }),
      );
    }
    for (const exportId of ascending(d.drops)) {
      const exp = ex.exports.get(exportId);
      if (exp.dropped) continue;
      exp.dropped = true;
      events.push(
        Event('export-drop', exp.owner, {
          current: cur,
          obj: exp.obj,
          value: exp.dest,
          aux: exportId,
          site: this.site('release'),
        }),
      );
    }
    return (d.releases?.length ?? 0) + (d.drops?.length ?? 0);
  }

  // The gc reply carries the collecting realm's own releases and drops.
  afterProxiesFreed(vm, events, cur, info) {
    return this.onDrain(vm, info, events, cur);
  }

  // The worker is gone: its ports' peers close. Exports to it are gone with their ports.
  async onTerminated(vm, events, cur) {
    const ex = this.exec;
    for (const exp of [...ex.exports.values()].sort((a, b) => a.id - b.id)) {
      if (exp.dropped) continue;
      if (exp.owner === vm && this.alive(exp.dest)) {
        await this.realm(exp.dest).call('closed', { exportId: exp.id, side: 'wrap' });
      } else if (exp.dest === vm && this.alive(exp.owner)) {
        await this.realm(exp.owner).call('closed', { exportId: exp.id, side: 'expose' });
        exp.dropped = true;
        events.push(
          Event('export-drop', exp.owner, { current: cur, obj: exp.obj, value: vm, aux: exp.id, site: this.site('terminate') }),
        );
      }
    }
  }

  onDestroying(vm, events, cur) {
    for (const exp of [...this.exec.exports.values()].sort((a, b) => a.id - b.id)) {
      if (exp.dropped || exp.owner !== vm) continue;
      exp.dropped = true;
      events.push(
        Event('export-drop', vm, { current: cur, obj: exp.obj, value: exp.dest, aux: exp.id, site: this.site('terminate') }),
      );
    }
  }

  // Comlink's leak stays in this process: release what is left so it does not pile up.
  async onEnd() {
    for (let vm = 0; vm < this.exec.vms.length; vm++) {
      if (!this.alive(vm)) continue;
      const ids = [...this.exec.objs.values()]
        .filter(o => o.alive && o.vm === vm && o.kind === Kind.proxy)
        .map(o => o.id);
      await this.realm(vm).call('scrub', { ids });
    }
  }
}

serve(handlersOf(new ComlinkAdapter()));
