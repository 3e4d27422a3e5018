// gcstress generator — tests: FindWithGenerator: seeds -> generated scenarios -> a few executions
// each, judged like `gcstress run` judges them, until a verdict is accepted. What "found by the
// generator alone" means in the tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/generator/generator.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"
#include "harness/target/target.h"

namespace gcs::testing {

struct FindOptions {
  GeneratorOptions generator;
  std::vector<std::string> faults;
  uint64_t first_seed = 1;
  uint64_t max_scenarios = 20000;
  uint32_t runs_per_scenario = 4;  // executions of each scenario, one strategy seed each
  std::string strategy = "pct";
};

struct FindResult {
  bool found = false;
  uint64_t seed = 0;  // the generator seed of the failing scenario
  Scenario scenario;
  sched::Schedule schedule;  // replays the failing execution
  Violation violation;
  uint64_t scenarios = 0;   // generated, the failing one included
  uint64_t executions = 0;  // run, the failing one included
  double seconds = 0;       // wall time to the first failure (or to giving up)
};

// Generates scenarios from seeds first_seed, first_seed + 1, ... and runs each
// runs_per_scenario times (strategy seeds DeriveSeed(seed, run), one strategy object per
// scenario, as `gcstress run` iterates), judging each execution with the runner's Judge; stops
// at the first verdict `accept` takes. Deterministic apart from `seconds`.
FindResult FindWithGenerator(Target& target, const FindOptions& options,
                             const std::function<bool(const Violation&)>& accept);

// Runs `scenario` under `faults` with strategy `strategy` and seeds DeriveSeed(first_seed, i)
// for i < max_runs, one strategy object for all (as `gcstress run` iterates), until `accept`
// takes a verdict. found == false if none did.
FindResult FindFailingRun(Target& target, const Scenario& scenario,
                          const std::vector<std::string>& faults,
                          const std::function<bool(const Violation&)>& accept,
                          uint64_t max_runs = 20000, const std::string& strategy = "pct",
                          uint64_t first_seed = 1);

}  // namespace gcs::testing
