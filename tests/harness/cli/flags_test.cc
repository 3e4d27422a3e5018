// gcstress tests — Flags: defaults from flags.def reach the RunConfig; per-command differences.
#include "harness/cli/flags.h"

#include <gtest/gtest.h>

namespace gcs::cli {
namespace {

TEST(FlagsTest, DefaultsComeFromFlagsDef) {
  const Flags f;
  EXPECT_EQ(f.target, "core");
  EXPECT_EQ(f.strategy, "portfolio");
  EXPECT_EQ(f.seed, 1u);
  EXPECT_EQ(f.iterations, 1000u);
  EXPECT_EQ(f.jobs, 1u);
  EXPECT_EQ(f.yield_per_mille, 100u);
  EXPECT_EQ(f.reports, "reports");
  EXPECT_EQ(f.status_every, "2s");
  EXPECT_TRUE(f.faults.empty());
  EXPECT_FALSE(f.keep_going);
}

TEST(FlagsTest, RunConfigPerCommand) {
  Flags f;
  f.time_budget = "5s";
  f.max_time = "1m";
  f.faults = {"gc-worklist-race"};
  f.keep_going = true;
  auto run = MakeRunConfig(f, Command::kRun);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->iterations, 1000u);
  EXPECT_EQ(run->time_budget, std::chrono::milliseconds(5000));
  EXPECT_TRUE(run->keep_going);
  EXPECT_EQ(run->faults, f.faults);
  EXPECT_EQ(run->strategy, "portfolio");

  auto loop = MakeRunConfig(f, Command::kLoop);
  ASSERT_TRUE(loop.ok());
  EXPECT_EQ(loop->iterations, 0u);  // until stopped
  EXPECT_EQ(loop->time_budget, std::chrono::milliseconds(60000));
  EXPECT_TRUE(loop->keep_going);  // no --until-fail: keep looking
  f.until_fail = true;
  EXPECT_FALSE(MakeRunConfig(f, Command::kLoop)->keep_going);

  f.time_budget = "soon";
  auto bad = MakeRunConfig(f, Command::kCheck);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "--time-budget");
}

}  // namespace
}  // namespace gcs::cli
