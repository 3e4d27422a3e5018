// gcstress fuzzing — corpus entries: canonical JSON, and encoded profile generations.
#include "harness/fuzzing/corpus_entries.h"

#include "harness/fuzzing/fuzz_input_builder.h"
#include "harness/fuzzing/fuzz_profile.h"
#include "harness/scenario/scenario_encoder.h"

namespace gcs {
namespace {

uint64_t NameSeed(const std::string& name, uint32_t variant) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h + variant;
}

}  // namespace

CorpusEntry JsonCorpusEntry(const Scenario& scenario) {
  const std::string text = FormatScenario(scenario);
  return {scenario.name + ".json", std::vector<uint8_t>(text.begin(), text.end())};
}

CorpusEntry StructuredCorpusEntry(const Scenario& scenario, const FuzzDecodeOptions& options,
                                  uint32_t variant) {
  const FuzzProfile profile = ProfileOf(scenario, options.generator);
  return {scenario.name + "-" + std::to_string(variant) + ".bin",
          EncodeFuzzInput(NameSeed(scenario.name, variant), profile, options)};
}

}  // namespace gcs
