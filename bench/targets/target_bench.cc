// gcstress targets — benchmark: steps/s through protocol 1 with a do-nothing adapter (the
// protocol's own cost: a request and a reply per step; target >= 20,000 steps/s), and executions/s
// of the real systems (pyo3 in process; the comlink and coincident adapters in Node).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/steps_scenario.h"
#include "harness/engine/engine.h"
#include "harness/runner/executor.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/strategy.h"
#include "harness/target/target.h"

namespace gcs {
namespace {

const std::string kSource = GCS_SOURCE_DIR;

std::unique_ptr<Target> Make(const std::string& spec, benchmark::State& state) {
  auto t = MakeTarget(spec);
  if (!t.ok()) {
    state.SkipWithError(t.error().Format().c_str());
    return nullptr;
  }
  return std::move(t).value();
}

std::optional<Scenario> Load(const Target& target, const std::string& text,
                             benchmark::State& state) {
  auto s = LoadScenarioText(text, "bench.json", ScenarioLoadOptionsFor(target));
  if (!s.ok()) {
    state.SkipWithError(s.error().Format().c_str());
    return std::nullopt;
  }
  return std::move(s).value();
}

std::optional<Scenario> LoadFile(const Target& target, const std::string& relative,
                                 benchmark::State& state) {
  auto s = LoadScenarioFile(kSource + "/scenarios/" + relative, ScenarioLoadOptionsFor(target));
  if (!s.ok()) {
    state.SkipWithError(s.error().Format().c_str());
    return std::nullopt;
  }
  return std::move(s).value();
}

// One thread cycling through new, use, clone, drop: one request and one reply per step (a drop is
// a discard), nothing the adapter does costs anything. What remains is the protocol.
constexpr int kSteps = 2000;
std::string StepsScenario() {
  return bench::CyclingScenario(
      kSteps, R"({"op": "new", "as": "a"})",
      {R"({"op": "yield"})", R"({"op": "use", "obj": "a"})",
       R"({"op": "clone", "obj": "a", "as": "b"})", R"({"op": "drop", "obj": "b"})"});
}

void BM_NullAdapterSteps(benchmark::State& state) {
  std::unique_ptr<Target> target = Make(kSource + "/targets/null/target.json", state);
  if (!target) return;
  const std::optional<Scenario> s = Load(*target, StepsScenario(), state);
  if (!s) return;
  Engine engine(*target);
  auto rr = sched::MakeStrategy("round-robin");
  uint64_t steps = 0;
  for (auto _ : state) {
    Execution e = engine.Run(*s, {}, **rr, 1, {});
    if (e.target_failure) {
      state.SkipWithError(e.target_failure->violation.message.c_str());
      return;
    }
    steps += e.steps;
    engine.Recycle(std::move(e));
  }
  state.counters["steps/s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NullAdapterSteps)->Unit(benchmark::kMillisecond)->UseRealTime();

// Whole judged executions of a seed scenario under pct, one after another in this process: what
// a search of the real system costs per iteration.
void Executions(benchmark::State& state, const std::string& spec, const std::string& scenario) {
  std::unique_ptr<Target> target = Make(spec, state);
  if (!target) return;
  const std::optional<Scenario> s = LoadFile(*target, scenario, state);
  if (!s) return;
  Executor executor(std::move(target), OracleOptions{});
  auto pct = sched::MakeStrategy("pct");
  uint64_t seed = 1;
  for (auto _ : state) {
    JudgedExecution run = executor.Execute(*s, {}, **pct, seed++, EngineOptions{});
    if (run.execution.target_failure) {
      state.SkipWithError(run.execution.target_failure->violation.message.c_str());
      return;
    }
    benchmark::DoNotOptimize(run.verdict);
    executor.Recycle(std::move(run.execution));
  }
  state.counters["exec/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_NullAdapterExecutions(benchmark::State& state) {
  Executions(state, kSource + "/targets/null/target.json", "fixed/clone-with-lock-held.json");
}
BENCHMARK(BM_NullAdapterExecutions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Pyo3Executions(benchmark::State& state) {
  Executions(state, "pyo3", "fixed/clone-with-lock-held.json");
}
BENCHMARK(BM_Pyo3Executions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ComlinkExecutions(benchmark::State& state) {
  Executions(state, "comlink@4.4.2", "terminate/terminate-release-workaround.json");
}
BENCHMARK(BM_ComlinkExecutions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CoincidentExecutions(benchmark::State& state) {
  Executions(state, "coincident@2.2.3", "proxy-table/proxy-table-minimal.json");
}
BENCHMARK(BM_CoincidentExecutions)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace gcs

BENCHMARK_MAIN();
