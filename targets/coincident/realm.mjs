// gcstress coincident target — the realms' side.
//
// Main (VM 0) offers an object to a worker by putting it, for the moment of one read, on a table
// the page's global holds (globalThis.gcstressExports, read by the worker once through
// coincident's `window` proxy and kept). The worker reads table[`x${id}`] through that proxy:
// coincident's main side holds the object in its heap and hands the worker an id, and the
// worker's coincident wraps it in a proxy it registers for finalization. Main then takes the
// object off the table, so only coincident (and the scenario's own handles) hold it.
//   use p   a property read through the proxy (a synchronous round trip to main)
//   gc      the worker's collection: coincident's finalizer sends its release to main itself
import { Realm } from '../node/realm.mjs';

export const TABLE = 'gcstressExports';

export function makeMainRealm() {
  const realm = new Realm();
  const table = Object.create(null);
  globalThis[TABLE] = table;
  return {
    realm,
    ops: {
      ...realm.baseOps(),
      offer: ({ exportId, slot }) => {
        table[`x${exportId}`] = realm.get(slot);
        return true;
      },
      withdraw: ({ exportId }) => {
        delete table[`x${exportId}`];
        return true;
      },
      gc: async () => ({ rounds: await realm.collect() }),
      drain: () => ({}),
    },
  };
}

export async function makeWorkerRealm(coincident) {
  const { window } = await coincident();
  // Kept for the worker's life: it is the harness's way in, not a scenario object.
  const table = window[TABLE];
  const realm = new Realm();
  return {
    realm,
    ops: {
      ...realm.baseOps(),
      take: ({ exportId, slot, proxy }) => {
        const p = table[`x${exportId}`];
        if (p === null || (typeof p !== 'object' && typeof p !== 'function')) {
          throw new Error(`export ${exportId} read as ${String(p)}`);
        }
        realm.put(slot, p);
        realm.probe(proxy, p);
        return true;
      },
      // A round trip: main reads `kind` from the object the proxy's id names. With the id gone
      // from main's heap the read fails (in main, and so here).
      use: ({ slot }) => {
        try {
          const kind = realm.get(slot).kind;
          return typeof kind === 'string' ? 'ok' : 'dangling-proxy';
        } catch (err) {
          console.error(`coincident worker: use failed: ${err?.name}: ${err?.message}`);
          return 'dangling-proxy';
        }
      },
      gc: async () => ({ rounds: await realm.collect() }),
      drain: () => ({}),
    },
  };
}
