// gcstress minimizer — tests: PrefixReplayStrategy: the prefix, the end of it, the fallbacks.
#include "harness/minimizer/prefix_replay.h"

#include <gtest/gtest.h>

#include <vector>

namespace gcs {
namespace {

using sched::DrawDecision;
using sched::ThreadDecision;
using sched::ThreadIndex;

const std::vector<ThreadIndex> kAll = {0, 1, 2};

TEST(PrefixReplayTest, FollowsTheDecisionsWhileTheyFit) {
  PrefixReplayStrategy s({ThreadDecision(2), DrawDecision(77), ThreadDecision(1)},
                         ReplayFallback::kKeepCurrent);
  s.BeginExecution(0, 3);
  EXPECT_EQ(s.NextThread(kAll, sched::kNoThread, false), 2u);
  EXPECT_EQ(s.NextU64(), 77u);
  EXPECT_EQ(s.NextThread(kAll, 2, true), 1u);
  EXPECT_FALSE(s.EndExecution());
  EXPECT_FALSE(s.EndedAt().has_value());
  ASSERT_EQ(s.choices().size(), 2u);
  EXPECT_EQ(s.choices()[0], (ChoicePoint{sched::kNoThread, false, 2, true}));
  EXPECT_EQ(s.choices()[1], (ChoicePoint{2, true, 1, true}));
  EXPECT_FALSE(s.choices()[0].Preemption());  // the start is no preemption
  EXPECT_TRUE(s.choices()[1].Preemption());
}

TEST(PrefixReplayTest, KeepsTheCurrentThreadOnceTheDecisionsRunOut) {
  PrefixReplayStrategy s({ThreadDecision(1)}, ReplayFallback::kKeepCurrent);
  s.BeginExecution(0, 3);
  EXPECT_EQ(s.NextThread(kAll, sched::kNoThread, false), 1u);
  EXPECT_EQ(s.NextThread(kAll, 1, true), 1u);                             // keeps running 1
  EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{0, 2}, 1, false), 0u);  // 1 blocked: lowest
  EXPECT_EQ(s.NextU64(), 0u);
  EXPECT_EQ(s.EndedAt(), 1u);
  EXPECT_FALSE(s.choices()[1].replayed);
  EXPECT_FALSE(s.choices()[1].Preemption());
}

TEST(PrefixReplayTest, LowestRunnableFallbackIsReplayStrategys) {
  PrefixReplayStrategy s({}, ReplayFallback::kLowestRunnable);
  s.BeginExecution(0, 3);
  EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{1, 2}, sched::kNoThread, false), 1u);
  EXPECT_EQ(s.NextThread(kAll, 2, true), 0u);  // preempts 2: what ReplayStrategy does
  EXPECT_TRUE(s.choices()[1].Preemption());
}

TEST(PrefixReplayTest, AChoiceThatIsNotRunnableEndsTheReplay) {
  PrefixReplayStrategy s({ThreadDecision(0), ThreadDecision(2), ThreadDecision(2)},
                         ReplayFallback::kKeepCurrent);
  s.BeginExecution(0, 3);
  EXPECT_EQ(s.NextThread(kAll, sched::kNoThread, false), 0u);
  EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{0, 1}, 0, true), 0u);  // 2 not runnable
  EXPECT_EQ(s.EndedAt(), 1u);
  // From there on the fallback answers, even though the next recorded choice would fit.
  EXPECT_EQ(s.NextThread(kAll, 0, true), 0u);
}

TEST(PrefixReplayTest, ADecisionOfTheOtherKindEndsTheReplay) {
  PrefixReplayStrategy s({DrawDecision(5), ThreadDecision(1)}, ReplayFallback::kKeepCurrent);
  s.BeginExecution(0, 2);
  EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{0, 1}, sched::kNoThread, false), 0u);
  EXPECT_EQ(s.EndedAt(), 0u);
  EXPECT_EQ(s.NextU64(), 0u);
}

TEST(PrefixReplayTest, LeftoverDecisionsAreReportedAtTheEnd) {
  PrefixReplayStrategy s({ThreadDecision(0), ThreadDecision(1)}, ReplayFallback::kKeepCurrent);
  s.BeginExecution(0, 2);
  EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{0, 1}, sched::kNoThread, false), 0u);
  s.EndExecution();
  EXPECT_EQ(s.EndedAt(), 1u);
}

TEST(PrefixReplayTest, EachExecutionStartsOver) {
  PrefixReplayStrategy s({ThreadDecision(1)}, ReplayFallback::kKeepCurrent);
  for (int i = 0; i < 2; ++i) {
    s.BeginExecution(0, 2);
    EXPECT_EQ(s.NextThread(std::vector<ThreadIndex>{0, 1}, sched::kNoThread, false), 1u);
    EXPECT_EQ(s.choices().size(), 1u);
    EXPECT_FALSE(s.EndedAt().has_value());
  }
}

}  // namespace
}  // namespace gcs
