// gcstress engine — benchmark: single-thread steps/s on the core target (DESIGN.md §9: >= 2M/s),
// and executions/s of a small two-thread scenario under pct, bare and through the Runner.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/engine/refpool_scenario.h"
#include "bench/steps_scenario.h"
#include "harness/engine/engine.h"
#include "harness/runner/executor.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"

namespace gcs {
namespace {

using bench::kRefpool;

Scenario Load(const std::string& text) {
  CoreTarget target;
  LoadOptions options;
  options.known_faults = target.FaultNames();
  auto s = LoadScenarioText(text, "bench.json", options);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().Format().c_str());
    std::abort();
  }
  return std::move(s).value();
}

std::unique_ptr<sched::Strategy> Strategy(const char* spec) {
  auto s = sched::MakeStrategy(spec);
  if (!s) std::abort();
  return std::move(s).value();
}

// One thread, attached, cycling through cheap lifetime ops: new, clone, drop, yield. Every step
// is a real core operation with its events; the schedule points between steps have a single
// runnable thread, so no decision is ever asked of the strategy.
constexpr int kSteps = 4000;
std::string StepsScenario() {
  // The cycle starts at step 1 with new; step 0 attaches.
  return bench::CyclingScenario(
      kSteps, R"({"op": "attach"})",
      {R"({"op": "yield"})", R"({"op": "new", "as": "a"})",
       R"({"op": "clone", "obj": "a", "as": "b"})", R"({"op": "drop", "obj": "b"})"});
}

// The engine alone: what DESIGN §9's 2M steps/s is about.
void BM_SingleThreadSteps(benchmark::State& state) {
  const Scenario s = Load(StepsScenario());
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  uint64_t steps = 0;
  for (auto _ : state) {
    Execution e = engine.Run(s, {}, *rr, 1, {});
    steps += e.steps;
    benchmark::DoNotOptimize(e.trace.entries.data());
  }
  state.counters["steps/s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SingleThreadSteps)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with the oracles judging every trace entry (Executor = engine + Judge).
void BM_SingleThreadStepsJudged(benchmark::State& state) {
  const Scenario s = Load(StepsScenario());
  Executor executor(std::make_unique<CoreTarget>());
  auto rr = Strategy("round-robin");
  uint64_t steps = 0;
  for (auto _ : state) {
    JudgedExecution j = executor.Execute(s, {}, *rr, 1, {});
    steps += j.execution.steps;
    if (j.verdict) state.SkipWithError(j.verdict->message.c_str());
  }
  state.counters["steps/s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
  state.counters["oracles"] = static_cast<double>(executor.judge().OracleCount());
}
BENCHMARK(BM_SingleThreadStepsJudged)->Unit(benchmark::kMillisecond)->UseRealTime();

// One execution per iteration under a fresh pct strategy, as the runner gives each iteration.
void BM_SmallScenarioPct(benchmark::State& state) {
  const Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  uint64_t seed = 0;
  for (auto _ : state) {
    auto pct = Strategy("pct:depth=3,steps=8");
    Execution e = engine.Run(s, {}, *pct, ++seed, {});
    benchmark::DoNotOptimize(e.trace.entries.data());
  }
  state.counters["exec/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SmallScenarioPct)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The whole Runner: seeds, calibration, fresh strategies, the oracles, summary bookkeeping;
// state.range(0) workers on this machine's cores.
void BM_RunnerSmallScenarioPct(benchmark::State& state) {
  RunConfig config;
  config.target = "core";
  config.strategy = "pct";
  config.seed = 1;
  config.iterations = 2000;
  config.jobs = static_cast<uint32_t>(state.range(0));
  auto runner = Runner::Create(config);
  if (!runner) std::abort();
  const Scenario s = Load(kRefpool);
  uint64_t executions = 0;
  for (auto _ : state) {
    const RunSummary summary = runner->Run(s);
    if (summary.first_failure)
      state.SkipWithError(summary.first_failure->violation.message.c_str());
    executions += summary.iterations;
  }
  state.counters["exec/s"] =
      benchmark::Counter(static_cast<double>(executions), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RunnerSmallScenarioPct)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace gcs

BENCHMARK_MAIN();
