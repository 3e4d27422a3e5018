// gcstress fuzzing — ByteStrategy: one input byte per thread choice, then random.
#include "harness/fuzzing/byte_strategy.h"

#include <algorithm>

#include "core/check.h"

namespace gcs {

void ByteStrategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  cursor_ = 0;
  fallback_.BeginExecution(seed, num_threads);
}

sched::ThreadIndex ByteStrategy::NextThread(std::span<const sched::ThreadIndex> runnable,
                                            sched::ThreadIndex current, bool current_runnable) {
  GCS_CHECK(!runnable.empty());
  if (cursor_ < bytes_.size()) return runnable[bytes_[cursor_++] % runnable.size()];
  return fallback_.NextThread(runnable, current, current_runnable);
}

uint64_t ByteStrategy::NextU64() {
  if (cursor_ >= bytes_.size()) return fallback_.NextU64();
  const size_t n = std::min<size_t>(8, bytes_.size() - cursor_);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= uint64_t{bytes_[cursor_ + i]} << (8 * i);
  cursor_ += n;
  return v;
}

}  // namespace gcs
