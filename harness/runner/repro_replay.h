// gcstress runner — replaying a Repro: the same scenario, config and schedule, judged again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "harness/isolation/wire.h"
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
  // Isolated replays: the replay's process died or hung, and what it left (Failure::evidence).
  bool died = false;
  std::string evidence;
  std::string evidence_file;
  std::shared_ptr<const isolation::TraceStrings> trace_strings;
};

// Re-executes `repro` on `executor` (whose target must be the repro's, made with
// OracleOptions{.free_mode = repro.free_mode}): deterministic repros
// follow their schedule decision by decision; free mode repros run free again with the recorded
// seed, which reproduces only as often as the OS interleaves the same way.
ReplayResult ReplayRepro(Executor& executor, const Repro& repro);

// The same, `times` times, in child processes (a fresh one after each death): a repro of a crash
// replays to a crash verdict instead of killing the caller. each(k, result) for k = 0, 1, ...
// on this thread. `factory` makes the repro's target. A hang (no progress for step_timeout, 0 =
// never) is a verdict too. Errors: a child could not be started or the harness failed in one.
std::optional<std::string> ReplayReproIsolated(
    const TargetFactory& factory, const Repro& repro, uint64_t times,
    std::chrono::milliseconds step_timeout,
    const std::function<void(uint64_t, ReplayResult&&)>& each);

}  // namespace gcs
