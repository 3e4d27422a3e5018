// gcstress oracles — OracleSet.
#include "harness/oracles/oracle_set.h"

#include <algorithm>
#include <tuple>

#include "harness/oracles/shadow_model.h"

namespace gcs {

OracleSet::OracleSet(const Target& target, const OracleOptions& options)
    : oracles_(MakeOracles(target, options)) {
  Index();
}

OracleSet::OracleSet(std::vector<std::unique_ptr<Oracle>> oracles) : oracles_(std::move(oracles)) {
  Index();
}

size_t OracleSet::SlotOf(const TraceEntry& entry) {
  if (entry.kind != TraceEntry::Kind::kEvent) return static_cast<size_t>(entry.kind);
  const auto kind = static_cast<size_t>(entry.event.kind);
  return kTraceEntryKindCount + std::min(kind, static_cast<size_t>(core::kEventKindCount));
}

void OracleSet::Index() {
  for (auto& o : oracles_) {
    ShadowModel* model = o->SharedModel();
    if (model != nullptr && std::find(models_.begin(), models_.end(), model) == models_.end()) {
      models_.push_back(model);
    }
  }
  // One representative entry per slot, asked of every oracle's interest.
  for (size_t slot = 0; slot < kSlots; ++slot) {
    TraceEntry probe;
    if (slot < static_cast<size_t>(kTraceEntryKindCount)) {
      probe.kind = static_cast<TraceEntry::Kind>(slot);
    } else {
      probe.kind = TraceEntry::Kind::kEvent;
      probe.event.kind = static_cast<core::EventKind>(slot - kTraceEntryKindCount);
    }
    if (SlotOf(probe) != slot) continue;  // the entry-kind slot of kEvent: never used
    for (auto& o : oracles_) {
      if (o->Interest().Wants(probe)) by_slot_[slot].push_back(o.get());
    }
  }
}

void OracleSet::Begin(const Scenario& scenario, Target& target) {
  next_index_ = 0;
  for (auto& o : oracles_)
    o->Begin(scenario, target);
}

void OracleSet::OnEntry(const TraceEntry& entry) {
  const size_t index = next_index_++;
  for (ShadowModel* m : models_)
    m->Enter(index, entry);
  for (Oracle* o : by_slot_[SlotOf(entry)])
    o->JudgeEntry(index, entry);
}

void OracleSet::AfterTeardown(Target& target, const Execution& execution) {
  for (auto& o : oracles_)
    o->AfterTeardown(target, execution);
}

std::vector<Violation> OracleSet::All() const {
  std::vector<Violation> all;
  for (const auto& o : oracles_) {
    std::vector<Violation> v = o->Violations();
    all.insert(all.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  }
  std::sort(all.begin(), all.end(), [](const Violation& a, const Violation& b) {
    if (a.trace_index != b.trace_index) return a.trace_index < b.trace_index;
    return MoreSevere(a, b);
  });
  return all;
}

std::optional<Violation> OracleSet::Verdict() const {
  return MostSevere(All());
}

}  // namespace gcs
