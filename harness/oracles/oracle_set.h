// gcstress oracles — OracleSet: every oracle of an execution, and the verdict they give together.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "harness/oracles/oracle.h"

namespace gcs {

// What the runner attaches to an execution: forwards every call to each oracle, then combines.
// Each entry goes once into every shared model (Oracle::SharedModel), then to the oracles whose
// Interest() names it: most entries concern two or three of the eight oracles, and the dispatch
// was a fifth of scenario_fuzzer's time. Several violations can fire in one execution; the verdict
// is the most severe (MoreSevere: the lowest ViolationKind of harness/violations.def, ties to the
// earliest trace entry), and All() keeps every one for reports.
//
//   OracleSet oracles(target);                 // MakeOracles(target)
//   oracles.Begin(scenario, target);
//   Execution e = engine.Run(scenario, faults, strategy, seed, {}, &oracles);
//   if (auto v = oracles.Verdict()) ...
class OracleSet final : public ExecutionObserver {
 public:
  explicit OracleSet(const Target& target, const OracleOptions& options = {});
  explicit OracleSet(std::vector<std::unique_ptr<Oracle>> oracles);

  void Begin(const Scenario& scenario, Target& target);
  void OnEntry(const TraceEntry& entry) override;
  void AfterTeardown(Target& target, const Execution& execution) override;

  // Every violation of the execution, ordered by trace index, then severity.
  std::vector<Violation> All() const;
  std::optional<Violation> Verdict() const;

  const std::vector<std::unique_ptr<Oracle>>& oracles() const { return oracles_; }
  // Every oracle's sink (Oracle::SetSink).
  void SetSink(ViolationSink* sink) {
    for (const auto& o : oracles_)
      o->SetSink(sink);
  }

 private:
  // Dispatch slots: one per non-event entry kind, one per event kind, one for an event kind the
  // target made up.
  static constexpr size_t kSlots = kTraceEntryKindCount + core::kEventKindCount + 1;
  static size_t SlotOf(const TraceEntry& entry);
  void Index();

  std::vector<std::unique_ptr<Oracle>> oracles_;
  std::vector<ShadowModel*> models_;  // distinct SharedModel()s, in oracle order
  std::array<std::vector<Oracle*>, kSlots> by_slot_;
  size_t next_index_ = 0;
};

}  // namespace gcs
