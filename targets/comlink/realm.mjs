// gcstress comlink target — one realm's side (the main thread, or a worker), for Comlink 4.4.x.
//
// An export is one MessageChannel: the owner realm does Comlink.expose(obj, portA), the
// destination realm Comlink.wrap(portB) and keeps the proxy. Comlink itself is never touched;
// what we observe we observe on the ports we hand it (own-property wrappers of the port's
// addEventListener / removeEventListener / postMessage, and the port's 'close' event):
//   wrap side   the listener Comlink adds for a call (4.4.1) or once per proxy (4.4.2, which keeps
//               the calls' resolvers in a map behind it); a RELEASE it posts on its own (its
//               FinalizationRegistry saw the proxy collected); the port closing
//   expose side Comlink removing its message handler (after a RELEASE: the export is gone); the
//               port closing
// A call is an async function whose frame holds the calling object and the proxy while it awaits
// proxy.serve(callId); the callee's serve() stays pending until its realm's `answer` (a `yield`).
import { Holder, Realm } from '../node/realm.mjs';

const MessagePortProto = Object.getPrototypeOf(new MessageChannel().port1);

function keep() {}

// The call's frame: holds `holder` and `proxy` until the reply arrives.
async function pendingCall(holder, proxy, callId) {
  const result = await proxy.serve(callId);
  keep(holder, proxy);
  return result;
}

