// gcstress scheduler — tests: Controller: exclusion, blocking, deadlock, teardown, determinism,
// pool.
#include "harness/scheduler/controller.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/scheduler/dfs.h"
#include "harness/scheduler/pct.h"
#include "harness/scheduler/random.h"
#include "harness/scheduler/round_robin.h"
#include "harness/scheduler/schedule.h"
#include "os_threads.h"
#include "test_programs.h"

namespace gcs::sched {
namespace {

using Outcome = ExecutionResult::Outcome;
using testing::CountOsThreads;
using testing::DecisionLog;
using testing::StepProgram;

constexpr core::ResourceId kLockA = core::MakeResource(core::ResourceKind::kVmLock, 0);
constexpr core::ResourceId kLockB = core::MakeResource(core::ResourceKind::kVmLock, 1);

// A lock modelled the way DESIGN.md §5 says targets must: try, and Wait on failure.
struct ModelLock {
  Controller& controller;
  core::ResourceId resource;
  bool held = false;

  void Lock() {
    while (held)
      controller.Wait(resource);
    held = true;
  }
  void Unlock() {
    held = false;
    controller.Signal(resource);
  }
};

// Counts live instances, to check that teardown unwinds bodies through their destructors.
struct Guard {
  explicit Guard(int& live) : live_(live) { ++live_; }
  ~Guard() { --live_; }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  int& live_;
};

// Every test runs on both ways of giving the program's threads their own context.
class ControllerTest : public ::testing::TestWithParam<Threading> {};

INSTANTIATE_TEST_SUITE_P(Threadings, ControllerTest,
                         ::testing::Values(Threading::kOsThreads, Threading::kFibers),
                         [](const ::testing::TestParamInfo<Threading>& p) {
                           return p.param == Threading::kFibers ? "Fibers" : "OsThreads";
                         });

// The counter is a plain long: if two bodies ever ran at once this would be a data race (TSan
// reports it) and lose increments.
TEST_P(ControllerTest, RunsExactlyOneThreadAtATime) {
  Controller controller{GetParam()};
  RandomStrategy random;
  long counter = 0;
  std::atomic<int> inside{0};
  const ExecutionResult r = controller.Run(4, {}, random, 1, [&](ThreadIndex) {
    for (int i = 0; i < 10000; ++i) {
      EXPECT_EQ(inside.fetch_add(1), 0);
      ++counter;
      inside.fetch_sub(1);
      controller.Point("increment");
    }
  });
  EXPECT_EQ(counter, 40000);
  EXPECT_EQ(r.outcome, Outcome::kCompleted);
  EXPECT_EQ(r.points, 40000u);
  EXPECT_TRUE(r.blocked.empty());
}

TEST_P(ControllerTest, WaitAndSignalModelALock) {
  Controller controller{GetParam()};
  auto pct = MakeStrategy("pct");
  ASSERT_TRUE(pct.ok());
  RandomStrategy random;
  RoundRobinStrategy rr;
  Strategy* strategies[] = {pct->get(), &random, &rr};
  for (Strategy* strategy : strategies) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      ModelLock lock{controller, kLockA};
      int in_critical = 0;
      int entries = 0;
      const ExecutionResult r = controller.Run(3, {}, *strategy, seed, [&](ThreadIndex) {
        for (int i = 0; i < 50; ++i) {
          controller.Point("before");
          lock.Lock();
          ASSERT_EQ(++in_critical, 1);
          ++entries;
          controller.Point("inside");
          --in_critical;
          lock.Unlock();
        }
      });
      ASSERT_EQ(r.outcome, Outcome::kCompleted) << strategy->Spec() << " seed " << seed;
      ASSERT_EQ(entries, 150);
    }
  }
}

