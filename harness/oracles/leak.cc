// gcstress oracles — LeakOracle.
#include "harness/oracles/leak.h"

#include <string>

namespace gcs {

void LeakOracle::OnBegin() {
  for (auto& g : garbage_)
    g.clear();
}

EntryInterest LeakOracle::Interest() const {
  return EntryInterest().Event(core::EventKind::kCollectBegin).Event(core::EventKind::kCollectEnd);
}

void LeakOracle::Judge(const TraceEntry& e, size_t index) {
  if (!full_stream() || options().free_mode || e.kind != TraceEntry::Kind::kEvent) return;
  const core::Event& ev = e.event;
  if (!shadow().ValidVm(ev.vm)) return;
  if (ev.kind == core::EventKind::kCollectBegin) {
    garbage_[ev.vm] = shadow().UnreachableIn(ev.vm);
    return;
  }
  if (ev.kind != core::EventKind::kCollectEnd) return;
  const Attribution where = shadow().Where(e.thread);
  for (core::AllocId id : garbage_[ev.vm]) {
    const ShadowModel::Object* o = shadow().Find(id);
    if (o == nullptr || !o->alive()) continue;
    Violation v;
    v.kind = ViolationKind::kLeak;
    v.message = "allocation " + AllocName(id) + " (" + std::string(core::ObjectKindName(o->kind)) +
                ", vm" + std::to_string(o->vm) +
                ") was unreachable when the collection began and survived it @" + ev.site;
    v.thread = where.thread;
    v.step = where.step;
    v.op = std::string(where.op);
    v.phase = "drop-check";
    v.site = ev.site;
    v.obj = id;
    v.trace_index = index;
    Report(std::move(v));
  }
  garbage_[ev.vm].clear();
}

void LeakOracle::Finish(Target&, const Execution& execution) {
  const uint32_t teardown = shadow().num_threads();
  for (core::AllocId id : execution.live_after_teardown) {
    const ShadowModel::Object* o = shadow().Find(id);
    std::string what = o != nullptr && o->alive()
                           ? std::string(core::ObjectKindName(o->kind)) + ", vm" +
                                 std::to_string(o->vm) + ", held by " + shadow().DescribeHolders(id)
                           : std::string("not reported by events");
    Violation v;
    v.kind = ViolationKind::kLeak;
    v.message = "allocation " + AllocName(id) + " (" + what + ") still alive after teardown";
    v.thread = teardown;
    v.phase = "teardown";
    v.obj = id;
    v.trace_index = execution.trace.entries.size();
    Report(std::move(v));
  }
}

}  // namespace gcs
