// gcstress oracles — OracleSet, and MakeOracles: the default set for a target.
#include "harness/oracles/oracle_set.h"

#include <algorithm>
#include <memory>
#include <tuple>

#include "harness/oracles/clean_error.h"
#include "harness/oracles/double_free.h"
#include "harness/oracles/finalizer.h"
#include "harness/oracles/leak.h"
#include "harness/oracles/premature_collection.h"
#include "harness/oracles/refcount.h"
#include "harness/oracles/shadow_model.h"
#include "harness/oracles/use_after_free.h"
#include "harness/oracles/wrong_vm.h"

namespace gcs {

std::vector<std::unique_ptr<Oracle>> MakeOracles(const Target& target,
                                                 const OracleOptions& options) {
  // One model for all: it is the expensive part, and every oracle reads the same state.
  auto shadow = std::make_shared<ShadowModel>();
  const bool full = target.FullEventStream();
  // Order-dependent judgements need the trace order to be the order things happened. In free
  // mode it is one linearization of parallel threads (a drop's pool-queue event can land after
  // the free its pool entry caused), so only order-independent checks run there: a second free,
  // a second finalizer, ownership, clean errors, and what is left after teardown.
  const bool ordered = !options.free_mode;
  std::vector<std::unique_ptr<Oracle>> out;
  out.push_back(std::make_unique<DoubleFreeOracle>(shadow, full, options));
  if (ordered) out.push_back(std::make_unique<UseAfterFreeOracle>(shadow, full, options));
  // Reachability is a claim about every holder: it needs a target that reports them all
  // (ReportsHolders); counts need every reference, the runtime's own too (FullEventStream):
  // without them a missing event would read as a bug.
  const bool holders = target.ReportsHolders();
  if (holders && ordered) {
    out.push_back(std::make_unique<PrematureCollectionOracle>(shadow, holders, options));
  }
  out.push_back(std::make_unique<LeakOracle>(shadow, full, options));
  if (full && ordered) out.push_back(std::make_unique<RefcountOracle>(shadow, full, options));
  out.push_back(std::make_unique<FinalizerOracle>(shadow, full, options));
  out.push_back(std::make_unique<WrongVmOracle>(shadow, full, options));
  out.push_back(std::make_unique<CleanErrorOracle>(shadow, full, options));
  return out;
}

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
  // Each oracle judges the entry against the models as they were before it; then they take it.
  for (Oracle* o : by_slot_[SlotOf(entry)])
    o->JudgeEntry(index, entry);
  for (ShadowModel* m : models_)
    m->Take(index, entry);
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
