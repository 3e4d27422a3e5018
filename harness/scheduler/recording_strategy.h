// gcstress scheduler — RecordingStrategy: forwards to a strategy and records every decision it
// makes.
#pragma once

#include <span>

#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// The controller runs every execution through one of these, so that every ExecutionResult carries
// the Schedule that replays it, whatever the strategy. A cross-cutting wrapper rather than a duty
// of each strategy: a strategy cannot forget to record, and replay needs no special case.
//
// It also enforces the contract: the inner strategy's choice must be one of the runnable threads
// (GCS_CHECK — a strategy that breaks this is a bug in gcstress).
class RecordingStrategy final : public Strategy {
 public:
  explicit RecordingStrategy(Strategy& inner) : inner_(&inner) {}

  std::string Spec() const override { return inner_->Spec(); }
  // Starts a new schedule: the seed, the inner spec as it stands after its BeginExecution (pct
  // names the step estimate it chose there), no decisions.
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  bool EndExecution() override { return inner_->EndExecution(); }

  const Schedule& schedule() const { return schedule_; }
  // Moves the schedule out (the recorder is then empty until the next BeginExecution).
  Schedule TakeSchedule();

 private:
  Strategy* inner_;
  Schedule schedule_;
};

}  // namespace gcs::sched
