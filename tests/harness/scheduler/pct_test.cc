// gcstress scheduler — tests: PctStrategy: pinned decisions, depth bound, adaptive k, guarantee.
#include "harness/scheduler/pct.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/schedule.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::DecisionLog;
using testing::StepProgram;

TEST(PctStrategy, DecisionsForAFixedSeedArePinned) {
  PctStrategy pct(3, 10, /*yields=*/false);
  pct.BeginExecution(7, 3);
  EXPECT_EQ(std::vector<uint64_t>(pct.change_points().begin(), pct.change_points().end()),
            (std::vector<uint64_t>{4, 5}));
  const ThreadIndex all[] = {0, 1, 2};
  std::vector<ThreadIndex> choices;
  ThreadIndex current = 0;
  for (int i = 0; i < 12; ++i)
    choices.push_back(current = pct.NextThread(all, current, true));
  // Initial priorities 1 > 0 > 2. Step 4 demotes the running 1 below everyone (to d-1), so 0
  // runs; step 5 demotes 0 further (to d-2), so 2 runs from then on.
  EXPECT_EQ(choices, (std::vector<ThreadIndex>{1, 1, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2}));
}

TEST(PctStrategy, WithYieldsAYieldingThreadDropsBelowEveryOther) {
  const ThreadIndex all[] = {0, 1, 2};
  for (const bool yields : {false, true}) {
    SCOPED_TRACE(yields);
    PctStrategy pct(3, 10, yields);
    pct.BeginExecution(7, 3);  // initial priorities 1 > 0 > 2, change points at steps 4 and 5
    EXPECT_EQ(pct.NextThread(all, 1, true), 1u);
    pct.OnYield(1);
    // With yields 1 is demoted below everyone, so 0 runs; without, 1 keeps running.
    EXPECT_EQ(pct.NextThread(all, 1, true), yields ? 0u : 1u);
    pct.OnYield(0);
    // A second yield demotes below the first: 0 goes under 1 (with yields), so 2 runs.
    EXPECT_EQ(pct.NextThread(all, yields ? 0 : 1, true), yields ? 2u : 1u);
  }
  EXPECT_EQ(PctStrategy(3, 10, true).Spec(), "pct:depth=3,steps=10,yields=1");
  EXPECT_EQ(PctStrategy(3, 10, false).Spec(), "pct:depth=3,steps=10");
}

TEST(PctStrategy, ExecutionUnderTheControllerIsPinnedAndRepeatable) {
  Controller controller;
  StepProgram program(controller, 3, 4, /*draws=*/true);
  PctStrategy first_pct(3, 64, /*yields=*/false);
  const ExecutionResult first = program.Run(first_pct, 42);
  const std::string log = program.Log();
  // Thread priorities 2 > 0 > 1 and no change point within the 12 steps: sequential.
  EXPECT_EQ(FormatSchedule(first.schedule),
            "gcs1:seed=42:strategy=pct:depth=3,steps=64:2x2.r17440176056008250010.2."
            "r8952342551172967232.2.r6189342054386081491.2.r18239706454061623705.0x2."
            "r5214549746573714367.0.r17618692805484079360.0.r14759213066749639761.0."
            "r11418687598037839895.r4483177742058978341.r14282545681096011803."
            "r15755644058962813621.r15278542491285984188");
  EXPECT_EQ(log, "2:0=0 2:1=2 2:2=1 2:3=5 0:0=7 0:1=0 0:2=1 0:3=5 1:0=1 1:1=3 1:2=1 1:3=8");
  PctStrategy second_pct(3, 64, /*yields=*/false);
  EXPECT_EQ(program.Run(second_pct, 42).schedule, first.schedule);
  EXPECT_EQ(program.Log(), log);
}

TEST(PctStrategy, ChangePointsAreDistinctSortedAndInRange) {
  for (uint32_t depth : {1u, 2u, 3u, 5u, 9u}) {
    for (uint64_t k : {1u, 4u, 100u}) {
      PctStrategy pct(depth, k, /*yields=*/false);
      for (uint64_t seed = 0; seed < 50; ++seed) {
        pct.BeginExecution(seed, 4);
        const auto points = pct.change_points();
        ASSERT_EQ(points.size(), std::min<uint64_t>(depth - 1, k));
        ASSERT_TRUE(std::is_sorted(points.begin(), points.end()));
        ASSERT_EQ(std::adjacent_find(points.begin(), points.end()), points.end());
        for (uint64_t p : points) {
          ASSERT_GE(p, 1u);
          ASSERT_LE(p, k);
        }
      }
    }
  }
}

// Without blocking, only change points preempt: depth d allows at most d-1 preemptions, and over
// enough seeds the bound is reached. Depth 1 runs each thread to completion.
TEST(PctStrategy, RespectsDepth) {
  for (uint32_t depth : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE(depth);
    Controller controller;
    StepProgram program(controller, 3, 5);
    PctStrategy pct(depth, 64, /*yields=*/false);
    uint32_t most = 0;
    for (uint64_t seed = 0; seed < 200; ++seed) {
      DecisionLog decisions;
      controller.SetListener(&decisions);
      program.Run(pct, seed);
      ASSERT_LE(decisions.preemptions, depth - 1) << "seed " << seed;
      most = std::max(most, decisions.preemptions);
    }
    EXPECT_EQ(most, depth - 1);
  }
}