export function makeRealm(Comlink) {
  const realm = new Realm();
  const state = {
    capture: null, // set while we call into Comlink and want to see the listener it adds
    releasing: false, // set while we call releaseProxy: its RELEASE is not a finalizer's
    ports: new Map(), // `${exportId}:${side}` -> port record (never the port itself)
    expecting: new Set(), // port records whose 'close' a RELEASE will bring
    releases: [], // exportIds whose proxy's finalizer posted a RELEASE
    drops: [], // exportIds whose expose handler Comlink removed
    serves: [], // pending serve() calls here: {callId, resolve}
    arrived: new Map(), // callId -> true | [waiters]
    calls: new Map(), // callId -> {settled, rejected, waiters}
  };

  // The callee side of a call: pending until this realm's next `answer`.
  Holder.prototype.serve = function serve(callId) {
    return new Promise(resolve => {
      state.serves.push({ callId, resolve });
      const w = state.arrived.get(callId);
      state.arrived.set(callId, true);
      if (Array.isArray(w)) for (const f of w) f();
    });
  };

  const record = (exportId, side) => {
    const rec = { gen: realm.gen, exportId, side, closed: false, waiters: [] };
    state.ports.set(`${exportId}:${side}`, rec);
    return rec;
  };
  const watchClose = (port, rec) => {
    port.on('close', () => {
      rec.closed = true;
      const w = rec.waiters;
      rec.waiters = [];
      for (const f of w) f();
    });
  };
  const closed = rec =>
    new Promise(resolve => {
      if (rec.closed) resolve();
      else rec.waiters.push(resolve);
    });
  // Waits for every 'close' a RELEASE promised; true if there was any.
  const settle = async () => {
    if (state.expecting.size === 0) return false;
    const recs = [...state.expecting];
    state.expecting.clear();
    await Promise.all(recs.map(closed));
    return true;
  };

  const instrumentWrapSide = (port, rec) => {
    port.addEventListener = function addEventListener(type, listener, options) {
      if (type === 'message' && state.capture !== null) state.capture(listener);
      return MessagePortProto.addEventListener.call(this, type, listener, options);
    };
    port.postMessage = function postMessage(message, transfer) {
      if (message?.type === 'RELEASE' && !state.releasing && rec.gen === realm.gen) {
        state.releases.push(rec.exportId);
        state.expecting.add(rec);
      }
      return MessagePortProto.postMessage.call(this, message, transfer);
    };
    watchClose(port, rec);
  };

  const instrumentExposeSide = (port, rec) => {
    port.removeEventListener = function removeEventListener(type, listener, options) {
      if (type === 'message' && rec.gen === realm.gen) state.drops.push(rec.exportId);
      return MessagePortProto.removeEventListener.call(this, type, listener, options);
    };
    watchClose(port, rec);
  };

  const isReleasedError = err => /released/i.test(String(err?.message ?? err));

  const ops = {
    ...realm.baseOps(),

    reset: ({ gen }) => {
      realm.reset(gen);
      state.ports.clear();
      state.expecting.clear();
      state.releases = [];
      state.drops = [];
      // Serves pending from an earlier execution are never answered: their replies would go to
      // ports of that execution.
      state.serves = [];
      state.arrived.clear();
      state.calls.clear();
      return true;
    },

    expose: ({ port, slot, exportId }) => {
      instrumentExposeSide(port, record(exportId, 'expose'));
      Comlink.expose(realm.get(slot), port);
      return true;
    },

    // Binds the proxy; probes the endpoint, the proxy and the listener Comlink adds while
    // wrapping, if it adds one. Returns whether it did.
    wrap: ({ port, slot, endpoint, proxy, listener, exportId }) => {
      instrumentWrapSide(port, record(exportId, 'wrap'));
      let seen = null;
      state.capture = l => {
        seen = l;
      };
      let p;
      try {
        p = Comlink.wrap(port);
      } finally {
        state.capture = null;
      }
      realm.put(slot, p);
      realm.probe(endpoint, port);
      realm.probe(proxy, p);
      if (seen !== null) realm.probe(listener, seen);
      return seen !== null;
    },

    // A round trip through the proxy: Comlink GETs `kind` from the exported object.
    use: async ({ slot }) => {
      try {
        const kind = await realm.get(slot).kind;
        return typeof kind === 'string' ? 'ok' : 'dangling-proxy';
      } catch (err) {
        if (isReleasedError(err)) return 'proxy-released';
        throw err;
      }
    },

    // Starts a call from `from` (0: none); probes its promise and the listener Comlink adds for
    // it, if it adds one. Returns whether it did.
    call: ({ slot, from, callId, promise, listener }) => {
      const proxy = realm.get(slot);
      const holder = from ? realm.get(from) : undefined;
      let seen = null;
      state.capture = l => {
        seen = l;
      };
      let p;
      try {
        p = pendingCall(holder, proxy, callId);
      } finally {
        state.capture = null;
      }
      realm.probe(promise, p);
      if (seen !== null) realm.probe(listener, seen);
      const rec = { settled: false, rejected: false, waiters: [] };
      state.calls.set(callId, rec);
      const done = rejected => {
        rec.settled = true;
        rec.rejected = rejected;
        const w = rec.waiters;
        rec.waiters = [];
        for (const f of w) f();
      };
      p.then(
        () => done(false),
        () => done(true),
      );
      return seen !== null;
    },

    // Resolves when call `callId` reached serve() here.
    arrival: ({ callId }) =>
      new Promise(resolve => {
        const a = state.arrived.get(callId);
        if (a === true) return resolve(true);
        if (Array.isArray(a)) a.push(() => resolve(true));
        else state.arrived.set(callId, [() => resolve(true)]);
      }),

    // The safe point: answers every serve() pending here, in arrival order.
    answer: () => {
      const serves = state.serves;
      state.serves = [];
      for (const s of serves) s.resolve(s.callId);
      return serves.map(s => s.callId);
    },

    // Resolves when the call's promise settled here: {rejected}.
    settled: ({ callId }) =>
      new Promise((resolve, reject) => {
        const rec = state.calls.get(callId);
        if (rec === undefined) return reject(new Error(`no call ${callId} here`));
        if (rec.settled) return resolve({ rejected: rec.rejected });
        rec.waiters.push(() => resolve({ rejected: rec.rejected }));
      }),

    // proxy[releaseProxy](), then the port closing (the owner answered and closed its side).
    release: async ({ slot, exportId }) => {
      const proxy = realm.get(slot);
      state.releasing = true;
      try {
        proxy[Comlink.releaseProxy]();
      } catch (err) {
        if (isReleasedError(err)) return 'proxy-released';
        throw err;
      } finally {
        state.releasing = false;
      }
      const rec = state.ports.get(`${exportId}:wrap`);
      if (rec !== undefined) await closed(rec);
      return 'ok';
    },

    // Resolves when a port of ours closed (after its peer's worker was terminated).
    closed: async ({ exportId, side }) => {
      const rec = state.ports.get(`${exportId}:${side}`);
      if (rec !== undefined) await closed(rec);
      return true;
    },

    gc: async () => {
      const rounds = await realm.collect(settle);
      return { rounds, ...ops.drain() };
    },

    drain: () => {
      const out = { releases: state.releases, drops: state.drops };
      state.releases = [];
      state.drops = [];
      return out;
    },

    // After the execution: proxies that are still alive (Comlink's leak) are released so that
    // their chains do not pile up in this process. Nothing of it is reported.
    scrub: ({ ids }) => {
      state.releasing = true;
      try {
        for (const id of ids) {
          const p = realm.probes.get(id)?.deref();
          if (p === undefined) continue;
          try {
            p[Comlink.releaseProxy]();
          } catch {
            // released already
          }
        }
      } finally {
        state.releasing = false;
      }
      realm.reset(-1);
      state.serves = [];
      return true;
    },
  };
  return { realm, ops };
}
