// gcstress triage — the reproduction-rate gate: how often a failure's repro reproduces, and a
// deterministic repro for a free-mode failure where one can be found.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness/reporters/failure_report.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario.h"

namespace gcs::triage {

struct GateOptions {
  // Free mode: the time to look for the same signature under deterministic strategies, split
  // evenly among `strategies`, tried in order. 0 = do not convert.
  std::chrono::milliseconds convert_budget{0};
  std::vector<std::string> strategies = {"pct", "random"};
};

// The failure to report, the config that produced it, and the gate's record.
struct GatedFailure {
  RunConfig config;
  Failure failure;
  reporters::Reproduction reproduction;
};

// The gate, before a failure is reported as found.
//   - Deterministic failures: the runner already replayed it config.confirm times from its
//     schedule (Runner::Confirm, failure.confirmed); the record is that rate. A deterministic
//     strategy must reach 100%: anything less is nondeterminism in the harness or the target.
//   - Free-mode failures replay only as often as the OS interleaves the same way. So, when
//     convert_budget > 0, the same scenario is searched again under each deterministic strategy
//     (same target, faults and seed; keep going, stopping as soon as the signature shows) for its
//     share of the budget. Found: that failure becomes the one reported — its repro replays bit
//     for bit — confirmed config.confirm times by replaying its schedule, and the record says
//     what was done. Not found: the free failure is kept and the record says so.
// Deterministic results: the search depends only on the scenario, the config and the budget's
// outcome (a search cut short by the budget may end at a different iteration, never with a
// different repro for the iteration it names).
GatedFailure GateFailure(const Scenario& scenario, const RunConfig& config, const Failure& failure,
                         const GateOptions& options);

}  // namespace gcs::triage
