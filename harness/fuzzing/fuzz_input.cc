// gcstress fuzzing — DecodeFuzzInput: FuzzedDataProvider answers the generator's grammar.
#include "harness/fuzzing/fuzz_input.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>

#include "harness/fuzzing/fuzz_profile.h"

namespace gcs {
namespace {

// Every answer is one ConsumeIntegralInRange: the reading FuzzInputBuilder inverts.
class ProviderDraws final : public GeneratorDraws {
 public:
  explicit ProviderDraws(FuzzedDataProvider& provider) : provider_(provider) {}
  uint64_t Below(uint64_t bound) override {
    return provider_.ConsumeIntegralInRange<uint64_t>(0, bound - 1);
  }

 private:
  FuzzedDataProvider& provider_;
};

}  // namespace

std::string FuzzInputName(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  char text[22];  // "fuzz-" and 16 hex digits: built in place, one allocation for the result
  std::snprintf(text, sizeof text, "fuzz-%016llx", static_cast<unsigned long long>(h));
  return std::string(text, 21);
}

FuzzCase DecodeFuzzInput(const uint8_t* data, size_t size, const FuzzDecodeOptions& options) {
  FuzzedDataProvider provider(data, size);
  ProviderDraws draws(provider);
  GeneratorOptions generator = options.generator;
  if (draws.Below(2) == 1) generator = ApplyProfile(ReadProfile(draws, generator), generator);
  FuzzCase c;
  c.scenario = GenerateScenario(draws, generator, FuzzInputName(data, size));
  c.schedule_bytes = provider.ConsumeRemainingBytes<uint8_t>();
  return c;
}

}  // namespace gcs
