// gcstress oracles — every scenario file on the fixed core: no violation (random, pct, free mode).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "harness/oracles/oracle_set.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"
#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

constexpr uint64_t kExecutionsPerStrategy = 1000;  // x2 strategies: 2,000 per file

// Runs `spec` over seeds [0, n) on the fixed core; fails on the first violation, printing it (and
// the trace with GCS_ORACLE_TRACE set).
void JudgeFile(const std::filesystem::path& file, const Scenario& scenario, const std::string& spec,
               uint64_t n) {
  const bool free_mode = spec == "free";
  CoreTarget target;
  Engine engine(target);
  OracleSet oracles(target, OracleOptions{.free_mode = free_mode});
  EngineOptions engine_options;
  engine_options.free_mode = free_mode;
  // Free mode has no strategy (the engine ignores it); any will do.
  auto strategy = sched::MakeStrategy(free_mode ? "round-robin" : spec);
  EXPECT_TRUE(strategy.ok());
  if (!strategy.ok()) return;
  for (uint64_t seed = 0; seed < n; ++seed) {
    oracles.Begin(scenario, target);
    Execution e = engine.Run(scenario, {}, *strategy.value(), seed, engine_options, &oracles);
    EXPECT_EQ(e.outcome, sched::ExecutionResult::Outcome::kCompleted)
        << file << " " << spec << " seed " << seed;
    const std::vector<Violation> all = oracles.All();
    if (all.empty()) continue;
    std::string text;
    for (const Violation& v : all) {
      text += "  " + v.Signature() + " @" + std::to_string(v.trace_index) + ": " + v.message + "\n";
    }
    ADD_FAILURE() << file.filename() << " " << spec << " seed " << seed << " on the fixed core:\n"
                  << text << (getenv("GCS_ORACLE_TRACE") ? FormatTrace(scenario, e.trace) : "");
    return;
  }
}

void JudgeEveryScenarioFile(const std::string& spec, uint64_t executions) {
  CoreTarget core;
  LoadOptions options;
  options.known_faults = core.FaultNames();
  options.supported_ops = core.SupportedOps();
  const auto files = ScenarioFiles();
  ASSERT_FALSE(files.empty());
  const auto start = std::chrono::steady_clock::now();
  size_t judged = 0;
  for (const auto& file : files) {
    auto s = LoadScenarioFile(file.string(), options);
    if (!s.ok()) continue;  // not a core scenario (the scenario suite judges loading)
    ++judged;
    JudgeFile(file, s.value(), spec, executions);
  }
  EXPECT_GT(judged, 0u);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ oracles  ] %s: %zu scenario files x %llu executions = %llu executions, %.1f s\n",
              spec.c_str(), judged, static_cast<unsigned long long>(executions),
              static_cast<unsigned long long>(judged * executions), seconds);
}

TEST(OracleScenariosTest, EveryScenarioFilePassesOnTheFixedCoreUnderRandom) {
  JudgeEveryScenarioFile("random", kExecutionsPerStrategy);
}

TEST(OracleScenariosTest, EveryScenarioFilePassesOnTheFixedCoreUnderPct) {
  JudgeEveryScenarioFile("pct", kExecutionsPerStrategy);
}

// Free mode runs the order-independent subset (OracleOptions::free_mode): it too must be silent.
TEST(OracleScenariosTest, TheFreeModeSubsetIsSilentOnTheFixedCore) {
  JudgeEveryScenarioFile("free", 300);
}

}  // namespace
}  // namespace gcs::testing