// Thread 0 holds A and wants B, thread 1 holds B and wants A. Round-robin makes both take their
// first lock before either asks for the second.
TEST_P(ControllerTest, ReportsADeadlockWithWhoWaitsOnWhatAndUnwindsEveryBody) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  ModelLock a{controller, kLockA};
  ModelLock b{controller, kLockB};
  int live = 0;
  int finished = 0;
  const ExecutionResult r = controller.Run(2, {}, rr, 0, [&](ThreadIndex t) {
    Guard guard(live);
    ModelLock& first = t == 0 ? a : b;
    ModelLock& second = t == 0 ? b : a;
    first.Lock();
    controller.Point("between");
    second.Lock();
    ++finished;
  });
  EXPECT_EQ(r.outcome, Outcome::kDeadlock);
  EXPECT_EQ(r.blocked, (std::vector<BlockedThread>{{0, kLockB}, {1, kLockA}}));
  EXPECT_EQ(live, 0);  // both bodies unwound through their destructors
  EXPECT_EQ(finished, 0);

  // The controller is fine afterwards.
  long counter = 0;
  const ExecutionResult next = controller.Run(2, {}, rr, 0, [&](ThreadIndex) {
    ++counter;
    controller.Point("after");
  });
  EXPECT_EQ(next.outcome, Outcome::kCompleted);
  EXPECT_EQ(counter, 2);
}

// The last runnable thread finishes while another waits for something nobody will signal.
TEST_P(ControllerTest, ADeadlockDetectedWhenTheLastRunnableThreadFinishes) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  int live = 0;
  const ExecutionResult r = controller.Run(3, {}, rr, 0, [&](ThreadIndex t) {
    Guard guard(live);
    if (t == 1) {
      for (;;)
        controller.Wait(kLockB);
    }
    controller.Point("work");
  });
  EXPECT_EQ(r.outcome, Outcome::kDeadlock);
  EXPECT_EQ(r.blocked, (std::vector<BlockedThread>{{1, kLockB}}));
  EXPECT_EQ(live, 0);
}

TEST_P(ControllerTest, LateThreadStartsOnlyAfterEnable) {
  Controller controller{GetParam()};
  RandomStrategy random;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::string log;
    const std::array<bool, 3> enabled = {true, true, false};
    const ExecutionResult r = controller.Run(3, enabled, random, seed, [&](ThreadIndex t) {
      controller.Point("a");
      log += std::to_string(t);
      if (t == 0) {
        log += "E";
        controller.Enable(2);
        controller.Enable(2);  // idempotent
      }
      controller.Point("b");
      log += std::to_string(t);
    });
    ASSERT_EQ(r.outcome, Outcome::kCompleted);
    ASSERT_EQ(log.size(), 7u);
    ASSERT_LT(log.find('E'), log.find('2')) << log;
  }
}

TEST_P(ControllerTest, NeverEnabledThreadNeverRunsAndIsNotADeadlock) {
  Controller controller{GetParam()};
  RandomStrategy random;
  bool ran = false;
  const std::array<bool, 2> enabled = {true, false};
  const ExecutionResult r = controller.Run(2, enabled, random, 3, [&](ThreadIndex t) {
    if (t == 1) ran = true;
    controller.Point("x");
  });
  EXPECT_FALSE(ran);
  EXPECT_EQ(r.outcome, Outcome::kCompleted);
  EXPECT_TRUE(r.blocked.empty());
  EXPECT_TRUE(r.schedule.decisions.empty());  // one runnable thread: no choice anywhere

  const std::array<bool, 2> none = {false, false};
  EXPECT_EQ(controller.Run(2, none, random, 3, [&](ThreadIndex) { ran = true; }).outcome,
            Outcome::kCompleted);
  EXPECT_FALSE(ran);
}

