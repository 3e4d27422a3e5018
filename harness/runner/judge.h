// gcstress runner — Judge: the verdict on one execution, from the oracles and the execution's
// outcome. The one place that decides what counts as a violation and which one is reported.
// Defined in harness/runner/executor.cc, beside the Executor that owns a Judge.
#pragma once

#include <optional>

#include "harness/engine/engine.h"
#include "harness/oracles/oracle.h"
#include "harness/oracles/oracle_set.h"
#include "harness/scenario/violation.h"

namespace gcs {

// Verdict sources, today:
//   - the oracles (OracleSet over MakeOracles(target, options)): each watches the trace and the
//     target's final state;
//   - the execution itself: an execution that ended in kDeadlock (live threads, none runnable) is
//     a `deadlock` violation naming every blocked thread, found by no oracle;
//   - the target: one that failed as a whole (a remote adapter that exited, hung or wrote
//     garbage: Target::Failure) gives a crash, hang or target-error violation; what the oracles
//     found before it still competes with it, nothing after it.
// When several report, the verdict is the most severe (MostSevere, scenario/violation.h: the lowest
// kind in violations.def order — a double free outranks the refcount drift that preceded it —
// then the earliest trace entry, then signature and message), so the pick never depends on the
// order things were reported in.
//
// One Judge per Engine (its oracles hold per-execution state). Not thread-safe.
class Judge {
 public:
  // options.free_mode must match the executions judged: the oracles drop their order-dependent
  // checks for free mode traces.
  Judge(const Target& target, const OracleOptions& options);
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  // Before each execution. Resets every oracle.
  void Begin(const Scenario& scenario, Target& target);
  // What Engine::Run should report to: the oracle set; nullptr when it is empty, so the engine's
  // hot path makes no virtual call per trace entry for nothing.
  ExecutionObserver* Observer();
  // After Engine::Run returned.
  std::optional<Violation> Verdict(const Scenario& scenario, const Execution& execution) const;

  size_t OracleCount() const { return oracles_.oracles().size(); }
  // Where the oracles' violations go as they are found (Oracle::SetSink).
  void SetSink(ViolationSink* sink) { oracles_.SetSink(sink); }
  const OracleOptions& options() const { return options_; }

 private:
  OracleOptions options_;
  OracleSet oracles_;
};

// The violation of an execution whose target failed as a whole (Execution::target_failure): its
// kind, site and place, at the first trace entry the failure answered.
Violation TargetFailureViolation(const Execution& execution);

// The `deadlock` violation of an execution that ended in kDeadlock: thread and step of the lowest
// blocked thread, the op it was in, site = the kind of resource it waits for ("vm-lock"), and
// a message naming every blocked thread, its step and what it waits for.
Violation DeadlockViolation(const Scenario& scenario, const Execution& execution);

}  // namespace gcs
