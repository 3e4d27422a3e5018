// gcstress fuzzing — FuzzInputBuilder: answers laid out the way FuzzedDataProvider reads them.
#include "harness/fuzzing/fuzz_input_builder.h"

#include "core/check.h"

namespace gcs {
namespace {

// A stream of its own, so that corpus entries do not track changes to any other seeded stream.
constexpr uint64_t kEncodeStream = 0x66757a7a;  // "fuzz"

}  // namespace

void FuzzInputBuilder::Answer(uint64_t bound, uint64_t value) {
  GCS_CHECK(bound >= 1 && value < bound);
  // ConsumeIntegralInRange takes a byte while (range >> 8k) > 0; the first byte taken is the
  // most significant of the result.
  const uint64_t range = bound - 1;
  int bytes = 0;
  while (bytes < 8 && (range >> (8 * bytes)) > 0)
    ++bytes;
  for (int i = bytes - 1; i >= 0; --i)
    answers_.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void FuzzInputBuilder::SetScheduleBytes(std::span<const uint8_t> bytes) {
  schedule_.assign(bytes.begin(), bytes.end());
}

std::vector<uint8_t> FuzzInputBuilder::Bytes() const {
  std::vector<uint8_t> out = schedule_;
  out.insert(out.end(), answers_.rbegin(), answers_.rend());
  return out;
}

RecordingDraws::RecordingDraws(uint64_t seed, FuzzInputBuilder& builder)
    : rng_(sched::DeriveSeed(seed, kEncodeStream)), builder_(builder) {}

uint64_t RecordingDraws::Below(uint64_t bound) {
  const uint64_t value = rng_.Below(bound);
  builder_.Answer(bound, value);
  return value;
}

std::vector<uint8_t> EncodeFuzzInput(uint64_t seed, const std::optional<FuzzProfile>& profile,
                                     const FuzzDecodeOptions& options,
                                     std::span<const uint8_t> schedule_bytes) {
  FuzzInputBuilder builder;
  GeneratorOptions generator = options.generator;
  builder.Answer(2, profile ? 1 : 0);
  if (profile) {
    WriteProfile(*profile, generator, builder);
    generator = ApplyProfile(*profile, generator);
  }
  RecordingDraws draws(seed, builder);
  (void)GenerateScenario(draws, generator, "encoded");
  builder.SetScheduleBytes(schedule_bytes);
  return builder.Bytes();
}

}  // namespace gcs
