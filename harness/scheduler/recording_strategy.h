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
// a different one after each handoff. Appending every decision to one vector, or bumping one
// shared counter, would make a cache line move between cores at every decision, which measurably
// slows handoffs (bench/scheduler). So the controller records with NextThreadAt/NextU64At: into
// its own lane (a separate cache-line-aligned buffer), at a schedule position it carries along
// with control; the lanes are merged back into one ordered list when the schedule is read.
// Through the plain Strategy interface everything goes to lane 0 at consecutive positions.
class RecordingStrategy final : public Strategy {
 public:
  explicit RecordingStrategy(Strategy& inner) : inner_(&inner), lanes_(1) {}
  // Records for no strategy until Rebind.
  RecordingStrategy() : inner_(nullptr), lanes_(1) {}

  // Records for `inner` from now on; the lanes keep their buffers (one recorder serves every
  // execution of a controller).
  void Rebind(Strategy& inner) { inner_ = &inner; }

  std::string Spec() const override { return inner_->Spec(); }
  // Starts a new schedule: the seed, the inner spec as it stands after its BeginExecution (pct
  // names the step estimate it chose there), no decisions, one lane per thread.
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  void OnExecutionPoints(uint64_t points) override { inner_->OnExecutionPoints(points); }
  void OnYield(ThreadIndex thread) override { inner_->OnYield(thread); }
  bool EndExecution() override { return inner_->EndExecution(); }

  // The same, recorded in `lane` (< max(1, num_threads)) at schedule position `position`. Within
  // an execution the positions used must be exactly 0, 1, ..., count-1 (GCS_CHECK when read);
  // do not mix with the plain calls above.
  ThreadIndex NextThreadAt(uint64_t position, uint32_t lane, std::span<const ThreadIndex> runnable,
                           ThreadIndex current, bool current_runnable);
  uint64_t NextU64At(uint64_t position, uint32_t lane);

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
  // Own pair of cache lines each (see HandoffSlot), so two lanes' bookkeeping never shares one.
  struct alignas(128) Lane {
    std::vector<Entry> entries;
  };

  void Record(uint64_t position, uint32_t lane, Decision decision);
  std::vector<Decision> Merged() const;

  Strategy* inner_;
  std::vector<Lane> lanes_;  // the first num_lanes_ are this execution's; the rest keep buffers
  uint32_t num_lanes_ = 0;
  uint64_t next_position_ = 0;  // for the plain Strategy calls only
  uint64_t seed_ = 0;
  std::string spec_;
};

}  // namespace gcs::sched
