// gcstress scheduler — ReplayStrategy: a cursor over the recorded decisions, divergence detection.
#include "harness/scheduler/replay.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace gcs::sched {

ReplayStrategy::ReplayStrategy(Schedule schedule) : schedule_(std::move(schedule)) {}

void ReplayStrategy::BeginExecution(uint64_t /*seed*/, uint32_t /*num_threads*/) {
  cursor_ = 0;
  diverged_at_.reset();
}

const Decision* ReplayStrategy::Take(Decision::Kind kind) {
  if (diverged_at_) return nullptr;
  if (cursor_ >= schedule_.decisions.size() || schedule_.decisions[cursor_].kind != kind) {
    diverged_at_ = cursor_;
    return nullptr;
  }
  return &schedule_.decisions[cursor_++];
}

ThreadIndex ReplayStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                       ThreadIndex /*current*/, bool /*current_runnable*/) {
  GCS_CHECK(!runnable.empty());
  const size_t at = cursor_;
  if (const Decision* d = Take(Decision::Kind::kThread)) {
    if (std::binary_search(runnable.begin(), runnable.end(), d->value)) {
      return static_cast<ThreadIndex>(d->value);
    }
    diverged_at_ = at;
  }
  return runnable.front();
}

uint64_t ReplayStrategy::NextU64() {
  if (const Decision* d = Take(Decision::Kind::kDraw)) return d->value;
  return 0;
}

bool ReplayStrategy::EndExecution() {
  if (!diverged_at_ && cursor_ != schedule_.decisions.size()) diverged_at_ = cursor_;
  return false;
}

}  // namespace gcs::sched
