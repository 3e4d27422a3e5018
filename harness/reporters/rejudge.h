// gcstress reporters — Rejudge: a failing execution replayed in this process with every oracle's
// findings kept, so that a report lists all its violations, not just the verdict.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/violation.h"
#include "harness/target/target.h"

namespace gcs::reporters {

struct Rejudged {
  // The target outlives nothing but this struct: the trace's error and site texts may live in it.
  std::unique_ptr<Target> target;
  Execution execution;
  std::vector<Violation> violations;  // OracleSet::All, plus the deadlock the judge adds
};

// Replays `failure` from its schedule on a fresh target of config.target and judges it with the
// target's oracle set, keeping every violation. nullopt when that is not possible or not safe:
//   - free mode (no schedule to replay);
//   - an execution whose process died or hung (no trace; replaying it here would kill or hang
//     this process), or that has evidence (a sanitizer report);
//   - the replay diverged from the schedule or gave another verdict (the report then keeps the
//     failure's own trace and verdict rather than show a different execution).
// Safe for the rest: an execution that completed once, in a child or here, completes again
// here: the schedule fixes every decision.
std::optional<Rejudged> Rejudge(const Scenario& scenario, const RunConfig& config,
                                const Failure& failure);

}  // namespace gcs::reporters
