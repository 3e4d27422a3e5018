// gcstress oracles — RefcountOracle.
#include "harness/oracles/refcount.h"

#include <string>

namespace gcs {
namespace {
constexpr core::AllocId kMaxId = core::AllocId{1} << 24;
}  // namespace

void RefcountOracle::OnBegin() {
  touch_.clear();
  dirty_.clear();
  dirty_list_.clear();
}

void RefcountOracle::MarkDirty(core::AllocId id) {
  if (id == core::kNoAlloc || id >= kMaxId) return;
  if (id >= dirty_.size()) dirty_.resize(id + 1, 0);
  if (dirty_[id] != 0) return;
  dirty_[id] = 1;
  dirty_list_.push_back(id);
}

EntryInterest RefcountOracle::Interest() const {
  using K = TraceEntry::Kind;
  // Every event touches counts; bindings come and go at step ends and discards; checks run at
  // step beginnings and teardown.
  return EntryInterest()
      .AllEvents()
      .Entry(K::kStepBegin)
      .Entry(K::kStepEnd)
      .Entry(K::kDiscard)
      .Entry(K::kDiscardError)
      .Entry(K::kTeardown);
}

void RefcountOracle::Judge(const TraceEntry& e, size_t index) {
  if (!full_stream()) return;
  switch (e.kind) {
    case TraceEntry::Kind::kEvent:
      for (core::AllocId id : {e.event.obj, e.event.other}) {
        if (id == core::kNoAlloc || id >= kMaxId) continue;
        MarkDirty(id);
        if (id >= touch_.size()) touch_.resize(id + 1);
        touch_[id] = Touch{shadow().Where(e.thread), e.event.site, true};
      }
      return;
    case TraceEntry::Kind::kStepEnd:
    case TraceEntry::Kind::kDiscard:
    case TraceEntry::Kind::kDiscardError:
      MarkDirty(e.value.obj);  // a binding came or went
      return;
    case TraceEntry::Kind::kStepBegin:
      if (!options().free_mode && !shadow().AnyStepInFlight()) CheckDirty(index);
      return;
    case TraceEntry::Kind::kTeardown:
      CheckAll(index);
      return;
    default:
      return;
  }
}

void RefcountOracle::Finish(Target&, const Execution& execution) {
  if (!full_stream()) return;
  CheckAll(execution.trace.entries.size());
}

void RefcountOracle::CheckDirty(size_t index) {
  for (core::AllocId id : dirty_list_) {
    dirty_[id] = 0;
    Check(id, index);
  }
  dirty_list_.clear();
}

void RefcountOracle::CheckAll(size_t index) {
  for (core::AllocId id : dirty_list_)
    dirty_[id] = 0;
  dirty_list_.clear();
  for (core::AllocId id = 1; id <= shadow().max_id(); ++id)
    Check(id, index);
}

void RefcountOracle::Check(core::AllocId id, size_t index) {
  const ShadowModel::Object* o = shadow().Find(id);
  if (o == nullptr || !o->alive()) return;
  const std::optional<ObjectState> state = target()->Inspect(id);
  if (!state || state->refcount < 0) return;
  const int64_t model = shadow().Count(id);
  if (model == state->refcount) return;
  Violation v;
  v.kind = ViolationKind::kRefcount;
  v.message = "allocation " + AllocName(id) + " (" + std::string(core::ObjectKindName(o->kind)) +
              ", vm" + std::to_string(o->vm) + ") has refcount " + std::to_string(state->refcount) +
              " in the target but " + std::to_string(model) + " per the model (" +
              shadow().DescribeHolders(id) + ")";
  if (id < touch_.size() && touch_[id].seen) {
    const Touch& t = touch_[id];
    v.thread = t.where.thread;
    v.step = t.where.step;
    v.op = std::string(t.where.op);
    v.phase = std::string(t.where.phase);
    v.site = t.site;
    v.message += "; last touched @" + v.site;
  } else {
    v.thread = shadow().num_threads();
    v.phase = shadow().teardown() ? "teardown" : "step";
  }
  v.obj = id;
  v.trace_index = index;
  Report(std::move(v));
}

}  // namespace gcs
