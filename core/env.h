// gcstress core — Env and ThreadState: what every mechanism of one Runtime shares.
#pragma once

#include <array>
#include <atomic>

#include "core/faults.h"
#include "core/heap.h"
#include "core/ids.h"
#include "core/observer.h"
#include "core/sched_hooks.h"

namespace gcs::core {

class Vm;

// A thread's view of the runtime (PocketPy's pk_current_vm, PyO3's "do I hold the GIL"). One per
// harness thread, used only by that thread. Identified by registration order, never by OS id.
struct ThreadState {
  ThreadIndex index = kNoThread;
  VmIndex current_vm = kNoVm;   // where New allocates and where VM construction allocates
  VmIndex attached_vm = kNoVm;  // the VM whose lock this thread holds across operations
};

// The shared context of one Runtime: options, the event sink, the scheduler hooks, object memory
// and the VM table. Mechanisms receive it explicitly; nothing here is process-wide.
class Env {
 public:
  Env(FaultSet fault_set, Observer* event_observer, SchedHooks* sched_hooks, bool quarantine)
      : faults(fault_set), observer(event_observer), hooks(sched_hooks), allocator(quarantine) {}
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // The VM with this index, or nullptr if it was never created. VMs are never deallocated before
  // the Runtime, so the pointer stays valid (a destroyed VM answers with its state).
  Vm* vm(VmIndex index) const {
    return index < kMaxVms ? vms[index].load(std::memory_order_acquire) : nullptr;
  }

  // Reports an event on behalf of `ts` (nullptr: the runtime itself).
  void Emit(const ThreadState* ts, Event e) const {
    if (observer == nullptr) return;
    if (ts != nullptr) {
      e.thread = ts->index;
      e.current_vm = ts->current_vm;
    }
    observer->OnEvent(e);
  }

  const FaultSet faults;
  Observer* const observer;
  SchedHooks* const hooks;
  Allocator allocator;
  std::array<std::atomic<Vm*>, kMaxVms> vms{};
};

}  // namespace gcs::core
