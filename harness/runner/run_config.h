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
// confirm. Changing jobs never changes what any iteration does (Runner, "Iterations").
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
};

}  // namespace gcs
