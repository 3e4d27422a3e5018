// gcstress scheduler — tests: RoundRobinStrategy: cyclic order, seed-independent, pinned
// interleaving.
#include "harness/scheduler/round_robin.h"

#include <gtest/gtest.h>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/schedule.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::StepProgram;

TEST(RoundRobinStrategy, PicksTheNextRunnableInCyclicIndexOrder) {
  RoundRobinStrategy rr;
  rr.BeginExecution(1, 4);
  const ThreadIndex all[] = {0, 1, 2};
  EXPECT_EQ(rr.NextThread(all, 0, true), 1u);
  EXPECT_EQ(rr.NextThread(all, 1, true), 2u);
  EXPECT_EQ(rr.NextThread(all, 2, true), 0u);
  const ThreadIndex gap[] = {0, 2};
  EXPECT_EQ(rr.NextThread(gap, 1, false), 2u);  // current finished: next after it
  EXPECT_EQ(rr.NextThread(gap, 2, true), 0u);   // wraps
  const ThreadIndex high[] = {1, 3};
  EXPECT_EQ(rr.NextThread(high, 3, true), 1u);
  EXPECT_EQ(rr.NextThread(high, 0, false), 1u);
}

TEST(RoundRobinStrategy, InterleavingIsPinnedAndIgnoresTheSeed) {
  Controller controller;
  StepProgram program(controller, 3, 3);
  RoundRobinStrategy rr;
  const ExecutionResult a = program.Run(rr, 5);
  EXPECT_EQ(program.Log(), "0:0 1:0 2:0 0:1 1:1 2:1 0:2 1:2 2:2");
  // The start picks 0 (nobody runs: the lowest), a point per step, then thread 0's finish
  // chooses between 1 and 2; thread 1's has no choice left.
  EXPECT_EQ(FormatSchedule(a.schedule), "gcs1:seed=5:strategy=round-robin:0.1.2.0.1.2.0.1.2.0.1");
  const ExecutionResult b = program.Run(rr, 99);
  EXPECT_EQ(program.Log(), "0:0 1:0 2:0 0:1 1:1 2:1 0:2 1:2 2:2");
  EXPECT_EQ(b.schedule.decisions, a.schedule.decisions);
}

TEST(RoundRobinStrategy, DrawsIgnoreTheSeedAndRestartEachExecution) {
  RoundRobinStrategy rr;
  rr.BeginExecution(1, 2);
  const uint64_t first = rr.NextU64();
  const uint64_t second = rr.NextU64();
  EXPECT_NE(first, second);
  rr.BeginExecution(12345, 2);
  EXPECT_EQ(rr.NextU64(), first);
  EXPECT_EQ(rr.NextU64(), second);
  EXPECT_EQ(first, 0xe220a8397b1dcdafULL);  // SplitMix64 from 0
}

}  // namespace
}  // namespace gcs::sched
