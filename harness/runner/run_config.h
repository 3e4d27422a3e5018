// gcstress runner — RunConfig: everything that decides what a run executes, as plain data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/violation.h"

namespace gcs {

// What to run a scenario with. Plain data, filled by the CLI from its flags (harness/cli/
// flags.def holds every default; the zero values here are "off"/"none", not policy) or by a test.
//
// The fields that decide an execution's result are target, faults, strategy, seed, free_mode and
// yield_per_mille, with the iteration index; they go into every repro. The rest only decide how
// many executions run and how: iterations, time_budget, jobs, check_determinism, keep_going,
// confirm, isolate, batch, step_timeout. Changing jobs or batch never changes what any iteration
// does (Runner, "Iterations"); step_timeout decides only when an execution that stopped making
// progress is called a hang.
struct RunConfig {
  std::string target;               // a ListTargets() name, e.g. "core"
  std::vector<std::string> faults;  // the target's fault switches to turn on, as given
  std::string strategy;             // a strategy spec ("pct:depth=3", "dfs", "random"), or "free"
  uint64_t seed = 0;                // the base seed: iteration i runs with IterationSeed(seed, i)
  uint64_t iterations = 0;          // executions to run; 0 = until stopped otherwise
  std::chrono::milliseconds time_budget{0};  // 0 = none; checked between iterations only
  bool free_mode = false;                    // real parallel threads (same as strategy "free")
  uint32_t yield_per_mille = 0;              // free mode: chance of a yield at each point
  bool check_determinism = false;  // replay every execution from its schedule and compare traces
  bool keep_going = false;         // do not stop at the first violation ...
  std::optional<ViolationKind> stop_on_kind;  // ... but (if set) at the first one of this kind
  uint32_t jobs = 1;                          // worker threads, each with its own target and engine
  uint32_t confirm = 0;  // replay each reported failure this many times and count
  // Fork mode (Runner, "Isolation"): executions run in child processes, so a crash, a sanitizer
  // report or a hang becomes a verdict instead of the end of the run.
  bool isolate = false;
  uint64_t batch = 0;  // fork mode: at most this many iterations per child; 0 = no limit
  // No schedule progress for this long is a `hang` (fork mode: the child is killed; in-process:
  // the process exits with code 4). 0 = no watchdog.
  std::chrono::milliseconds step_timeout{0};
};

}  // namespace gcs
