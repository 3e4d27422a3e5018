// gcstress scheduler — tests: DfsStrategy: exact schedule counts per preemption bound, exhaustion.
#include "harness/scheduler/dfs.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/schedule.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using testing::DecisionLog;
using testing::StepProgram;

struct Exploration {
  uint64_t executions = 0;
  std::set<std::string> schedules;  // distinct decision sequences
  std::set<std::string> logs;       // distinct interleavings of the steps
  uint32_t most_preemptions = 0;
};

Exploration Explore(DfsStrategy& dfs, uint32_t threads, uint32_t steps) {
  Controller controller;
  StepProgram program(controller, threads, steps);
  Exploration out;
  for (;;) {
    DecisionLog decisions;
    controller.SetListener(&decisions);
    const ExecutionResult r = program.Run(dfs, /*seed=*/out.executions);
    EXPECT_EQ(r.outcome, ExecutionResult::Outcome::kCompleted);
    ++out.executions;
    out.schedules.insert(FormatSchedule({0, r.schedule.strategy, r.schedule.decisions}));
    out.logs.insert(program.Log());
    out.most_preemptions = std::max(out.most_preemptions, decisions.preemptions);
    if (r.strategy_exhausted) break;
    if (out.executions > 10000) {
      ADD_FAILURE() << "dfs did not terminate";
      break;
    }
  }
  return out;
}

// Two threads, three steps each (a step = Point then log). Counted independently by hand and by a
// brute-force model of the controller's semantics: which thread starts is a free choice, and a
// preemption is a switch at a Point. Schedules differ from logs because a switch before a thread
// logged anything (at its first Point) can be undone by switching back.
TEST(DfsStrategy, EnumeratesExactlyTheSchedulesWithinEachPreemptionBound) {
  struct Case {
    uint32_t bound;
    uint64_t schedules;
    size_t logs;
  };
  const Case cases[] = {{0, 2, 2}, {1, 8, 6}, {2, 26, 14}, {3, 44, 18}, {64, 70, 20}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bound);
    DfsStrategy dfs(c.bound);
    const Exploration e = Explore(dfs, 2, 3);
    EXPECT_EQ(e.executions, c.schedules);
    EXPECT_EQ(e.schedules.size(), c.schedules);  // never the same schedule twice
    EXPECT_EQ(e.logs.size(), c.logs);
    EXPECT_LE(e.most_preemptions, c.bound);
    EXPECT_TRUE(dfs.Exhausted());
    EXPECT_EQ(dfs.Executions(), c.schedules);
    EXPECT_FALSE(dfs.Nondeterministic());
  }
}

// The exploration order is pinned: depth-first, the current thread first at each choice point,
// backtracking from the deepest point that has an alternative left within the bound.
TEST(DfsStrategy, ExplorationOrderIsPinned) {
  Controller controller;
  StepProgram program(controller, 2, 3);
  DfsStrategy dfs(1);
  std::vector<std::string> schedules;
  std::vector<std::string> logs;
  for (int i = 0; i < 100; ++i) {
    const ExecutionResult r = program.Run(dfs, 0);
    schedules.push_back(FormatSchedule(r.schedule));
    logs.push_back(program.Log());
    if (r.strategy_exhausted) break;
  }
  const std::string p = "gcs1:seed=0:strategy=dfs:max-preemptions=1:";
  EXPECT_EQ(schedules,
            (std::vector<std::string>{p + "0x4", p + "0x3.1x4", p + "0x2.1x4", p + "0.1x4",
                                      p + "1x4", p + "1x3.0x4", p + "1x2.0x4", p + "1.0x4"}));
  EXPECT_EQ(logs[1], "0:0 0:1 1:0 1:1 1:2 0:2");
  EXPECT_EQ(logs[6], "1:0 0:0 0:1 0:2 1:1 1:2");
}

// Unbounded, every interleaving of 2x3 steps (C(6,3) = 20) and of 3x2 steps (6!/(2!2!2!) = 90)
// shows up.
TEST(DfsStrategy, UnboundedCoversEveryInterleaving) {
  DfsStrategy two(64);
  EXPECT_EQ(Explore(two, 2, 3).logs.size(), 20u);
  DfsStrategy three(64);
  EXPECT_EQ(Explore(three, 3, 2).logs.size(), 90u);
}

TEST(DfsStrategy, BuiltFromSpecExploresTheSameTree) {
  auto dfs = MakeStrategy("dfs:max-preemptions=1");
  ASSERT_TRUE(dfs.ok());
  auto& strategy = static_cast<DfsStrategy&>(**dfs);
  EXPECT_EQ(Explore(strategy, 2, 3).executions, 8u);
}

TEST(DfsStrategy, StartsOverAfterExhaustion) {
  DfsStrategy dfs(1);
  Controller controller;
  StepProgram program(controller, 2, 3);
  const ExecutionResult first = program.Run(dfs, 0);
  while (!program.Run(dfs, 0).strategy_exhausted) {
  }
  EXPECT_TRUE(dfs.Exhausted());
  const ExecutionResult again = program.Run(dfs, 0);
  EXPECT_FALSE(dfs.Exhausted());
  EXPECT_EQ(again.schedule.decisions, first.schedule.decisions);
  EXPECT_EQ(dfs.Executions(), 9u);
}

// Blocking is explored too: a preemption inside the critical section makes the other thread
// block on the lock, and switching away from a blocked thread is free. Mutual exclusion holds in
// every schedule, and both lock orders show up.
TEST(DfsStrategy, ExploresProgramsThatBlock) {
  constexpr core::ResourceId kLock = 7;
  DfsStrategy dfs(1);
  Controller controller;
  std::set<std::string> orders;
  for (int i = 0; i < 1000; ++i) {
    bool locked = false;
    std::string order;
    const ExecutionResult r = controller.Run(2, {}, dfs, 0, [&](ThreadIndex t) {
      controller.Point("lock");
      while (locked)
        controller.Wait(kLock);
      locked = true;
      order += std::to_string(t);
      controller.Point("critical");
      order += std::to_string(t);
      locked = false;
      controller.Signal(kLock);
    });
    ASSERT_EQ(r.outcome, ExecutionResult::Outcome::kCompleted);
    orders.insert(order);
    if (r.strategy_exhausted) break;
  }
  EXPECT_TRUE(dfs.Exhausted());
  EXPECT_EQ(orders, (std::set<std::string>{"0011", "1100"}));
}

TEST(DfsStrategy, DetectsANondeterministicProgram) {
  DfsStrategy dfs(2);
  Controller controller;
  int run = 0;
  // The second execution has a third thread's worth of choices the first did not offer.
  for (int i = 0; i < 3; ++i, ++run) {
    const uint32_t threads = run == 0 ? 2 : 3;
    StepProgram program(controller, threads, 2);
    program.Run(dfs, 0);
  }
  EXPECT_TRUE(dfs.Nondeterministic());
}

TEST(DfsStrategy, DrawsAreTheSameInEveryExecution) {
  DfsStrategy dfs(2);
  dfs.BeginExecution(1, 2);
  const uint64_t a = dfs.NextU64();
  dfs.EndExecution();
  dfs.BeginExecution(99, 2);
  EXPECT_EQ(dfs.NextU64(), a);
}

}  // namespace
}  // namespace gcs::sched
