// gcstress runner — checking a scenario's expect block: each entry's faults, run, compared.
#pragma once

#include <optional>
#include <vector>

#include "harness/input_error.h"
#include "harness/runner/runner.h"

namespace gcs {

struct ExpectationResult {
  Expectation expectation;
  bool implicit = false;  // the scenario has no expect block: it must pass on the fixed target
  // The entry belongs to another target: it names faults this target does not have, or another
  // target, or a more specific entry for this target (and version) has its fault set. Not run;
  // it holds.
  bool other_target = false;
  RunSummary summary;  // of the run under expectation.faults
  bool ok = false;
  // When !ok: kind expect-mismatch, phase "expect", message "expected double-free under
  // [<fault>], got pass after 1000 iterations".
  std::optional<Violation> mismatch;
};

// Runs `scenario` once per expect entry, in file order: `base` with the entry's faults. An entry
// holds if
//   - "pass": no iteration has a violation (the run stops at the first one);
//   - a violation kind: some iteration's verdict has that kind (the run keeps going past other
//     kinds and stops at the first of that one).
// A scenario without an expect block is checked as [{"faults": [], "result": "pass"}]. Entries
// naming a fault the target does not have belong to another target: they are reported with
// other_target set and not run. An
// internal error in a run ends the check there (that summary has stop == kInternalError).
// Errors: bad config (as Runner::Create).
Expected<std::vector<ExpectationResult>> CheckExpectations(const Scenario& scenario,
                                                           const RunConfig& base,
                                                           const TargetFactory& factory,
                                                           const RunHooks& hooks = {});

}  // namespace gcs
