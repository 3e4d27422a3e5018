// gcstress tests — RunPolicy against a fake executor: calibration then sampling in shares, the
// stop at the lowest failure, deaths (skipped in calibration, the rest of a batch retried, the end
// of a dfs run), exhaustion, leak hunts.
#include "harness/runner/run_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gcs {
namespace {

// Runs every started batch to its end (or the stop) at the next Poll, in slot order. Each
// iteration passes unless `script` names it: a violation of that kind, or (kCrash) a death.
class FakeExecutor final : public BatchExecutor {
 public:
  explicit FakeExecutor(uint32_t slots) : running_(slots) {}

  std::map<uint64_t, ViolationKind> script;
  std::set<uint64_t> leaks;  // a batch containing one ends with Leaked; its hunt dies there
  std::vector<Batch> started;

  uint32_t slots() const override { return static_cast<uint32_t>(running_.size()); }
  std::optional<std::string> Start(uint32_t slot, const Batch& batch) override {
    running_[slot] = batch;
    started.push_back(batch);
    return std::nullopt;
  }
  void SetStop(uint64_t stop_at, bool halt) override {
    stop_at_ = stop_at;
    halt_ = halt;
  }
  void Poll(std::chrono::milliseconds, BatchEvents& events) override {
    for (uint32_t slot = 0; slot < running_.size(); ++slot) {
      if (!running_[slot]) continue;
      const Batch b = *running_[slot];
      running_[slot].reset();
      events.Ended(slot, RunOne(slot, b, events));
    }
  }
  uint32_t Confirm(const Failure&, uint32_t) override { return 0; }

 private:
  // False if the batch ended in a death.
  bool RunOne(uint32_t slot, const Batch& b, BatchEvents& events) {
    bool leaked = false;
    uint64_t last = b.begin;
    for (uint64_t i = b.begin; i < b.end; ++i) {
      if (i > stop_at_ || (!b.hunt_leaks && halt_)) break;
      auto it = script.find(i);
      if (b.hunt_leaks) {
        if (leaks.count(i) == 0) continue;
        events.Died(slot, MakeFailure(i, ViolationKind::kLeak));
        return false;
      }
      if (it != script.end() && it->second == ViolationKind::kCrash) {
        events.Died(slot, MakeFailure(i, ViolationKind::kCrash));
        return false;
      }
      if (it == script.end()) {
        events.Passed(slot, i);
      } else {
        events.Failed(slot, MakeFailure(i, it->second));
      }
      leaked = leaked || leaks.count(i) > 0;
      last = i;
      if (b.mode == Batch::Mode::kExplore && i == exhausted_at) {
        events.Exhausted(slot);
        return true;
      }
    }
    if (b.mode == Batch::Mode::kCalibrate && b.send_frozen && !b.hunt_leaks) {
      events.Calibrated(slot, "pct:frozen");
    }
    if (leaked) events.Leaked(slot, b.begin, last + 1);
    return true;
  }

  static Failure MakeFailure(uint64_t i, ViolationKind kind) {
    Failure f;
    f.iteration = i;
    f.violation.kind = kind;
    f.violation.op = "op" + std::to_string(i);
    return f;
  }

  std::vector<std::optional<Batch>> running_;
  uint64_t stop_at_ = ~uint64_t{0};
  bool halt_ = false;

 public:
  uint64_t exhausted_at = ~uint64_t{0};
};

RunConfig Config(uint64_t iterations, bool keep_going = false) {
  RunConfig c;
  c.strategy = "pct";
  c.iterations = iterations;
  c.keep_going = keep_going;
  return c;
}

RunSummary RunOn(const RunConfig& config, FakeExecutor& ex, bool explores = false) {
  const Scenario scenario;
  const RunHooks hooks;
  RunPolicy policy(scenario, config, "pct:depth=3", false, explores, hooks);
  return policy.Run(ex);
}

TEST(RunPolicyTest, CalibratesOnSlotZeroThenSamplesTheFrozenSpecInShares) {
  FakeExecutor ex(2);
  const RunSummary s = RunOn(Config(100), ex);
  // Each share is half of what is left when a slot asks: 42, then 21 of the 42 left, ...
  ASSERT_GE(ex.started.size(), 3u);
  EXPECT_EQ(ex.started[0].mode, Batch::Mode::kCalibrate);
  EXPECT_EQ(ex.started[0].end, Runner::kCalibrationIterations);
  EXPECT_TRUE(ex.started[0].send_frozen);
  EXPECT_EQ(ex.started[1].mode, Batch::Mode::kSample);
  EXPECT_EQ(ex.started[1].spec, "pct:frozen");
  EXPECT_EQ(ex.started[1].begin, 16u);
  EXPECT_EQ(ex.started[1].end, 58u);
  EXPECT_EQ(ex.started[2].begin, 58u);
  EXPECT_EQ(ex.started[2].end, 79u);
  EXPECT_EQ(ex.started.back().end, 100u);
  EXPECT_EQ(s.iterations, 100u);
  EXPECT_EQ(s.strategy, "pct:frozen");
  EXPECT_EQ(s.workers, 2u);
  EXPECT_EQ(s.stop, StopReason::kIterations);
}

TEST(RunPolicyTest, StopsAtTheLowestFailureAndCountsUpToIt) {
  FakeExecutor ex(2);
  ex.script = {{70, ViolationKind::kLeak}, {40, ViolationKind::kDoubleFree}};
  const RunSummary s = RunOn(Config(100), ex);
  ASSERT_TRUE(s.first_failure);
  EXPECT_EQ(s.first_failure->iteration, 40u);
  EXPECT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.iterations, 41u);
  EXPECT_EQ(s.violations, 1u);
  EXPECT_EQ(s.stop, StopReason::kFirstFailure);
}

