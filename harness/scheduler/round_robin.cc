// gcstress scheduler — RoundRobinStrategy: upper_bound on the sorted runnable set, wrapping to 0.
#include "harness/scheduler/round_robin.h"

#include <algorithm>

#include "core/check.h"
#include "harness/scheduler/prng.h"

namespace gcs::sched {

void RoundRobinStrategy::BeginExecution(uint64_t /*seed*/, uint32_t /*num_threads*/) {
  draw_state_ = 0;
}

ThreadIndex RoundRobinStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                           ThreadIndex current, bool /*current_runnable*/) {
  GCS_CHECK(!runnable.empty());
  // `runnable` is sorted, so the first element greater than current is the next one in cyclic
  // order; none greater means we wrap around to the lowest.
  const auto next = std::upper_bound(runnable.begin(), runnable.end(), current);
  return next != runnable.end() ? *next : runnable.front();
}

uint64_t RoundRobinStrategy::NextU64() {
  return SplitMix64(draw_state_);
}

}  // namespace gcs::sched