TEST(PctStrategy, DepthOneRunsThreadsOneAfterAnother) {
  Controller controller;
  StepProgram program(controller, 3, 4);
  PctStrategy pct(1, 64, /*yields=*/false);
  for (uint64_t seed = 0; seed < 30; ++seed) {
    program.Run(pct, seed);
    const std::string log = program.Log();
    // Each thread's four steps are contiguous: the log is three blocks.
    std::string owners;
    for (size_t i = 0; i < log.size(); i += 4)
      owners += log[i];
    ASSERT_EQ(owners.size(), 12u) << log;
    for (size_t b = 0; b < 3; ++b) {
      ASSERT_EQ(owners.substr(4 * b, 4), std::string(4, owners[4 * b])) << log;
    }
  }
}

TEST(PctStrategy, StepEstimateAdaptsToTheMostSchedulePointsSeen) {
  Controller controller;
  PctStrategy pct(3, 64, /*yields=*/false);
  EXPECT_EQ(pct.step_estimate(), 64u);
  uint64_t most = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    StepProgram program(controller, 2 + seed % 3, 3);
    const ExecutionResult r = program.Run(pct, seed);
    EXPECT_EQ(pct.step_estimate(), seed == 0 ? 64u : most);
    EXPECT_EQ(r.schedule.strategy, "pct:depth=3,steps=" + std::to_string(pct.step_estimate()));
    // Every point the execution passed, choice or not (the controller reports them), or its
    // choice points if more (thread ends are choices but not points). No draws here, so every
    // decision but the start one is a choice point.
    most = std::max<uint64_t>(most, std::max<uint64_t>(r.points, r.schedule.decisions.size() - 1));
  }
}

// The estimate must not collapse. A thread that the first change point lets finish leaves the
// other running alone, without choices; were k the most *choice* points seen, one such short
// execution would shrink k below the program and no later change point could reach its end.
// Schedule points do not depend on that: here a 2-thread program where thread 0 has 12 points
// and thread 1 has 1 keeps k at (at least) the program's length.
TEST(PctStrategy, StepEstimateDoesNotCollapseWhenOneThreadFinishesEarly) {
  Controller controller;
  PctStrategy pct(3, 64, /*yields=*/false);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    controller.Run(2, {}, pct, seed, [&](ThreadIndex t) {
      for (int i = 0; i < (t == 0 ? 12 : 1); ++i)
        controller.Point("step");
    });
    EXPECT_GE(pct.step_estimate(), seed == 0 ? 64u : 13u) << "seed " << seed;
  }
}

// The recorded spec names the step estimate, so one execution of a long campaign is repeated by a
// fresh strategy built from it and the seed alone.
TEST(PctStrategy, RecordedSpecAndSeedReproduceOneExecutionOfACampaign) {
  Controller controller;
  StepProgram program(controller, 3, 4, /*draws=*/true);
  PctStrategy pct(3, 64, /*yields=*/false);
  ExecutionResult fifth;
  std::string fifth_log;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    ExecutionResult r = program.Run(pct, seed);
    if (seed == 5) {
      fifth = std::move(r);
      fifth_log = program.Log();
    }
  }
  auto fresh = MakeStrategy(fifth.schedule.strategy);
  ASSERT_TRUE(fresh.ok());
  const ExecutionResult again = program.Run(**fresh, 5);
  EXPECT_EQ(again.schedule, fifth.schedule);
  EXPECT_EQ(program.Log(), fifth_log);
}

// A depth-2 bug: thread 1 must observe thread 0's intermediate state, which needs thread 0 to run
// first and be preempted exactly between its two writes. PCT's bound for it is 1/(n*k) per
// execution; with n = 2 and k <= 8 choice points, 2000 seeds must find it at least 2000/16 times.
TEST(PctStrategy, FindsADepthTwoBugAtLeastAsOftenAsTheGuaranteeSays) {
  Controller controller;
  PctStrategy pct(2, 64, /*yields=*/false);
  int found = 0;
  uint64_t most_steps = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    int shared = 0;
    bool bug = false;
    const ExecutionResult r = controller.Run(2, {}, pct, seed, [&](ThreadIndex t) {
      if (t == 0) {
        controller.Point("a");
        shared = 1;
        controller.Point("b");
        shared = 2;
        controller.Point("c");
      } else {
        controller.Point("d");
        if (shared == 1) bug = true;
      }
    });
    most_steps = std::max<uint64_t>(most_steps, r.schedule.decisions.size() - 1);
    found += bug ? 1 : 0;
  }
  ASSERT_LE(most_steps, 8u);
  EXPECT_GE(found, 2000 / 16);
}

}  // namespace
}  // namespace gcs::sched
