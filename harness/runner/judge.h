// gcstress runner — Judge: the verdict on one execution, from the oracles and the execution's
// outcome. The one place that decides what counts as a violation and which one is reported.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/oracles/oracle.h"
#include "harness/oracles/violation_record.h"

namespace gcs {

// Verdict sources, today:
//   - the oracles of MakeOracles(target): each watches the trace and reports its first violation;
//   - the execution itself: an execution that ended in kDeadlock (live threads, none runnable) is
//     a `deadlock` violation naming every blocked thread, found by no oracle.
// When several report, the verdict is the most severe: the lowest kind in violations.def order
// (a double free outranks the refcount drift that preceded it), then the earliest trace entry,
// then signature and message — so the pick never depends on the order oracles reported in. This
// is the oracles' own OracleSet rule (MoreSevere), kept identical so that a verdict does not
// change with who computes it.
//
// One Judge per Engine (it holds its oracles' per-execution state). Not thread-safe.
class Judge {
 public:
  explicit Judge(const Target& target);
  ~Judge();
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  // Before each execution. Resets every oracle.
  void Begin(const Scenario& scenario, Target& target);
  // What Engine::Run should report to: every oracle; nullptr when there are none, so the engine's
  // hot path makes no virtual call per trace entry for nothing.
  ExecutionObserver* Observer();
  // After Engine::Run returned.
  std::optional<Violation> Verdict(const Scenario& scenario, const Execution& execution) const;

  size_t OracleCount() const { return oracles_.size(); }

 private:
  class FanOut;
  std::vector<std::unique_ptr<Oracle>> oracles_;
  std::unique_ptr<FanOut> fan_out_;
};

// The `deadlock` violation of an execution that ended in kDeadlock: thread and step of the lowest
// blocked thread, the op it was in, site = the kind of resource it waits for ("vm-lock"), and
// a message naming every blocked thread, its step and what it waits for.
Violation DeadlockViolation(const Scenario& scenario, const Execution& execution);

// The reported one of several violations (see Judge); nullopt for none.
std::optional<Violation> PickVerdict(std::span<const Violation> candidates);

}  // namespace gcs
