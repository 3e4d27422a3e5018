// gcstress scheduler — tests: RandomStrategy: pinned choices, uniformity, independent draw stream.
#include "harness/scheduler/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <vector>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/schedule.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::StepProgram;

std::vector<ThreadIndex> Choices(RandomStrategy& strategy, uint64_t seed, int count) {
  strategy.BeginExecution(seed, 3);
  const ThreadIndex all[] = {0, 1, 2};
  std::vector<ThreadIndex> out;
  ThreadIndex current = 0;
  for (int i = 0; i < count; ++i)
    out.push_back(current = strategy.NextThread(all, current, true));
  return out;
}

TEST(RandomStrategy, ChoicesForAFixedSeedArePinned) {
  RandomStrategy strategy;
  EXPECT_EQ(Choices(strategy, 42, 16),
            (std::vector<ThreadIndex>{2, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2}));
  // Re-seeding repeats them.
  EXPECT_EQ(Choices(strategy, 42, 16), Choices(strategy, 42, 16));
  EXPECT_NE(Choices(strategy, 42, 16), Choices(strategy, 43, 16));
}

TEST(RandomStrategy, DrawsForAFixedSeedArePinned) {
  RandomStrategy strategy;
  strategy.BeginExecution(42, 2);
  EXPECT_EQ(strategy.NextU64(), 17440176056008250010ULL);
  EXPECT_EQ(strategy.NextU64(), 8952342551172967232ULL);
}

TEST(RandomStrategy, ExecutionUnderTheControllerIsPinnedAndRepeatable) {
  Controller controller;
  StepProgram program(controller, 3, 4, /*draws=*/true);
  RandomStrategy strategy;
  const ExecutionResult first = program.Run(strategy, 42);
  const std::string log = program.Log();
  EXPECT_EQ(FormatSchedule(first.schedule),
            "gcs1:seed=42:strategy=random:2.0x2.r17440176056008250010.2.r8952342551172967232.0."
            "r6189342054386081491.2.r18239706454061623705.0.r5214549746573714367.0."
            "r17618692805484079360.1x2.r14759213066749639761.1.r11418687598037839895.2."
            "r4483177742058978341.2.r14282545681096011803.r15755644058962813621."
            "r15278542491285984188");
  EXPECT_EQ(log, "0:0=0 2:0=2 0:1=1 2:1=5 0:2=7 0:3=0 1:0=1 1:1=5 2:2=1 2:3=3 1:2=1 1:3=8");
  const ExecutionResult second = program.Run(strategy, 42);
  EXPECT_EQ(second.schedule, first.schedule);
  EXPECT_EQ(program.Log(), log);
}

TEST(RandomStrategy, DifferentSeedsGiveDifferentInterleavings) {
  Controller controller;
  StepProgram program(controller, 3, 4);
  RandomStrategy strategy;
  std::set<std::string> logs;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    program.Run(strategy, seed);
    logs.insert(program.Log());
  }
  EXPECT_GE(logs.size(), 18u);
}

TEST(RandomStrategy, ChoosesUniformlyAmongRunnable) {
  RandomStrategy strategy;
  strategy.BeginExecution(7, 8);
  const ThreadIndex runnable[] = {1, 3, 5, 7};
  std::array<int, 8> counts{};
  for (int i = 0; i < 40000; ++i)
    ++counts[strategy.NextThread(runnable, 1, true)];
  for (ThreadIndex t : runnable) {
    EXPECT_GT(counts[t], 9500) << t;
    EXPECT_LT(counts[t], 10500) << t;
  }
  EXPECT_EQ(counts[0] + counts[2] + counts[4] + counts[6], 0);
}

// Draws come from their own stream: an engine drawing more or less never shifts thread choices.
TEST(RandomStrategy, DrawsDoNotShiftThreadChoices) {
  RandomStrategy a, b;
  a.BeginExecution(9, 3);
  b.BeginExecution(9, 3);
  const ThreadIndex all[] = {0, 1, 2};
  for (int i = 0; i < 50; ++i) {
    for (int d = 0; d < i % 3; ++d)
      b.NextU64();
    ASSERT_EQ(a.NextThread(all, 0, true), b.NextThread(all, 0, true));
  }
}

}  // namespace
}  // namespace gcs::sched
