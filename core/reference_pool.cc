// gcstress core — the deferred reference pool and its drain.
#include "core/reference_pool.h"

#include "core/check.h"
#include "core/lifecycle.h"
#include "core/vm.h"

namespace gcs::core {

void ReferencePool::Queue(Env& env, const ThreadState* ts, Object* o, int delta) {
  const AllocId id = o->id;
  // Report the entry before it is visible: once it is pending, a thread inside the VM may drain
  // it and free `o`, and its apply must not precede this queue in the trace.
  env.Emit(ts, {.kind = EventKind::kPoolQueue,
                .vm = o->vm,
                .obj = id,
                .value = delta,
                .site = "reference_pool.queue"});
  std::lock_guard<std::mutex> guard(mu_);
  pending_.push_back(Entry{o, id, delta});
}

std::vector<ReferencePool::Entry> ReferencePool::Take() {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Entry> out;
  out.swap(pending_);
  return out;
}

bool ReferencePool::Empty() {
  std::lock_guard<std::mutex> guard(mu_);
  return pending_.empty();
}

size_t DrainReferencePool(Env& env, const ThreadState* ts, Vm& vm) {
  std::vector<ReferencePool::Entry> taken = vm.pool.Take();
  if (taken.empty()) return 0;
  GCS_SCHED_POINT(env.hooks, "reference_pool.apply");
  auto apply = [&](const ReferencePool::Entry& e) {
    env.Emit(ts, {.kind = EventKind::kPoolApply,
                  .vm = vm.index,
                  .obj = e.id,
                  .value = e.delta,
                  .site = "reference_pool.apply"});
    if (e.delta > 0) {
      Incref(env, ts, e.obj, "reference_pool.apply");
    } else {
      Decref(env, ts, e.obj, "reference_pool.apply");
    }
  };
  if (env.faults.Has(Fault::kRefpoolDeferredIncref)) {
    // PyO3 0.21.2 update_counts: every pending incref, then every pending decref.
    for (const auto& e : taken) {
      if (e.delta > 0) apply(e);
    }
    for (const auto& e : taken) {
      if (e.delta < 0) apply(e);
    }
    return taken.size();
  }
  for (const auto& e : taken) {
    GCS_CHECK_MSG(e.delta < 0, "the fixed reference pool holds only decrefs");
    apply(e);
  }
  return taken.size();
}

}  // namespace gcs::core
