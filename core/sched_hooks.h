// gcstress core — the schedule-point and blocking hooks a harness installs into the core.
#pragma once

#include <cstdint>

namespace gcs::core {

// Names something a thread can wait for. Built from small deterministic indices (never from
// addresses) so that a trace or a deadlock report naming it is identical on every run.
using ResourceId = uint64_t;

enum class ResourceKind : uint8_t {
  kVmLock = 1,     // a VM's lock (its "GIL"); index = VM index
  kVmQuiesce = 2,  // "no thread is inside this VM any more"; index = VM index
};

constexpr ResourceId MakeResource(ResourceKind kind, uint32_t index) {
  return (static_cast<uint64_t>(kind) << 32) | index;
}
constexpr ResourceKind ResourceKindOf(ResourceId r) {
  return static_cast<ResourceKind>(r >> 32);
}
constexpr uint32_t ResourceIndexOf(ResourceId r) {
  return static_cast<uint32_t>(r);
}

// The harness's view into the core's concurrency. The core calls these; it never knows who
// implements them (the deterministic scheduler, the free-mode yielder, a test).
class SchedHooks {
 public:
  virtual ~SchedHooks() = default;

  // Called by the running thread where another thread may run instead: between a reference
  // pool's take and apply, per object in the collector's finalize/clear phases, around message
  // delivery, inside VM construction. `site` is a string literal naming the place
  // ("reference_pool.apply"); it appears in traces and signatures.
  virtual void Point(const char* site) = 0;

  // Called by a thread that cannot make progress until `resource` changes (a VM lock another
  // thread holds, a VM other threads are still inside). The implementation may run other
  // threads; it returns when the caller should re-check its condition (spurious returns are
  // allowed). The caller holds no core lock across this call.
  virtual void Wait(ResourceId resource) = 0;

  // Called after the state behind `resource` changed (a lock released, a thread left a VM):
  // threads waiting on it may proceed.
  virtual void Signal(ResourceId resource) = 0;
};

}  // namespace gcs::core

// A schedule point. With no hooks installed it costs one well-predicted branch.
#define GCS_SCHED_POINT(hooks, site)                    \
  do {                                                  \
    ::gcs::core::SchedHooks* gcs_hooks_ = (hooks);      \
    if (gcs_hooks_ != nullptr) gcs_hooks_->Point(site); \
  } while (0)