// Determinism: the same strategy spec and seed give a byte-identical interleaving, draws included.
TEST_P(ControllerTest, SameSeedGivesTheSameInterleavingEveryTime) {
  Controller controller{GetParam()};
  StepProgram program(controller, 4, 25, /*draws=*/true);
  for (const char* spec : {"pct", "pct:depth=5", "random", "round-robin", "dfs"}) {
    SCOPED_TRACE(spec);
    std::string first_log;
    std::string first_schedule;
    for (int run = 0; run < 100; ++run) {
      auto strategy = MakeStrategy(spec);
      ASSERT_TRUE(strategy.ok());
      const ExecutionResult r = program.Run(**strategy, 12345);
      if (run == 0) {
        first_log = program.Log();
        first_schedule = FormatSchedule(r.schedule);
      }
      ASSERT_EQ(program.Log(), first_log) << "run " << run;
      ASSERT_EQ(FormatSchedule(r.schedule), first_schedule) << "run " << run;
    }
  }
}

TEST_P(ControllerTest, ReusesItsPoolAcrossAThousandExecutions) {
  Controller controller{GetParam()};
  RandomStrategy random;
  long total = 0;
  auto body = [&](ThreadIndex) {
    ++total;
    controller.Point("p");
  };
  controller.Run(3, {}, random, 0, body);
  const int threads_before = CountOsThreads();
  EXPECT_EQ(controller.PoolSize(), 3u);
  for (uint64_t seed = 1; seed <= 1000; ++seed) {
    ASSERT_EQ(controller.Run(1 + seed % 3, {}, random, seed, body).outcome, Outcome::kCompleted);
  }
  EXPECT_EQ(CountOsThreads(), threads_before);
  EXPECT_EQ(controller.PoolSize(), 3u);
  EXPECT_EQ(total, 3 + 2000);  // 1000 executions of 1, 2 or 3 threads, evenly
}

TEST_P(ControllerTest, BodyExceptionAbortsTheExecutionAndIsRethrownFromRun) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  int live = 0;
  EXPECT_THROW(controller.Run(3, {}, rr, 0,
                              [&](ThreadIndex t) {
                                Guard guard(live);
                                controller.Point("a");
                                if (t == 1) throw std::runtime_error("boom");
                                controller.Point("b");
                              }),
               std::runtime_error);
  EXPECT_EQ(live, 0);
  // Reusable.
  EXPECT_EQ(controller.Run(2, {}, rr, 0, [&](ThreadIndex) { controller.Point("c"); }).outcome,
            Outcome::kCompleted);
}

TEST_P(ControllerTest, AbortEndsTheExecution) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  int live = 0;
  int after_abort = 0;
  const ExecutionResult r = controller.Run(3, {}, rr, 0, [&](ThreadIndex t) {
    Guard guard(live);
    controller.Point("a");
    if (t == 2) controller.Abort();
    controller.Point("b");
    ++after_abort;
  });
  EXPECT_EQ(r.outcome, Outcome::kAborted);
  EXPECT_EQ(live, 0);
  EXPECT_EQ(after_abort, 0);  // round-robin: 0, 1, 2 all passed "a" before 2 aborted
}

// A destructor that hits a schedule point while the body unwinds must not throw again.
TEST_P(ControllerTest, HooksDuringTeardownUnwindingReturnQuietly) {
  struct PointOnDestruction {
    Controller& controller;
    int& destroyed;
    ~PointOnDestruction() {
      controller.Point("dtor");
      controller.Signal(kLockA);
      ++destroyed;
    }
  };
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  int destroyed = 0;
  ModelLock a{controller, kLockA};
  ModelLock b{controller, kLockB};
  const ExecutionResult r = controller.Run(2, {}, rr, 0, [&](ThreadIndex t) {
    PointOnDestruction p{controller, destroyed};
    (t == 0 ? a : b).Lock();
    controller.Point("between");
    (t == 0 ? b : a).Lock();
  });
  EXPECT_EQ(r.outcome, Outcome::kDeadlock);
  EXPECT_EQ(destroyed, 2);
}

