// gcstress remote targets — one JS realm's side (the Node main thread, or one worker thread).
//
// The scenario's strong references live in ONE table (slot -> value): dropping a slot really drops
// the reference. Liveness is read from WeakRef probes only (id -> WeakRef), after a full gc() and
// event-loop turns:
//  * a deref() keeps its target alive until the end of the current turn, so every sweep is
//    followed by a turn before the next gc();
//  * FinalizationRegistry callbacks run in a task after the collection, so every gc() is followed
//    by turns before the sweep;
//  * nothing here keeps a scenario object in a closure or an async frame that outlives a request.
import { turn } from './protocol.mjs';

// What `new` makes: an object with four reference fields. `kind` is what a `use` through a
// proxy reads (a primitive, so the round trip creates no reference of its own).
export class Holder {
  constructor() {
    this.f0 = undefined;
    this.f1 = undefined;
    this.f2 = undefined;
    this.f3 = undefined;
  }
}
Holder.prototype.kind = 'holder';
export class SubHolder extends Holder {}
SubHolder.prototype.kind = 'subholder';

const QUIET_ROUNDS = 1; // a round that changes nothing ends a collection
const MAX_ROUNDS = 64;

export class Realm {
  constructor() {
    this.table = new Map(); // slot -> value: the scenario's strong references in this realm
    this.probes = new Map(); // id -> WeakRef
    this.gen = 0; // the execution; instrumentation of an older one reports nothing
  }

  reset(gen) {
    this.table.clear();
    this.probes.clear();
    this.gen = gen;
  }

  put(slot, value) {
    this.table.set(slot, value);
  }
  get(slot) {
    if (!this.table.has(slot)) throw new Error(`no slot ${slot} in this realm`);
    return this.table.get(slot);
  }
  drop(slot) {
    this.table.delete(slot);
  }
  probe(id, value) {
    this.probes.set(id, new WeakRef(value));
  }

  // Ids whose probe is dead, ascending; they are forgotten. Keeps the live ones alive to the end
  // of this turn (deref), so the caller must let a turn pass before the next gc().
  sweep() {
    const dead = [];
    for (const [id, ref] of this.probes) {
      if (ref.deref() === undefined) dead.push(id);
    }
    for (const id of dead) this.probes.delete(id);
    return dead.sort((a, b) => a - b);
  }

  liveIds() {
    const live = [];
    for (const [id, ref] of this.probes) {
      if (ref.deref() !== undefined) live.push(id);
    }
    return live.sort((a, b) => a - b);
  }

  // A full collection driven to a fixed point: gc(), turns (finalization callbacks run), sweep,
  // then `settle()` waits for the asynchronous work those callbacks started (it returns true if
  // there was any). Ends after QUIET_ROUNDS rounds in which nothing died and nothing was pending.
  // Returns the dead ids per round.
  async collect(settle = async () => false) {
    const rounds = [];
    let quiet = 0;
    let n = 0;
    while (quiet < QUIET_ROUNDS) {
      if (++n > MAX_ROUNDS) {
        console.error(`realm: no fixed point after ${MAX_ROUNDS} collection rounds`);
        break;
      }
      globalThis.gc();
      await turn();
      await turn();
      const dead = this.sweep();
      const busy = await settle();
      if (dead.length > 0 || busy) {
        quiet = 0;
        if (dead.length > 0) rounds.push(dead);
      } else {
        quiet++;
      }
      await turn();
    }
    return rounds;
  }

  // The ops every adapter's realm has. Ids and slots come from the adapter (Execution).
  baseOps() {
    return {
      reset: ({ gen }) => {
        this.reset(gen);
        return true;
      },
      new: ({ slot, id, sub }) => {
        const o = sub ? new SubHolder() : new Holder();
        this.put(slot, o);
        this.probe(id, o);
        return true;
      },
      set: ({ slot, field, to }) => {
        this.get(slot)[`f${field}`] = this.get(to);
        return true;
      },
      clear: ({ slot, field }) => {
        this.get(slot)[`f${field}`] = undefined;
        return true;
      },
      drop: ({ slot }) => {
        this.drop(slot);
        return true;
      },
      // `use` of a plain object: a real read of it.
      touch: ({ slot }) => {
        void this.get(slot).f0;
        return true;
      },
      live: () => this.liveIds(),
    };
  }
}
