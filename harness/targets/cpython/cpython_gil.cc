// gcstress target — ModelGil: the model lock in front of CPython's GIL.
#include "harness/targets/cpython/cpython_gil.h"

#include "core/check.h"

namespace gcs::cpython {

void ModelGil::Lock(core::SchedHooks* hooks, uint32_t thread) {
  lock_.Lock(hooks);
  holder_.store(thread, std::memory_order_relaxed);
}

void ModelGil::Unlock(core::SchedHooks* hooks, uint32_t thread) {
  GCS_CHECK(holder_.load(std::memory_order_relaxed) == thread);
  holder_.store(kNobody, std::memory_order_relaxed);
  lock_.Unlock(hooks);
}

void ModelGil::Acquire(core::SchedHooks* hooks, uint32_t thread, PyThreadState* tstate) {
  Lock(hooks, thread);
  PyEval_RestoreThread(tstate);  // never waits: by the invariant the real GIL is free
}

void ModelGil::AcquireUncontended(uint32_t thread, PyThreadState* tstate) {
  GCS_CHECK_MSG(lock_.TryLock(), "a single-threaded phase found the GIL held");
  holder_.store(thread, std::memory_order_relaxed);
  PyEval_RestoreThread(tstate);
}

void ModelGil::Release(core::SchedHooks* hooks, uint32_t thread) {
  GCS_CHECK(holder_.load(std::memory_order_relaxed) == thread);
  PyEval_SaveThread();
  Unlock(hooks, thread);
}

}  // namespace gcs::cpython