TEST_P(ControllerTest, SignalMakesWaitersRunnableWithoutSwitching) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  std::string log;
  bool ready = false;
  controller.Run(2, {}, rr, 0, [&](ThreadIndex t) {
    if (t == 0) {
      controller.Point("let 1 block");
      ready = true;
      controller.Signal(kLockA);
      log += "s";
      EXPECT_EQ(controller.Current(), 0u);
      log += "0";
    } else {
      while (!ready)
        controller.Wait(kLockA);
      log += "1";
    }
  });
  EXPECT_EQ(log, "s01");
}

TEST_P(ControllerTest, DrawsAreRecordedInTheSchedule) {
  Controller controller{GetParam()};
  RandomStrategy random;
  uint64_t drawn = 0;
  const ExecutionResult r =
      controller.Run(1, {}, random, 8, [&](ThreadIndex) { drawn = controller.NextU64(); });
  EXPECT_EQ(r.schedule.decisions, std::vector<Decision>{DrawDecision(drawn)});
  EXPECT_EQ(r.schedule.seed, 8u);
  EXPECT_EQ(r.schedule.strategy, "random");
}

TEST_P(ControllerTest, ListenerSeesEveryDecision) {
  Controller controller{GetParam()};
  RoundRobinStrategy rr;
  DecisionLog decisions;
  controller.SetListener(&decisions);
  controller.Run(2, {}, rr, 0, [&](ThreadIndex) { controller.Point("p"); });
  controller.SetListener(nullptr);
  const std::string none = std::to_string(kNoThread);
  EXPECT_EQ(decisions.entries,
            (std::vector<std::string>{none + ">0@start", "0>1@p", "1>0@p", "0>1@finish"}));
  EXPECT_EQ(decisions.preemptions, 2u);
}

TEST_P(ControllerTest, ProgressCountsPointsAcrossExecutions) {
  Controller controller{GetParam()};
  RandomStrategy random;
  const uint64_t before = controller.Progress();
  uint64_t seen_inside = 0;
  const ExecutionResult r = controller.Run(2, {}, random, 1, [&](ThreadIndex t) {
    for (int i = 0; i < 10; ++i)
      controller.Point("p");
    if (t == 0) seen_inside = controller.Progress();
    controller.Wait(kLockA + 100);  // never signalled: thread 1 or 0 ends in a deadlock
  });
  EXPECT_EQ(r.points, 22u);
  EXPECT_EQ(controller.Progress() - before, 22u);
  EXPECT_GE(seen_inside - before, 10u);
  // A watchdog on another thread can read it while an execution runs.
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    uint64_t last = 0;
    while (!stop.load()) {
      const uint64_t now = controller.Progress();
      EXPECT_GE(now, last);
      last = now;
    }
  });
  controller.Run(2, {}, random, 2, [&](ThreadIndex) {
    for (int i = 0; i < 1000; ++i)
      controller.Point("p");
  });
  stop.store(true);
  watchdog.join();
}

TEST_P(ControllerTest, DfsExhaustionIsReported) {
  Controller controller{GetParam()};
  DfsStrategy dfs(0);
  StepProgram program(controller, 2, 2);
  EXPECT_FALSE(program.Run(dfs, 0).strategy_exhausted);  // started with 0; 1 first is left
  EXPECT_TRUE(program.Run(dfs, 0).strategy_exhausted);
}

// Fibers: the program's threads are contexts on the caller's thread, and nothing else.
TEST(ControllerFibers, RunOnTheCallersThreadAndStartNoOsThread) {
  Controller controller{Threading::kFibers};
  RandomStrategy random;
  const int threads_before = CountOsThreads();
  const std::thread::id caller = std::this_thread::get_id();
  int on_caller = 0;
  const ExecutionResult r = controller.Run(8, {}, random, 3, [&](ThreadIndex) {
    for (int i = 0; i < 5; ++i) {
      on_caller += std::this_thread::get_id() == caller ? 1 : 0;
      controller.Point("p");
    }
  });
  EXPECT_EQ(r.outcome, Outcome::kCompleted);
  EXPECT_EQ(on_caller, 40);
  EXPECT_EQ(controller.PoolSize(), 8u);
  EXPECT_EQ(CountOsThreads(), threads_before);
}

