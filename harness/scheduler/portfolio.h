// gcstress scheduler — PortfolioStrategy: per execution, random or pct at a depth drawn from the
// execution's seed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "harness/scheduler/pct.h"
#include "harness/scheduler/random.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// No single strategy wins on every program. pct at depth d finds a depth-d bug with probability
// at least 1/(n k^(d-1)) per execution and never finds a deeper one; at a depth well above the
// bug's, its extra change points keep breaking the interleaving it needs, and on a short program
// (d-1 close to k) every step is a change point and the schedules stop varying. A uniformly
// random walk has no depth to get wrong and finds shallow bugs that need many switches (a
// window a few steps wide, revisited) quickly, but strings several specific preemptions together
// only by luck. The portfolio (in the spirit of Coyote's) does not guess: each execution draws,
// from its own seed,
//   - with probability random/100: a random walk;
//   - otherwise: pct at a depth uniform in 2 .. D, where D = min(max-depth, 1 + k/4), so a short
//     program is never given more change points than a quarter of its steps.
// A bug of any depth up to D is then found at least at (1 - random/100)/(D-1) of pct's rate at
// its own depth, with no knowledge of the depth, and a shallow one at least at random/100 of the
// random walk's. What runs comes only from the seed and from k, the program's length as measured
// by earlier executions (pct's estimate: the most schedule points an execution has passed). The
// spec names k ("portfolio:max-depth=8,random=50,steps=57"), so a strategy rebuilt from a
// recorded spec with the execution's seed picks the same variant and repeats it exactly.
class PortfolioStrategy final : public Strategy {
 public:
  // `yields_percent`: the share of pct variants that demote a thread at its yield ops
  // (PctStrategy's yields).
  PortfolioStrategy(uint32_t max_depth, uint32_t random_percent, uint64_t initial_steps,
                    uint32_t yields_percent);

  std::string Spec() const override;
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  void OnExecutionPoints(uint64_t points) override { points_ = points; }
  void OnYield(ThreadIndex thread) override { Active().OnYield(thread); }

  // The current execution's variant: "random" or pct's spec ("pct:depth=4,steps=57").
  std::string Variant() const;
  uint64_t step_estimate() const { return step_estimate_; }

 private:
  Strategy& Active();

  uint32_t max_depth_;
  uint32_t random_percent_;
  uint32_t yields_percent_;
  uint64_t step_estimate_;
  uint64_t max_points_seen_ = 0;  // over finished executions
  uint64_t points_ = 0;           // schedule points of the last finished execution
  RandomStrategy random_;
  std::optional<PctStrategy> pct_;  // engaged when this execution runs pct
};

}  // namespace gcs::sched
