// gcstress scheduler — RandomStrategy: choices and engine draws from two seeded xoshiro streams.
#include "harness/scheduler/random.h"

#include "core/check.h"

namespace gcs::sched {

namespace {
constexpr uint64_t kChoiceStream = 1;
constexpr uint64_t kDrawStream = 2;
}  // namespace

void RandomStrategy::BeginExecution(uint64_t seed, uint32_t /*num_threads*/) {
  choices_.Seed(DeriveSeed(seed, kChoiceStream));
  draws_.Seed(DeriveSeed(seed, kDrawStream));
}

ThreadIndex RandomStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                       ThreadIndex /*current*/, bool /*current_runnable*/) {
  GCS_CHECK(!runnable.empty());
  return runnable[choices_.Below(runnable.size())];
}

}  // namespace gcs::sched
