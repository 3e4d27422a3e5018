// gcstress tests — StallClock: a stall is no progress for the timeout while an execution runs;
// idle time and time the watcher was away do not count.
#include "harness/isolation/watchdog.h"

#include <gtest/gtest.h>

namespace gcs::isolation {
namespace {

using std::chrono::milliseconds;

class StallClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = PageRegion::Create(/*shared=*/false);
    ASSERT_TRUE(r.ok());
    region_.emplace(std::move(r).value());
    region_->BeginExecution(1, 1);  // an execution is under way
  }
  ProgressPage& page() { return region_->page(); }
  std::optional<PageRegion> region_;
  WatchClock::time_point t0 = WatchClock::now();
};

TEST_F(StallClockTest, NoProgressForTheTimeoutIsAStall) {
  StallClock clock(milliseconds(100));
  clock.Restart(page(), t0);
  for (int ms = 10; ms < 100; ms += 10)
    EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(ms))) << ms;
  EXPECT_TRUE(clock.Stalled(page(), t0 + milliseconds(100)));
}

TEST_F(StallClockTest, ProgressRestartsTheClock) {
  StallClock clock(milliseconds(100));
  clock.Restart(page(), t0);
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(40)));
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(80)));
  page().progress.fetch_add(1);
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(120)));
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(170)));
  EXPECT_TRUE(clock.Stalled(page(), t0 + milliseconds(220)));
}

TEST_F(StallClockTest, AnIdleChildIsNeverStalled) {
  StallClock clock(milliseconds(100));
  clock.Restart(page(), t0);
  page().state = static_cast<uint32_t>(ExecState::kIdle);
  for (int ms = 40; ms <= 400; ms += 40)
    EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(ms)));
}

TEST_F(StallClockTest, TimeTheWatcherWasAwayDoesNotCount) {
  StallClock clock(milliseconds(100));
  clock.Restart(page(), t0);
  // A look after a long absence (a slow callback) restarts rather than convicts.
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(500)));
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(540)));
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(580)));
  EXPECT_TRUE(clock.Stalled(page(), t0 + milliseconds(600)));
}

TEST_F(StallClockTest, AZeroTimeoutNeverStalls) {
  StallClock clock(milliseconds(0));
  clock.Restart(page(), t0);
  EXPECT_FALSE(clock.Stalled(page(), t0 + milliseconds(1)));
  EXPECT_FALSE(clock.Stalled(page(), t0 + std::chrono::hours(1)));
}

TEST(LookIntervalTest, ATenthOfTheTimeoutWithinBounds) {
  EXPECT_EQ(LookInterval(milliseconds(10000)), milliseconds(250));
  EXPECT_EQ(LookInterval(milliseconds(500)), milliseconds(50));
  EXPECT_EQ(LookInterval(milliseconds(10)), milliseconds(5));
}

}  // namespace
}  // namespace gcs::isolation
