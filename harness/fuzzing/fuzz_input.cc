// gcstress fuzzing — DecodeFuzzInput: FuzzedDataProvider answers the generator's grammar.
#include "harness/fuzzing/fuzz_input.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <string_view>

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

// "fuzz-" and 16 hex digits, in place: what FuzzInputName returns.
struct NameText {
  char text[22];
  std::string_view view() const { return {text, 21}; }
};

NameText InputName(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  NameText name;
  std::snprintf(name.text, sizeof name.text, "fuzz-%016llx", static_cast<unsigned long long>(h));
  return name;
}

}  // namespace

std::string FuzzInputName(const uint8_t* data, size_t size) {
  return std::string(InputName(data, size).view());
}

void DecodeFuzzInputInto(FuzzCase& out, GeneratorScratch& scratch, const uint8_t* data, size_t size,
                         const FuzzDecodeOptions& options) {
  FuzzedDataProvider provider(data, size);
  ProviderDraws draws(provider);
  GeneratorOptions generator = options.generator;
  if (draws.Below(2) == 1) generator = ApplyProfile(ReadProfile(draws, generator), generator);
  GenerateScenarioInto(out.scenario, scratch, draws, generator, InputName(data, size).view());
  // ConsumeRemainingBytes, into the vector already there (whose data() may be null when empty).
  out.schedule_bytes.resize(provider.remaining_bytes());
  if (!out.schedule_bytes.empty())
    provider.ConsumeData(out.schedule_bytes.data(), out.schedule_bytes.size());
}

FuzzCase DecodeFuzzInput(const uint8_t* data, size_t size, const FuzzDecodeOptions& options) {
  FuzzCase c;
  GeneratorScratch scratch;
  DecodeFuzzInputInto(c, scratch, data, size, options);
  return c;
}

}  // namespace gcs
