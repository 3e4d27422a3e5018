// gcstress runner — replaying a Repro: the same scenario, config and schedule, judged again.
#pragma once

#include <cstddef>
#include <optional>

#include "harness/runner/executor.h"
#include "harness/runner/repro.h"

namespace gcs {

struct ReplayResult {
  JudgedExecution run;
  // The replayed verdict has the recorded verdict's signature. (Messages may name allocation ids
  // and are compared by nobody.)
  bool matches = false;
  // Deterministic repros: the first decision the execution asked for that the schedule could not
  // answer (ReplayStrategy::DivergedAt). Expected after the target changed (a fixed bug takes
  // other paths); with the same build it means nondeterminism.
  std::optional<size_t> diverged_at;
};

// Re-executes `repro` on `executor` (whose target must be the repro's, made with
// OracleOptions{.free_mode = repro.free_mode}): deterministic repros
// follow their schedule decision by decision; free mode repros run free again with the recorded
// seed, which reproduces only as often as the OS interleaves the same way.
ReplayResult ReplayRepro(Executor& executor, const Repro& repro);

}  // namespace gcs
