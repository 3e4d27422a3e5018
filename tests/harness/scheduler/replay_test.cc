// gcstress scheduler — tests: ReplayStrategy: recorded executions repeat exactly; divergence found.
#include "harness/scheduler/replay.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/dfs.h"
#include "harness/scheduler/pct.h"
#include "harness/scheduler/random.h"
#include "harness/scheduler/schedule.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::StepProgram;

struct Recorded {
  Schedule schedule;
  std::string log;
};

Recorded Record(StepProgram& program, Strategy& strategy, uint64_t seed) {
  const ExecutionResult r = program.Run(strategy, seed);
  return {r.schedule, program.Log()};
}

TEST(ReplayStrategy, ReproducesRecordedExecutionsOfEveryStrategy) {
  Controller controller;
  StepProgram program(controller, 3, 5, /*draws=*/true);
  RandomStrategy random;
  PctStrategy pct(3, 64, /*yields=*/false);
  DfsStrategy dfs(2);
  program.Run(dfs, 0);  // replay the second dfs execution, which has a preemption
  Strategy* strategies[] = {&random, &pct, &dfs};
  for (Strategy* strategy : strategies) {
    for (uint64_t seed : {1u, 2u, 3u}) {
      const Recorded recorded = Record(program, *strategy, seed);
      SCOPED_TRACE(FormatSchedule(recorded.schedule));
      ReplayStrategy replay(recorded.schedule);
      const ExecutionResult again = program.Run(replay, 999);
      EXPECT_EQ(program.Log(), recorded.log);
      EXPECT_EQ(again.schedule.decisions, recorded.schedule.decisions);
      EXPECT_EQ(again.schedule.strategy, "replay");
      EXPECT_FALSE(replay.DivergedAt().has_value());
      EXPECT_TRUE(again.strategy_exhausted);
    }
  }
}

TEST(ReplayStrategy, ReproducesFromTheTextForm) {
  Controller controller;
  StepProgram program(controller, 4, 6, /*draws=*/true);
  RandomStrategy random;
  const Recorded recorded = Record(program, random, 77);
  const Expected<Schedule> parsed = ParseSchedule(FormatSchedule(recorded.schedule) + "\n", "-");
  ASSERT_TRUE(parsed.ok());
  ReplayStrategy replay(*parsed);
  program.Run(replay, 0);
  EXPECT_EQ(program.Log(), recorded.log);
  EXPECT_FALSE(replay.DivergedAt().has_value());
}

class ReplayDivergence : public ::testing::Test {
 protected:
  void SetUp() override { recorded_ = Record(program_, random_, 5); }

  // Replays `schedule` twice: the fallback after divergence must be deterministic too.
  std::optional<size_t> Replay(const Schedule& schedule) {
    ReplayStrategy replay(schedule);
    const ExecutionResult first = program_.Run(replay, 0);
    EXPECT_EQ(first.outcome, ExecutionResult::Outcome::kCompleted);
    const std::string log = program_.Log();
    const std::optional<size_t> at = replay.DivergedAt();
    program_.Run(replay, 0);
    EXPECT_EQ(program_.Log(), log);
    EXPECT_EQ(replay.DivergedAt(), at);
    return at;
  }

  Controller controller_;
  StepProgram program_{controller_, 3, 4, /*draws=*/true};
  RandomStrategy random_;
  Recorded recorded_;
};

TEST_F(ReplayDivergence, ChoiceOfAThreadThatIsNotRunnable) {
  Schedule bad = recorded_.schedule;
  size_t index = 0;
  while (bad.decisions[index].kind != Decision::Kind::kThread || index < 3)
    ++index;
  bad.decisions[index].value = 9;  // no thread 9
  EXPECT_EQ(Replay(bad), index);
}

TEST_F(ReplayDivergence, DecisionsRunOut) {
  Schedule truncated = recorded_.schedule;
  truncated.decisions.resize(truncated.decisions.size() / 2);
  EXPECT_EQ(Replay(truncated), truncated.decisions.size());
}

TEST_F(ReplayDivergence, DecisionsLeftOver) {
  Schedule longer = recorded_.schedule;
  longer.decisions.push_back(ThreadDecision(0));
  EXPECT_EQ(Replay(longer), recorded_.schedule.decisions.size());
}

TEST_F(ReplayDivergence, DrawWhereAThreadChoiceWasRecorded) {
  Schedule bad = recorded_.schedule;
  size_t index = 0;
  while (bad.decisions[index].kind != Decision::Kind::kDraw)
    ++index;
  bad.decisions[index] = ThreadDecision(0);
  EXPECT_EQ(Replay(bad), index);
}

TEST(ReplayStrategy, FallsBackToTheLowestRunnableAndZeroDraws) {
  ReplayStrategy replay(Schedule{1, "random", {ThreadDecision(2), DrawDecision(5)}});
  replay.BeginExecution(0, 3);
  const ThreadIndex all[] = {0, 1, 2};
  const ThreadIndex some[] = {1, 2};
  EXPECT_EQ(replay.NextThread(all, 0, true), 2u);
  EXPECT_EQ(replay.NextU64(), 5u);
  EXPECT_FALSE(replay.DivergedAt().has_value());
  EXPECT_EQ(replay.NextThread(some, 2, true), 1u);
  EXPECT_EQ(replay.DivergedAt(), 2u);
  EXPECT_EQ(replay.NextU64(), 0u);
  EXPECT_EQ(replay.NextThread(some, 1, true), 1u);
  EXPECT_EQ(replay.DivergedAt(), 2u);  // the first divergence is kept
  EXPECT_FALSE(replay.EndExecution());
  // A new execution starts clean.
  replay.BeginExecution(0, 3);
  EXPECT_FALSE(replay.DivergedAt().has_value());
  EXPECT_EQ(replay.NextThread(all, 0, true), 2u);
}

}  // namespace
}  // namespace gcs::sched
