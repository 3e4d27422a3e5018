// gcstress scheduler — ReplayStrategy: follows a recorded Schedule, and says where it stopped
// fitting.
#pragma once

#include <cstddef>
#include <optional>

#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// Returns the schedule's decisions in order: thread choices from NextThread, draws from NextU64.
// Given the same program, the controller asks the same questions in the same order, so the
// execution repeats bit for bit.
//
// Divergence: the program asked something the schedule cannot answer — the recorded choice is not
// runnable, the next decision is of the other kind (a draw where a thread choice was recorded, or
// the reverse), the decisions ran out, or the execution ended with decisions left over. The first
// such position is kept in DivergedAt(); from there on the strategy answers deterministically
// without trying to resynchronise: the lowest runnable thread, and 0 for draws. A diverged replay
// means the program (or the target) is not the one that was recorded, or it is nondeterministic.
class ReplayStrategy final : public Strategy {
 public:
  explicit ReplayStrategy(Schedule schedule);

  std::string Spec() const override { return "replay"; }
  // The seed passed here is ignored: the decisions carry everything.
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  // Always false: a schedule describes one execution.
  bool EndExecution() override;

  // Index into schedule().decisions of the first decision that did not fit (== its size when the
  // execution wanted more decisions than recorded).
  std::optional<size_t> DivergedAt() const { return diverged_at_; }
  const Schedule& schedule() const { return schedule_; }

 private:
  // The next recorded decision if it is of `kind` and replay has not diverged.
  const Decision* Take(Decision::Kind kind);

  Schedule schedule_;
  size_t cursor_ = 0;
  std::optional<size_t> diverged_at_;
};

}  // namespace gcs::sched
