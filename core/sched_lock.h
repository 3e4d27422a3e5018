// gcstress core — SchedLock: a VM's lock, blocking through the harness's scheduler hooks.
#pragma once

#include <atomic>

#include "core/sched_hooks.h"

namespace gcs::core {

// A mutex that never blocks an OS thread behind the scheduler's back: a failed acquisition calls
// SchedHooks::Wait(resource), so the deterministic scheduler always knows who is runnable and
// turns "everyone waits" into a deadlock verdict instead of a hung harness. With no hooks (plain
// use of the core) it spins with std::this_thread::yield().
class SchedLock {
 public:
  explicit SchedLock(ResourceId resource) : resource_(resource) {}
  SchedLock(const SchedLock&) = delete;
  SchedLock& operator=(const SchedLock&) = delete;

  void Lock(SchedHooks* hooks);
  bool TryLock() {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void Unlock(SchedHooks* hooks);
  ResourceId resource() const { return resource_; }

 private:
  std::atomic<bool> locked_{false};
  const ResourceId resource_;
};

}  // namespace gcs::core
