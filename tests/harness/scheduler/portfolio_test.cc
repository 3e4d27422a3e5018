// gcstress scheduler — tests: PortfolioStrategy: the variant draw, its bounds, k, repeatability.
#include "harness/scheduler/portfolio.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/pct.h"
#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::StepProgram;

// How many of 2000 executions ran each variant.
std::map<std::string, int> Variants(PortfolioStrategy& portfolio) {
  std::map<std::string, int> seen;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    portfolio.BeginExecution(seed, 3);
    ++seen[portfolio.Variant()];
  }
  return seen;
}

TEST(PortfolioStrategy, SpecIsWhatMakeStrategyBuildsFromAndRoundTrips) {
  auto made = MakeStrategy("portfolio");
  ASSERT_TRUE(made.ok());
  EXPECT_EQ((*made)->Spec(), "portfolio:max-depth=8,random=50,steps=64");
  auto again = MakeStrategy("portfolio:random=30,max-depth=5,steps=20");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Spec(), "portfolio:max-depth=5,random=30,steps=20");
  EXPECT_FALSE(MakeStrategy("portfolio:max-depth=1").ok());
  EXPECT_FALSE(MakeStrategy("portfolio:random=101").ok());
}

TEST(PortfolioStrategy, HalfTheExecutionsAreRandomAndTheRestPctAtEveryDepthUpToTheCap) {
  PortfolioStrategy portfolio(8, 50, 64, /*yields_percent=*/50);  // k = 64: cap min(8, 1 + 16) = 8
  const std::map<std::string, int> seen = Variants(portfolio);
  ASSERT_TRUE(seen.count("random"));
  EXPECT_GT(seen.at("random"), 900);
  EXPECT_LT(seen.at("random"), 1100);
  for (int depth = 2; depth <= 8; ++depth) {
    // Half of each depth's executions demote threads at their yield ops.
    for (const char* yields : {"", ",yields=1"}) {
      const std::string spec = "pct:depth=" + std::to_string(depth) + ",steps=64" + yields;
      ASSERT_TRUE(seen.count(spec)) << spec;
      EXPECT_GT(seen.at(spec), 40) << spec;  // ~71 each
    }
  }
  EXPECT_EQ(seen.size(), 15u);  // random and depths 2..8 with and without yields, nothing else
}

TEST(PortfolioStrategy, AShortProgramGetsAtMostAQuarterOfItsStepsAsChangePoints) {
  PortfolioStrategy portfolio(8, 0, 8, /*yields_percent=*/50);  // k = 8: cap 1 + 8/4 = 3
  const std::map<std::string, int> seen = Variants(portfolio);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_TRUE(seen.count("pct:depth=2,steps=8"));
  EXPECT_TRUE(seen.count("pct:depth=3,steps=8"));
  EXPECT_TRUE(seen.count("pct:depth=2,steps=8,yields=1"));
  EXPECT_TRUE(seen.count("pct:depth=3,steps=8,yields=1"));
  PortfolioStrategy all_random(8, 100, 8, /*yields_percent=*/50);
  EXPECT_EQ(Variants(all_random), (std::map<std::string, int>{{"random", 2000}}));
}

TEST(PortfolioStrategy, KIsTheMostSchedulePointsAnExecutionPassed) {
  Controller controller;
  StepProgram program(controller, 3, 10);  // 30 points per execution
  PortfolioStrategy portfolio(8, 50, 4, /*yields_percent=*/50);
  program.Run(portfolio, 1);
  program.Run(portfolio, 2);
  portfolio.BeginExecution(3, 3);
  EXPECT_EQ(portfolio.step_estimate(), 30u);
  EXPECT_EQ(portfolio.Spec(), "portfolio:max-depth=8,random=50,steps=30");
}

TEST(PortfolioStrategy, AFreshStrategyFromTheRecordedSpecRepeatsAnExecution) {
  Controller controller;
  StepProgram program(controller, 3, 6, /*draws=*/true);
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    auto first = MakeStrategy("portfolio:steps=18");
    ASSERT_TRUE(first.ok());
    const ExecutionResult a = program.Run(**first, seed);
    const std::string log = program.Log();
    auto second = MakeStrategy(a.schedule.strategy);
    ASSERT_TRUE(second.ok());
    const ExecutionResult b = program.Run(**second, seed);
    EXPECT_EQ(a.schedule, b.schedule) << seed;
    EXPECT_EQ(program.Log(), log) << seed;
  }
}

TEST(PortfolioStrategy, APctExecutionDecidesExactlyAsPctWithTheSameSeed) {
  Controller controller;
  StepProgram program(controller, 3, 6, /*draws=*/true);
  int compared = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    PortfolioStrategy portfolio(8, 50, 18, /*yields_percent=*/50);
    const ExecutionResult a = program.Run(portfolio, seed);
    const std::string log = program.Log();
    const std::string variant = portfolio.Variant();
    auto alone = MakeStrategy(variant);
    ASSERT_TRUE(alone.ok()) << variant;
    const ExecutionResult b = program.Run(**alone, seed);
    EXPECT_EQ(a.schedule.decisions, b.schedule.decisions) << variant;
    EXPECT_EQ(program.Log(), log) << variant;
    compared += variant != "random" ? 1 : 0;
  }
  EXPECT_GT(compared, 10);
}

}  // namespace
}  // namespace gcs::sched
