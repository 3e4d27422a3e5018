// gcstress scheduler — RecordingStrategy: append each thread choice and draw to the Schedule.
#include "harness/scheduler/recording_strategy.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace gcs::sched {

void RecordingStrategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  inner_->BeginExecution(seed, num_threads);
  schedule_.seed = seed;
  schedule_.strategy = inner_->Spec();
  schedule_.decisions.clear();
}

ThreadIndex RecordingStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                          ThreadIndex current, bool current_runnable) {
  const ThreadIndex chosen = inner_->NextThread(runnable, current, current_runnable);
  GCS_CHECK_MSG(std::binary_search(runnable.begin(), runnable.end(), chosen),
                "strategy chose a thread that is not runnable");
  schedule_.decisions.push_back(ThreadDecision(chosen));
  return chosen;
}

uint64_t RecordingStrategy::NextU64() {
  const uint64_t value = inner_->NextU64();
  schedule_.decisions.push_back(DrawDecision(value));
  return value;
}

Schedule RecordingStrategy::TakeSchedule() {
  return std::exchange(schedule_, Schedule{});
}

}  // namespace gcs::sched
