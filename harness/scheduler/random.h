// gcstress scheduler — RandomStrategy: a uniformly random runnable thread at every choice point.
#pragma once

#include "harness/scheduler/prng.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// The simplest baseline that still explores: every choice is independent and uniform. Finds
// shallow bugs quickly but is unlikely to string together several specific preemptions at the
// right places (pct is built for that).
class RandomStrategy final : public Strategy {
 public:
  RandomStrategy() = default;

  std::string Spec() const override { return "random"; }
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override { return draws_.Next(); }

 private:
  Xoshiro256 choices_;
  Xoshiro256 draws_;
};

}  // namespace gcs::sched
