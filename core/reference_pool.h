// gcstress core — ReferencePool: refcount changes made without the VM lock, applied later.
#pragma once

#include <mutex>
#include <vector>

#include "core/env.h"
#include "core/object.h"

namespace gcs::core {

class Vm;

// PyO3's reference pool, per VM. A thread that does not hold the VM's lock may not touch a
// refcount; its drops are queued here and applied by the next thread that takes the lock
// (every attach and every implicit lock guard), under that lock. Deferring an incref is unsound —
// the object may die before the pool is applied — so the fixed core refuses a clone without the
// lock and the pool only ever holds decrefs (PyO3 >= 0.22, PR #4095).
//
// Fault refpool-deferred-incref (PyO3 0.21.2): clones without the lock are queued too, and the
// pool applies all increfs first, then all decrefs. An object dropped to zero by its holder in
// the meantime is revived by the queued incref and freed a second time by the queued decref.
class ReferencePool {
 public:
  struct Entry {
    Object* obj;
    AllocId id;
    int delta;  // +1 incref, -1 decref
  };

  // Queues a change; a leaf lock, callable without the VM lock.
  void Queue(Env& env, const ThreadState* ts, Object* o, int delta);
  std::vector<Entry> Take();
  bool Empty();

 private:
  std::mutex mu_;
  std::vector<Entry> pending_;
};

// Takes the VM's pending changes and applies them. The caller holds the VM's lock. A schedule
// point separates the take from the apply, as in PyO3's update_counts. Returns the entries applied.
size_t DrainReferencePool(Env& env, const ThreadState* ts, Vm& vm);

}  // namespace gcs::core
