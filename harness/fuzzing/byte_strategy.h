// gcstress fuzzing — ByteStrategy: the fuzz input's schedule bytes pick the threads, then the
// random strategy takes over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "harness/scheduler/random.h"
#include "harness/scheduler/strategy.h"

namespace gcs {

// At each choice point, while bytes last, the next byte b picks runnable[b % runnable.size()], and
// a draw (NextU64) takes up to the next 8 bytes, little-endian. So libFuzzer steers the
// interleaving byte by byte: a mutated byte moves one context switch.
//
// When the bytes run out the random strategy continues, seeded with the execution's seed — a
// deterministic choice, so that a short input still gets an interleaving rather than one thread
// running to completion, and the same input always gets the same one. It is the random strategy
// with its first choices given, so Spec() is "random": the schedule the controller records for it
// is an ordinary random-strategy schedule, and a fuzz case converts into an ordinary repro (whose
// replay follows the recorded decisions, never the strategy).
//
// The bytes are not copied: they must outlive the strategy's executions.
class ByteStrategy final : public sched::Strategy {
 public:
  explicit ByteStrategy(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  std::string Spec() const override { return fallback_.Spec(); }
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  sched::ThreadIndex NextThread(std::span<const sched::ThreadIndex> runnable,
                                sched::ThreadIndex current, bool current_runnable) override;
  uint64_t NextU64() override;

  // Schedule bytes taken so far in this execution.
  size_t BytesUsed() const { return cursor_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t cursor_ = 0;
  sched::RandomStrategy fallback_;
};

}  // namespace gcs
