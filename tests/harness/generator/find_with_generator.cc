// gcstress generator — tests: the generate-run-judge loop.
#include "find_with_generator.h"

#include <chrono>

#include "core/check.h"
#include "harness/engine/engine.h"
#include "harness/runner/judge.h"
#include "harness/scheduler/prng.h"

namespace gcs::testing {

FindResult FindWithGenerator(Target& target, const FindOptions& options,
                             const std::function<bool(const Violation&)>& accept) {
  const auto start = std::chrono::steady_clock::now();
  FindResult result;
  Engine engine(target);
  Judge judge(target, OracleOptions{});
  for (uint64_t i = 0; i < options.max_scenarios && !result.found; ++i) {
    const uint64_t seed = options.first_seed + i;
    const Scenario scenario = GenerateScenario(seed, options.generator);
    ++result.scenarios;
    auto strategy = sched::MakeStrategy(options.strategy);
    GCS_CHECK(strategy.ok());
    for (uint32_t run = 0; run < options.runs_per_scenario; ++run) {
      judge.Begin(scenario, target);
      Execution e = engine.Run(scenario, options.faults, **strategy, sched::DeriveSeed(seed, run),
                               {}, judge.Observer());
      ++result.executions;
      std::optional<Violation> v = judge.Verdict(scenario, e);
      if (v && accept(*v)) {
        result.found = true;
        result.seed = seed;
        result.scenario = scenario;
        result.schedule = e.schedule;
        result.violation = *v;
        break;
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

FindResult FindFailingRun(Target& target, const Scenario& scenario,
                          const std::vector<std::string>& faults,
                          const std::function<bool(const Violation&)>& accept, uint64_t max_runs,
                          const std::string& strategy_spec, uint64_t first_seed) {
  const auto start = std::chrono::steady_clock::now();
  FindResult result;
  result.scenario = scenario;
  result.scenarios = 1;
  Engine engine(target);
  Judge judge(target, OracleOptions{});
  auto strategy = sched::MakeStrategy(strategy_spec);
  GCS_CHECK(strategy.ok());
  for (uint64_t i = 0; i < max_runs; ++i) {
    judge.Begin(scenario, target);
    Execution e = engine.Run(scenario, faults, **strategy, sched::DeriveSeed(first_seed, i), {},
                             judge.Observer());
    ++result.executions;
    std::optional<Violation> v = judge.Verdict(scenario, e);
    if (v && accept(*v)) {
      result.found = true;
      result.schedule = e.schedule;
      result.violation = *v;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace gcs::testing
