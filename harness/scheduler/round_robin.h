// gcstress scheduler — RoundRobinStrategy: the next runnable thread in cyclic index order.
#pragma once

#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// Deterministic and seed-independent: at every choice point, switch to the first runnable thread
// after `current` in the cyclic order 0, 1, ..., n-1, 0, ... The maximal-interleaving schedule:
// good at exposing bugs that need a switch at every point, and a stable reference for tests and
// for the handoff benchmark (with two threads every point is a handoff).
class RoundRobinStrategy final : public Strategy {
 public:
  std::string Spec() const override { return "round-robin"; }
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  // A fixed sequence (SplitMix64 from 0), restarted each execution: the seed is ignored here too.
  uint64_t NextU64() override;

 private:
  uint64_t draw_state_ = 0;
};

}  // namespace gcs::sched
