// gcstress scheduler — tests: RecordingStrategy: forwards, records in order, enforces the contract.
#include "harness/scheduler/recording_strategy.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/scheduler/pct.h"

namespace gcs::sched {
namespace {

// Answers from a script, to check what the recorder does with each answer.
class ScriptedStrategy final : public Strategy {
 public:
  std::string Spec() const override { return "scripted:begun=" + std::to_string(begun_); }
  void BeginExecution(uint64_t, uint32_t) override { ++begun_; }
  ThreadIndex NextThread(std::span<const ThreadIndex>, ThreadIndex, bool) override {
    return threads_[next_thread_++];
  }
  uint64_t NextU64() override { return 1000 + draws_++; }
  bool EndExecution() override { return false; }

  std::vector<ThreadIndex> threads_;
  size_t next_thread_ = 0;
  uint64_t draws_ = 0;
  int begun_ = 0;
};

TEST(RecordingStrategy, RecordsChoicesAndDrawsInOrder) {
  ScriptedStrategy inner;
  inner.threads_ = {2, 0};
  RecordingStrategy recorder(inner);
  recorder.BeginExecution(77, 3);
  const ThreadIndex all[] = {0, 1, 2};
  EXPECT_EQ(recorder.NextThread(all, 1, true), 2u);
  EXPECT_EQ(recorder.NextU64(), 1000u);
  EXPECT_EQ(recorder.NextThread(all, 2, false), 0u);
  EXPECT_FALSE(recorder.EndExecution());

  const Schedule s = recorder.TakeSchedule();
  EXPECT_EQ(s.seed, 77u);
  // The spec is taken after the inner BeginExecution.
  EXPECT_EQ(s.strategy, "scripted:begun=1");
  EXPECT_EQ(s.decisions,
            (std::vector<Decision>{ThreadDecision(2), DrawDecision(1000), ThreadDecision(0)}));
  EXPECT_TRUE(recorder.schedule().decisions.empty());
}

TEST(RecordingStrategy, NewExecutionStartsAnEmptySchedule) {
  ScriptedStrategy inner;
  inner.threads_ = {1, 1};
  RecordingStrategy recorder(inner);
  const ThreadIndex all[] = {0, 1};
  recorder.BeginExecution(1, 2);
  recorder.NextThread(all, 0, true);
  recorder.BeginExecution(2, 2);
  EXPECT_EQ(recorder.schedule().seed, 2u);
  EXPECT_EQ(recorder.schedule().strategy, "scripted:begun=2");
  EXPECT_TRUE(recorder.schedule().decisions.empty());
}

TEST(RecordingStrategy, RecordsPctStepEstimateChosenAtBegin) {
  PctStrategy pct(3, 64, /*yields=*/false);
  RecordingStrategy recorder(pct);
  recorder.BeginExecution(5, 2);
  EXPECT_EQ(recorder.schedule().strategy, "pct:depth=3,steps=64");
}

// Decisions recorded in different lanes (the controller's threads) come back in position order,
// whatever lane each went to.
TEST(RecordingStrategy, LanesMergeBackInPositionOrder) {
  ScriptedStrategy inner;
  inner.threads_ = {0, 1, 1, 0};
  RecordingStrategy recorder(inner);
  recorder.BeginExecution(3, 3);
  const ThreadIndex all[] = {0, 1};
  recorder.NextThreadAt(0, 2, all, 0, true);
  recorder.NextU64At(1, 0);
  recorder.NextThreadAt(2, 0, all, 0, true);
  recorder.NextThreadAt(3, 2, all, 1, true);
  recorder.NextU64At(4, 1);
  recorder.NextThreadAt(5, 1, all, 1, true);
  const std::vector<Decision> expected = {ThreadDecision(0), DrawDecision(1000), ThreadDecision(1),
                                          ThreadDecision(1), DrawDecision(1001), ThreadDecision(0)};
  EXPECT_EQ(recorder.schedule().decisions, expected);
  EXPECT_EQ(recorder.TakeSchedule().decisions, expected);
  // The next execution starts empty even though the lanes kept their buffers.
  recorder.BeginExecution(4, 2);
  EXPECT_TRUE(recorder.schedule().decisions.empty());
}

TEST(RecordingStrategyDeathTest, ChoiceOutsideTheRunnableSetIsABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ScriptedStrategy inner;
  inner.threads_ = {5};
  RecordingStrategy recorder(inner);
  recorder.BeginExecution(1, 6);
  const ThreadIndex runnable[] = {0, 1};
  EXPECT_DEATH(recorder.NextThread(runnable, 0, true),
               "strategy chose a thread that is not runnable");
  inner.threads_ = {0, 0, 0};
  inner.next_thread_ = 0;
  EXPECT_DEATH(recorder.NextThreadAt(0, 6, runnable, 0, true), "lane < num_lanes_");
  recorder.NextThreadAt(1, 0, runnable, 0, true);  // position 0 never recorded
  EXPECT_DEATH(recorder.schedule(), "recorded positions are not 0..count-1");
}

}  // namespace
}  // namespace gcs::sched