// A fiber is resumed only on the thread it was made on: a Run from another thread gets fresh
// fibers there, and the program behaves the same.
TEST(ControllerFibers, ARunFromAnotherThreadRunsThere) {
  Controller controller{Threading::kFibers};
  StepProgram program(controller, 3, 4, /*draws=*/true);
  RandomStrategy random;
  program.Run(random, 7);
  const std::string here = program.Log();
  std::thread::id seen;
  std::thread other([&] {
    controller.Run(1, {}, random, 0, [&](ThreadIndex) { seen = std::this_thread::get_id(); });
    program.Run(random, 7);
  });
  const std::thread::id other_id = other.get_id();
  other.join();
  EXPECT_EQ(seen, other_id);
  EXPECT_EQ(program.Log(), here);
  program.Run(random, 7);  // and back
  EXPECT_EQ(program.Log(), here);
}

// The C++ runtime's exception state is per thread; each fiber must have its own. Thread 0
// switches away while unwinding an exception (a destructor's schedule point) and again inside a
// catch block; thread 1 meanwhile must see no exception in flight, throws and catches its own,
// and thread 0 must still rethrow its own.
TEST(ControllerFibers, EachFiberHasItsOwnExceptionState) {
  struct PointOnDestruction {
    Controller& controller;
    ~PointOnDestruction() { controller.Point("dtor"); }
  };
  Controller controller{Threading::kFibers};
  RoundRobinStrategy rr;
  std::array<std::vector<std::string>, 2> logs;
  const ExecutionResult r = controller.Run(2, {}, rr, 0, [&](ThreadIndex t) {
    std::vector<std::string>& log = logs[t];
    if (t == 0) {
      try {
        try {
          PointOnDestruction p{controller};
          throw std::runtime_error("zero");
        } catch (const std::runtime_error&) {
          controller.Point("in catch");
          throw;
        }
      } catch (const std::runtime_error& e) {
        log.push_back(std::string("0 caught ") + e.what());
      }
    } else {
      for (int i = 0; i < 3; ++i) {
        log.push_back("1 sees " + std::to_string(std::uncaught_exceptions()) + " in flight");
        try {
          throw std::logic_error("one");
        } catch (const std::logic_error& e) {
          log.push_back(std::string("1 caught ") + e.what());
        }
        controller.Point("p");
      }
    }
  });
  EXPECT_EQ(r.outcome, Outcome::kCompleted);
  EXPECT_EQ(r.schedule.decisions.size(), 5u);  // 0 switched away twice, 1 back twice, and start
  EXPECT_EQ(logs[0], std::vector<std::string>{"0 caught zero"});
  EXPECT_EQ(logs[1],
            (std::vector<std::string>{"1 sees 0 in flight", "1 caught one", "1 sees 0 in flight",
                                      "1 caught one", "1 sees 0 in flight", "1 caught one"}));
}

// A fiber's stack is as deep as a thread's (8 MiB): a body may recurse as it would on a thread.
TEST(ControllerFibers, AFiberHasAThreadsStackDepth) {
  Controller controller{Threading::kFibers};
  RoundRobinStrategy rr;
  struct Recurse {
    static uint64_t Down(uint32_t depth) {
      volatile char frame[1024];
      frame[0] = 1;
      return depth == 0 ? 0 : Down(depth - 1) + static_cast<uint64_t>(frame[0] != 0);
    }
  };
  uint64_t reached = 0;
  controller.Run(2, {}, rr, 0, [&](ThreadIndex t) {
    controller.Point("p");
    if (t == 0) reached = Recurse::Down(4 * 1024);  // 4 MiB of frames
  });
  EXPECT_EQ(reached, 4u * 1024);
}

TEST(ControllerDeathTest, HooksOutsideAnExecutionAreABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Controller controller;
  EXPECT_DEATH(controller.Point("main"), "not running");
}

}  // namespace
}  // namespace gcs::sched
