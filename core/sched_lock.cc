// gcstress core — SchedLock's slow paths.
#include "core/sched_lock.h"

#include <thread>

namespace gcs::core {

void SchedLock::Lock(SchedHooks* hooks) {
  while (!TryLock()) {
    if (hooks != nullptr) {
      hooks->Wait(resource_);
    } else {
      std::this_thread::yield();
    }
  }
}

void SchedLock::Unlock(SchedHooks* hooks) {
  locked_.store(false, std::memory_order_release);
  if (hooks != nullptr) hooks->Signal(resource_);
}

}  // namespace gcs::core
