// gcstress fuzzing — FuzzInputBuilder: writes fuzz inputs that decode to chosen answers, the
// inverse of DecodeFuzzInput's reading.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "harness/fuzzing/fuzz_input.h"
#include "harness/fuzzing/fuzz_profile.h"
#include "harness/generator/generator.h"
#include "harness/scheduler/prng.h"

namespace gcs {

// DecodeFuzzInput reads every answer with FuzzedDataProvider::ConsumeIntegralInRange(0, bound-1),
// which takes ceil(bits(bound-1) / 8) bytes off the END of the input, most significant first (none
// for bound 1), and the schedule bytes are what is left at the front. So an input is
//
//   schedule bytes | answer n ... answer 2 | answer 1     (each answer's bytes reversed)
//
// and writing one means laying the answers out backwards. Used to seed the structured fuzzer's
// corpus with inputs whose decodings are known (fuzz/README.md, "Corpora").
class FuzzInputBuilder {
 public:
  // The next Below(bound) read returns `value`. GCS_CHECKs value < bound.
  void Answer(uint64_t bound, uint64_t value);
  void SetScheduleBytes(std::span<const uint8_t> bytes);
  // The input: schedule bytes, then the answers in reverse reading order.
  std::vector<uint8_t> Bytes() const;

 private:
  std::vector<uint8_t> answers_;  // in reading order, each answer most significant byte first
  std::vector<uint8_t> schedule_;
};

// A GeneratorDraws answering from a seeded xoshiro256** stream and recording every answer into a
// builder: generating through it writes the input that decodes to the same scenario.
class RecordingDraws final : public GeneratorDraws {
 public:
  RecordingDraws(uint64_t seed, FuzzInputBuilder& builder);
  uint64_t Below(uint64_t bound) override;

 private:
  sched::Xoshiro256 rng_;
  FuzzInputBuilder& builder_;
};

// The input DecodeFuzzInput(…, options) decodes to: `profile` (or the options' own weights when
// nullopt), then the scenario a generator fed by a stream seeded with `seed` writes, then
// `schedule_bytes` for ByteStrategy. Deterministic.
std::vector<uint8_t> EncodeFuzzInput(uint64_t seed, const std::optional<FuzzProfile>& profile,
                                     const FuzzDecodeOptions& options,
                                     std::span<const uint8_t> schedule_bytes = {});

}  // namespace gcs
