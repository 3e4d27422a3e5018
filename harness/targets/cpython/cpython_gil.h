// gcstress target — ModelGil: CPython's GIL as the deterministic scheduler sees it.
//
// The controller runs one scenario thread at a time and must always know who is runnable, so no
// OS thread may ever block on the real GIL while another controlled thread holds it: the
// controller would wait for a thread that waits for a thread the controller parked. The adapter
// therefore puts a model lock in front of the GIL, a core::SchedLock (the core's VM lock): a
// thread that finds it held calls SchedHooks::Wait(kGilResource) and the scheduler runs someone
// else; releasing it calls Signal. The real GIL is taken (PyEval_RestoreThread) only by the model
// lock's holder, and given back (PyEval_SaveThread) before the model lock is.
//
// Invariant: the real GIL is held by an OS thread  =>  that thread holds the model lock.
//
// Why CPython never drops the GIL on its own here. The eval loop gives the GIL up only when
// asked: a thread failing to take it waits on the GIL's condition variable for the switch
// interval (5 ms), then sets gil_drop_request, which the holder's eval loop sees at its next
// eval-breaker check and answers by dropping the GIL. By the invariant, take_gil always finds the
// GIL free, so nobody ever sets gil_drop_request and the holder keeps it until the adapter
// releases it. That is also what determinism needs: a GIL handoff the scheduler did not decide
// would be an interleaving outside the schedule, and a thread woken by the real GIL would run
// while the controller believes another one runs. The eval breaker's other causes do not fire:
// no signal handlers are installed, nobody adds pending calls, no async exceptions are set.
//
// One lock, not one per VM: in CPython 3.11 every interpreter shares one GIL
// (_PyRuntime.ceval.gil; per-interpreter GILs are 3.12's PEP 684). Two threads attached to
// different subinterpreters exclude each other, in CPython and in the model. Because the real GIL
// is per process, so is this model: one cpython execution at a time per process (executions of
// several targets take turns, from CpythonTarget::Begin to End).
#pragma once

#include <Python.h>  // first: it sets feature macros the standard headers read

#include <atomic>
#include <cstdint>

#include "core/sched_hooks.h"
#include "core/sched_lock.h"

namespace gcs::cpython {

// The ResourceId a thread waiting for the GIL waits on: kind 16, index 0. The core uses kinds 1
// and 2 (core/sched_hooks.h); adapters take kinds from 16 up so deadlock reports name them apart.
inline constexpr core::ResourceKind kGilResourceKind = static_cast<core::ResourceKind>(16);
inline constexpr core::ResourceId kGilResource = core::MakeResource(kGilResourceKind, 0);

class ModelGil {
 public:
  static constexpr uint32_t kNobody = ~uint32_t{0};

  // Takes the model lock for scenario thread `thread` (waiting through `hooks`), then the real
  // GIL with `tstate` current.
  void Acquire(core::SchedHooks* hooks, uint32_t thread, PyThreadState* tstate);
  // The single-threaded phases (Begin, teardown, End) cannot wait: the lock must be free.
  void AcquireUncontended(uint32_t thread, PyThreadState* tstate);
  // Gives the real GIL up from whatever thread state is current, then the model lock.
  void Release(core::SchedHooks* hooks, uint32_t thread);

  // The model lock alone, for work that must check state under it before choosing a thread
  // state (the VM may have been destroyed while the caller waited).
  void Lock(core::SchedHooks* hooks, uint32_t thread);
  void Unlock(core::SchedHooks* hooks, uint32_t thread);

  uint32_t holder() const { return holder_.load(std::memory_order_relaxed); }

 private:
  core::SchedLock lock_{kGilResource};
  std::atomic<uint32_t> holder_{kNobody};  // scenario thread index, for checks
};

}  // namespace gcs::cpython
