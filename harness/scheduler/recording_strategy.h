// gcstress scheduler — RecordingStrategy: forwards to a strategy and records every decision it
// makes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// The controller runs every execution through one of these, so that every ExecutionResult carries
// the Schedule that replays it, whatever the strategy. A cross-cutting wrapper rather than a duty
// of each strategy: a strategy cannot forget to record, and replay needs no special case.
//
// It also enforces the contract: the inner strategy's choice must be one of the runnable threads
// (GCS_CHECK — a strategy that breaks this is a bug in gcstress).
//
// Lanes. The controller calls the recorder from whichever thread is running — one at a time, but
// a different one after each handoff. Appending every decision to one vector would make the cache
// line holding its tail move between cores at every decision, which measurably slows handoffs
// (bench/scheduler). So a caller picks its own lane first (UseLane), each lane is a separate
// cache-line-aligned buffer, every entry carries its global index, and the schedule is merged
// back into one ordered list when it is read. Single-threaded users never call UseLane.
class RecordingStrategy final : public Strategy {
 public:
  explicit RecordingStrategy(Strategy& inner) : inner_(&inner) {}

  std::string Spec() const override { return inner_->Spec(); }
  // Starts a new schedule: the seed, the inner spec as it stands after its BeginExecution (pct
  // names the step estimate it chose there), no decisions, one lane per thread.
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  bool EndExecution() override { return inner_->EndExecution(); }

  // Decisions from now on go to `lane` (< max(1, num_threads)). Only affects speed, never the
  // recorded order.
  void UseLane(uint32_t lane);

  // A copy of the schedule so far.
  Schedule schedule() const;
  // The schedule so far; the recorder is then empty until the next BeginExecution. The lanes
  // keep their buffers, so later executions do not regrow (and page-fault in) them.
  Schedule TakeSchedule();

 private:
  struct Entry {
    uint64_t index;  // position in the schedule
    Decision decision;
  };
  // Own cache line each, so two lanes' bookkeeping never shares one.
  struct alignas(64) Lane {
    std::vector<Entry> entries;
  };

  void Record(Decision decision);
  std::vector<Decision> Merged() const;

  // Per-decision members first (see Controller's hot fields); cold ones after.
  Strategy* inner_;
  uint32_t lane_ = 0;
  uint64_t recorded_ = 0;
  std::vector<Lane> lanes_;
  uint64_t seed_ = 0;
  std::string spec_;
};

}  // namespace gcs::sched
