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
  next_position_ = 0;
  // Lanes are only ever added: a lane dropped when an execution has fewer threads than the last
  // would take its buffer along, and the next execution with more threads would grow a new one —
  // memory allocated in one execution and kept past it, which libFuzzer reads as a possible leak
  // and answers by running the case again.
  num_lanes_ = std::max<uint32_t>(1, num_threads);
  if (lanes_.size() < num_lanes_) lanes_.resize(num_lanes_);
  for (Lane& lane : lanes_)
    lane.entries.clear();
}

void RecordingStrategy::Record(uint64_t position, uint32_t lane, Decision decision) {
  GCS_CHECK(lane < num_lanes_);
  lanes_[lane].entries.push_back({position, decision});
}

ThreadIndex RecordingStrategy::NextThreadAt(uint64_t position, uint32_t lane,
                                            std::span<const ThreadIndex> runnable,
                                            ThreadIndex current, bool current_runnable) {
  const ThreadIndex chosen = inner_->NextThread(runnable, current, current_runnable);
  GCS_CHECK_MSG(std::binary_search(runnable.begin(), runnable.end(), chosen),
                "strategy chose a thread that is not runnable");
  Record(position, lane, ThreadDecision(chosen));
  return chosen;
}

uint64_t RecordingStrategy::NextU64At(uint64_t position, uint32_t lane) {
  const uint64_t value = inner_->NextU64();
  Record(position, lane, DrawDecision(value));
  return value;
}

ThreadIndex RecordingStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                          ThreadIndex current, bool current_runnable) {
  return NextThreadAt(next_position_++, 0, runnable, current, current_runnable);
}

uint64_t RecordingStrategy::NextU64() {
  return NextU64At(next_position_++, 0);
}

std::vector<Decision> RecordingStrategy::Merged() const {
  // A kind no decision has marks the holes, so one pass places the entries and catches a position
  // used twice, and a second catches one never used.
  constexpr auto kHole = static_cast<Decision::Kind>(0xff);
  size_t count = 0;
  for (const Lane& lane : lanes_)
    count += lane.entries.size();
  std::vector<Decision> out(count, Decision{kHole, 0});
  for (const Lane& lane : lanes_) {
    for (const Entry& e : lane.entries) {
      GCS_CHECK_MSG(e.index < count && out[e.index].kind == kHole,
                    "recorded positions are not 0..count-1");
      out[e.index] = e.decision;
    }
  }
  for (const Decision& d : out) {
    GCS_CHECK_MSG(d.kind != kHole, "recorded positions are not 0..count-1");
  }
  return out;
}

Schedule RecordingStrategy::schedule() const {
  return Schedule{seed_, spec_, Merged()};
}

Schedule RecordingStrategy::TakeSchedule() {
  Schedule out{seed_, std::move(spec_), Merged()};
  seed_ = 0;
  spec_.clear();
  next_position_ = 0;
  for (Lane& lane : lanes_)
    lane.entries.clear();
  return out;
}

}  // namespace gcs::sched
