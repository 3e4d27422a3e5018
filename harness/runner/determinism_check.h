// gcstress runner — the nondeterminism checker: an execution against its replay.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "harness/runner/executor.h"

namespace gcs {

// shuttle's nondeterminism checker, as a wrapper around any run: every deterministic execution is
// replayed from its recorded schedule (ReplayStrategy) on the same executor, and the two formatted
// traces must be byte-identical, and so must the verdicts. They differ only if something outside
// the scheduler's control decided what happened — a global counter in the target, a hash of an
// address, the wall clock — which voids every repro that target produces. That is a harness-level
// failure (exit 3), not a finding about the target's lifetime code.
//
// Returns nullopt when they agree; otherwise one line naming the first difference:
//   trace line 17 differs: recorded "t1 step 2 ok -> c=#7", replayed "t1 step 2 ok -> c=#8"
//   the replay's trace ends after line 40 (recorded: 52 lines)
//   verdicts differ: recorded double-free/..., replayed pass
// `diverged_at` (from Executor::Replay) is mentioned when the schedule stopped fitting.
std::optional<std::string> CompareWithReplay(const Scenario& scenario,
                                             const JudgedExecution& recorded,
                                             const JudgedExecution& replayed,
                                             std::optional<size_t> diverged_at);

}  // namespace gcs
