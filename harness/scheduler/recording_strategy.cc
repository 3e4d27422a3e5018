// gcstress scheduler — RecordingStrategy: per-lane decision logs, merged by index on demand.
#include "harness/scheduler/recording_strategy.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace gcs::sched {

void RecordingStrategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  inner_->BeginExecution(seed, num_threads);
  seed_ = seed;
  spec_ = inner_->Spec();
  recorded_ = 0;
  lane_ = 0;
  lanes_.resize(std::max<uint32_t>(1, num_threads));
  for (Lane& lane : lanes_)
    lane.entries.clear();
}

void RecordingStrategy::UseLane(uint32_t lane) {
  GCS_CHECK(lane < lanes_.size());
  lane_ = lane;
}

void RecordingStrategy::Record(Decision decision) {
  if (lanes_.empty()) lanes_.resize(1);  // used without BeginExecution
  lanes_[lane_].entries.push_back({recorded_++, decision});
}

ThreadIndex RecordingStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                          ThreadIndex current, bool current_runnable) {
  const ThreadIndex chosen = inner_->NextThread(runnable, current, current_runnable);
  GCS_CHECK_MSG(std::binary_search(runnable.begin(), runnable.end(), chosen),
                "strategy chose a thread that is not runnable");
  Record(ThreadDecision(chosen));
  return chosen;
}

uint64_t RecordingStrategy::NextU64() {
  const uint64_t value = inner_->NextU64();
  Record(DrawDecision(value));
  return value;
}

std::vector<Decision> RecordingStrategy::Merged() const {
  std::vector<Decision> out(recorded_);
  uint64_t placed = 0;
  for (const Lane& lane : lanes_) {
    for (const Entry& e : lane.entries) {
      GCS_CHECK(e.index < out.size());
      out[e.index] = e.decision;
      ++placed;
    }
  }
  GCS_CHECK_MSG(placed == recorded_, "recording lanes lost or duplicated a decision");
  return out;
}

Schedule RecordingStrategy::schedule() const {
  return Schedule{seed_, spec_, Merged()};
}

Schedule RecordingStrategy::TakeSchedule() {
  Schedule out{seed_, std::move(spec_), Merged()};
  seed_ = 0;
  spec_.clear();
  recorded_ = 0;
  for (Lane& lane : lanes_)
    lane.entries.clear();
  return out;
}

}  // namespace gcs::sched
