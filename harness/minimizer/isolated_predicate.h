// gcstress minimizer — a signature predicate whose candidates run in child processes.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness/minimizer/predicate.h"
#include "harness/runner/executor.h"

namespace gcs {

// MakeSignaturePredicate, but each candidate runs in a child process (fork, no exec): for targets
// whose candidates can kill the process that runs them (Target::SafeInProcess false) — a real
// system's use-after-free, where the library touches the freed memory right after the oracles
// named it. The child runs the candidate exactly as MakeSignaturePredicate would and sends back
// its Trial; and the moment an oracle reports the wanted signature, it sends the Trial so far
// (the decisions and choices taken, the trace up to there), so that a candidate whose process
// dies after showing the bug still counts, with the schedule a replay follows to the same death.
// A child that dies before, or shows no progress for `timeout`, does not fail the predicate.
Predicate MakeIsolatedSignaturePredicate(TargetFactory factory, std::vector<std::string> faults,
                                         std::string signature, std::chrono::milliseconds timeout,
                                         const PredicateOptions& options = {});

// The predicate for minimizing a failure of `target` (made from `spec`): in process where that is
// safe (Target::SafeInProcess) and the failing execution's process survived, else in children.
Predicate MinimizerPredicateFor(Target& target, const std::string& spec,
                                const std::vector<std::string>& faults,
                                const std::string& signature, bool process_died = false);

}  // namespace gcs
