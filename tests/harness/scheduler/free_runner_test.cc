// gcstress scheduler — tests: FreeRunner: parallel start, late enable, seeded yields, pool reuse.
#include "harness/scheduler/free_runner.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "os_threads.h"

namespace gcs::sched {
namespace {

using testing::CountOsThreads;

// Each body waits until every body has started: this only finishes if they really run at the
// same time (a bounded wait turns a regression into a failure instead of a hang).
TEST(FreeRunner, BodiesRunInParallel) {
  FreeRunner runner;
  std::atomic<int> started{0};
  std::atomic<int> met{0};
  runner.Run(4, {}, 1, 0, [&](ThreadIndex) {
    started.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (started.load() < 4 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    if (started.load() == 4) met.fetch_add(1);
  });
  EXPECT_EQ(met.load(), 4);
}

TEST(FreeRunner, CurrentNamesTheBodysThread) {
  FreeRunner runner;
  std::array<std::atomic<int>, 3> seen{};
  runner.Run(3, {}, 1, 0, [&](ThreadIndex t) { seen[runner.Current()].fetch_add(t + 1); });
  EXPECT_EQ(seen[0].load(), 1);
  EXPECT_EQ(seen[1].load(), 2);
  EXPECT_EQ(seen[2].load(), 3);
}

TEST(FreeRunner, LateThreadStartsOnlyAfterEnable) {
  FreeRunner runner;
  for (int i = 0; i < 50; ++i) {
    std::atomic<bool> enabled_yet{false};
    std::atomic<bool> late_ran_early{false};
    std::atomic<bool> late_ran{false};
    const std::array<bool, 2> start = {true, false};
    runner.Run(2, start, 1, 0, [&](ThreadIndex t) {
      if (t == 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        enabled_yet.store(true);
        runner.Enable(1);
      } else {
        if (!enabled_yet.load()) late_ran_early.store(true);
        late_ran.store(true);
      }
    });
    ASSERT_TRUE(late_ran.load());
    ASSERT_FALSE(late_ran_early.load());
  }
}

TEST(FreeRunner, NeverEnabledThreadNeverRuns) {
  FreeRunner runner;
  std::atomic<bool> ran{false};
  const std::array<bool, 3> start = {true, false, true};
  runner.Run(3, start, 1, 0, [&](ThreadIndex t) {
    if (t == 1) ran.store(true);
  });
  EXPECT_FALSE(ran.load());
  // Nor in the next execution, where it is enabled from the start and runs once.
  std::atomic<int> runs{0};
  runner.Run(3, {}, 1, 0, [&](ThreadIndex t) {
    if (t == 1) runs.fetch_add(1);
  });
  EXPECT_EQ(runs.load(), 1);
}

// Yield decisions come from a per-thread PRNG seeded from (seed, thread): their number is a
// function of the seed and of how many points each thread passes, not of timing.
TEST(FreeRunner, YieldsFollowTheSeededProbability) {
  FreeRunner runner;
  auto body = [&](ThreadIndex) {
    for (int i = 0; i < 1000; ++i)
      runner.Point("p");
  };
  EXPECT_EQ(runner.Run(3, {}, 7, 0, body).yields, 0u);
  const FreeRunResult all = runner.Run(3, {}, 7, 1000, body);
  EXPECT_EQ(all.points, 3000u);
  EXPECT_EQ(all.yields, 3000u);
  const FreeRunResult quarter = runner.Run(3, {}, 7, 250, body);
  EXPECT_EQ(quarter.points, 3000u);
  EXPECT_GT(quarter.yields, 650u);
  EXPECT_LT(quarter.yields, 850u);
  EXPECT_EQ(runner.Run(3, {}, 7, 250, body).yields, quarter.yields);
  EXPECT_NE(runner.Run(3, {}, 8, 250, body).yields, quarter.yields);
}

TEST(FreeRunner, WaitAndSignalLetASpinLockStyleLoopFinish) {
  FreeRunner runner;
  std::atomic<bool> flag{false};
  runner.Run(2, {}, 1, 0, [&](ThreadIndex t) {
    if (t == 0) {
      while (!flag.load())
        runner.Wait(1);
    } else {
      flag.store(true);
      runner.Signal(1);
    }
  });
  EXPECT_TRUE(flag.load());
}

TEST(FreeRunner, FirstExceptionIsRethrownAfterEveryBodyFinished) {
  FreeRunner runner;
  std::atomic<int> finished{0};
  EXPECT_THROW(runner.Run(3, {}, 1, 0,
                          [&](ThreadIndex t) {
                            if (t == 1) throw std::runtime_error("boom");
                            finished.fetch_add(1);
                          }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 2);
  EXPECT_EQ(runner.Run(2, {}, 1, 0, [](ThreadIndex) {}).points, 0u);
}

TEST(FreeRunner, ReusesItsPool) {
  FreeRunner runner;
  std::atomic<long> total{0};
  auto body = [&](ThreadIndex) { total.fetch_add(1); };
  runner.Run(4, {}, 0, 0, body);
  const int threads_before = CountOsThreads();
  for (uint64_t seed = 0; seed < 300; ++seed)
    runner.Run(1 + seed % 4, {}, seed, 100, body);
  EXPECT_EQ(CountOsThreads(), threads_before);
  EXPECT_EQ(runner.PoolSize(), 4u);
  EXPECT_EQ(total.load(), 4 + 750);
}

}  // namespace
}  // namespace gcs::sched