TEST(RunPolicyTest, ADeathInCalibrationIsSkippedByTheNextCalibratingBatch) {
  FakeExecutor ex(1);
  ex.script = {{5, ViolationKind::kCrash}};
  const RunSummary s = RunOn(Config(40, /*keep_going=*/true), ex);
  ASSERT_GE(ex.started.size(), 2u);
  EXPECT_EQ(ex.started[1].mode, Batch::Mode::kCalibrate);
  EXPECT_EQ(ex.started[1].begin, 6u);
  EXPECT_EQ(ex.started[1].skip, std::vector<uint64_t>{5});
  EXPECT_EQ(s.iterations, 40u);
  EXPECT_EQ(s.violations, 1u);
  EXPECT_EQ(s.strategy, "pct:frozen");
}

TEST(RunPolicyTest, TheRestOfASampleBatchAfterADeathRunsInAnotherBatch) {
  FakeExecutor ex(1);
  ex.script = {{30, ViolationKind::kCrash}};
  const RunSummary s = RunOn(Config(50, /*keep_going=*/true), ex);
  ASSERT_EQ(ex.started.size(), 3u);
  EXPECT_EQ(ex.started[2].mode, Batch::Mode::kSample);
  EXPECT_EQ(ex.started[2].begin, 31u);
  EXPECT_EQ(ex.started[2].end, 50u);
  EXPECT_EQ(s.iterations, 50u);
  EXPECT_EQ(s.violations, 1u);
  ASSERT_TRUE(s.first_failure);
  EXPECT_EQ(s.first_failure->violation.kind, ViolationKind::kCrash);
}

TEST(RunPolicyTest, DfsRunsOneBatchUntilExhausted) {
  FakeExecutor ex(1);
  ex.exhausted_at = 9;
  const RunSummary s = RunOn(Config(100), ex, /*explores=*/true);
  ASSERT_EQ(ex.started.size(), 1u);
  EXPECT_EQ(ex.started[0].mode, Batch::Mode::kExplore);
  EXPECT_EQ(s.iterations, 10u);
  EXPECT_EQ(s.stop, StopReason::kExhausted);
}

TEST(RunPolicyTest, ADeathEndsADfsRunEvenWhenKeepingGoing) {
  FakeExecutor ex(1);
  ex.script = {{4, ViolationKind::kCrash}};
  const RunSummary s = RunOn(Config(100, /*keep_going=*/true), ex, /*explores=*/true);
  EXPECT_EQ(ex.started.size(), 1u);
  EXPECT_EQ(s.iterations, 5u);
  EXPECT_EQ(s.stop, StopReason::kFirstFailure);
}

TEST(RunPolicyTest, ALeakAtTheEndOfABatchIsHuntedToItsIteration) {
  FakeExecutor ex(1);
  ex.leaks = {20};
  const RunSummary s = RunOn(Config(30), ex);
  ASSERT_EQ(ex.started.size(), 3u);
  EXPECT_TRUE(ex.started[2].hunt_leaks);
  EXPECT_EQ(ex.started[2].begin, 16u);
  EXPECT_EQ(ex.started[2].end, 30u);
  ASSERT_TRUE(s.first_failure);
  EXPECT_EQ(s.first_failure->iteration, 20u);
  EXPECT_EQ(s.first_failure->violation.kind, ViolationKind::kLeak);
  EXPECT_EQ(s.iterations, 21u);
}

}  // namespace
}  // namespace gcs
