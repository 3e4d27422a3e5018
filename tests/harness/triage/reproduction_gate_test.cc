// gcstress tests — the reproduction-rate gate: deterministic strategies reproduce every time;
// free-mode failures come back as deterministic repros that replay bit for bit.
#include "harness/triage/reproduction_gate.h"

#include <gtest/gtest.h>

#include "harness/runner/repro.h"
#include "harness/runner/repro_replay.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/address_sanitizer.h"

namespace gcs::triage {
namespace {

struct SeedBug {
  const char* scenario;
  const char* fault;
};

// One minimal scenario per seed fault of the core (SEED_BUGS.md).
const SeedBug kSeedBugs[] = {
    {"refpool/refpool-minimal.json", "refpool-deferred-incref"},
    {"gc-worklist/gc-worklist-minimal.json", "gc-worklist-race"},
    {"proxy-table/proxy-table-minimal.json", "proxy-shared-table"},
    {"terminate/terminate-minimal.json", "terminate-keeps-listeners"},
    {"vm-switch/vm-switch-minimal.json", "vm-switch-stale-current"},
};

RunConfig Config(const std::string& fault, const std::string& strategy, uint32_t confirm) {
  RunConfig c;
  c.target = "core";
  c.faults = {fault};
  c.strategy = strategy;
  c.free_mode = strategy == "free";
  c.yield_per_mille = 100;
  c.seed = 1;
  c.iterations = 200000;
  c.time_budget = std::chrono::seconds(20);
  c.confirm = confirm;
  return c;
}

Scenario Load(const Runner& runner, const std::string& path) {
  auto s = LoadScenarioFile(std::string(GCS_SOURCE_DIR) + "/scenarios/" + path,
                            runner.ScenarioLoadOptions());
  EXPECT_TRUE(s.ok()) << s.error().Format();
  return *s;
}

// The gate's requirement: a deterministic strategy's repro reproduces 100% of the time.
TEST(ReproductionGateTest, DeterministicStrategiesReproduceEveryTime) {
  GCS_SKIP_UNDER_ASAN();
  for (const SeedBug& bug : kSeedBugs) {
    for (const char* strategy : {"pct", "random"}) {
      SCOPED_TRACE(std::string(bug.fault) + " " + strategy);
      const RunConfig config = Config(bug.fault, strategy, 20);
      Expected<Runner> runner = Runner::Create(config);
      ASSERT_TRUE(runner.ok()) << runner.error().Format();
      const Scenario s = Load(*runner, bug.scenario);
      const RunSummary summary = runner->Run(s);
      ASSERT_TRUE(summary.first_failure.has_value()) << "the seed bug was not found";
      const GatedFailure g = GateFailure(s, config, *summary.first_failure,
                                         GateOptions{.convert_budget = std::chrono::seconds(5)});
      EXPECT_TRUE(g.reproduction.deterministic);
      EXPECT_FALSE(g.reproduction.converted);
      EXPECT_TRUE(g.reproduction.conversion.empty());
      EXPECT_EQ(g.reproduction.runs, 20u);
      EXPECT_EQ(g.reproduction.reproduced, 20u) << "a deterministic repro must reproduce 100%";
      EXPECT_EQ(g.failure.iteration, summary.first_failure->iteration);
    }
  }
}

TEST(ReproductionGateTest, FreeFailureBecomesADeterministicRepro) {
  GCS_SKIP_UNDER_ASAN();
  const RunConfig config = Config("refpool-deferred-incref", "free", 10);
  Expected<Runner> runner = Runner::Create(config);
  ASSERT_TRUE(runner.ok()) << runner.error().Format();
  const Scenario s = Load(*runner, "refpool/refpool-minimal.json");
  const RunSummary summary = runner->Run(s);
  if (!summary.first_failure) GTEST_SKIP() << "free mode found nothing within its budget";
  const Failure& free_failure = *summary.first_failure;
  ASSERT_TRUE(free_failure.execution.free_mode);
  const GatedFailure g =
      GateFailure(s, config, free_failure, GateOptions{.convert_budget = std::chrono::seconds(20)});
  ASSERT_TRUE(g.reproduction.converted) << g.reproduction.conversion;
  EXPECT_TRUE(g.reproduction.deterministic);
  EXPECT_EQ(g.reproduction.free_iteration, free_failure.iteration);
  EXPECT_NE(g.reproduction.conversion.find("replays bit for bit"), std::string::npos);
  EXPECT_EQ(g.failure.violation.Signature(), free_failure.violation.Signature());
  EXPECT_FALSE(g.failure.execution.free_mode);
  EXPECT_FALSE(g.config.free_mode);
  EXPECT_EQ(g.reproduction.runs, 10u);
  EXPECT_EQ(g.reproduction.reproduced, 10u);
  // Its repro replays to the same verdict, every time.
  const Repro repro = MakeRepro(s, g.config, g.failure);
  EXPECT_FALSE(repro.free_mode);
  auto target = MakeTarget("core");
  ASSERT_TRUE(target.ok());
  Executor executor(std::move(target).value());
  for (int k = 0; k < 5; ++k) {
    const ReplayResult r = ReplayRepro(executor, repro);
    EXPECT_TRUE(r.matches);
    EXPECT_FALSE(r.diverged_at.has_value());
  }
}

TEST(ReproductionGateTest, WithoutABudgetAFreeFailureStaysFree) {
  GCS_SKIP_UNDER_ASAN();
  const RunConfig config = Config("refpool-deferred-incref", "free", 0);
  Expected<Runner> runner = Runner::Create(config);
  ASSERT_TRUE(runner.ok());
  const Scenario s = Load(*runner, "refpool/refpool-minimal.json");
  const RunSummary summary = runner->Run(s);
  if (!summary.first_failure) GTEST_SKIP() << "free mode found nothing within its budget";
  const GatedFailure g = GateFailure(s, config, *summary.first_failure, GateOptions{});
  EXPECT_FALSE(g.reproduction.converted);
  EXPECT_FALSE(g.reproduction.deterministic);
  EXPECT_TRUE(g.failure.execution.free_mode);
  EXPECT_EQ(g.failure.iteration, summary.first_failure->iteration);
}

TEST(ReproductionGateTest, SaysSoWhenNoDeterministicScheduleIsFound) {
  GCS_SKIP_UNDER_ASAN();
  RunConfig config = Config("refpool-deferred-incref", "free", 0);
  Expected<Runner> runner = Runner::Create(config);
  ASSERT_TRUE(runner.ok());
  const Scenario s = Load(*runner, "refpool/refpool-minimal.json");
  // A failure with a signature no schedule of this scenario gives.
  Failure f;
  f.execution.free_mode = true;
  f.execution.schedule.strategy = "free";
  f.violation.kind = ViolationKind::kLeak;
  f.violation.site = "no.such.site";
  const GatedFailure g =
      GateFailure(s, config, f, GateOptions{.convert_budget = std::chrono::milliseconds(300)});
  EXPECT_FALSE(g.reproduction.converted);
  EXPECT_NE(g.reproduction.conversion.find("no deterministic schedule"), std::string::npos)
      << g.reproduction.conversion;
  EXPECT_TRUE(g.failure.execution.free_mode);
}

}  // namespace
}  // namespace gcs::triage
