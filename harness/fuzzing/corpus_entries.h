// gcstress fuzzing — seed corpus entries for the two fuzzers, made from scenarios.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/fuzzing/fuzz_input.h"
#include "harness/scenario/scenario.h"

namespace gcs {

// The fuzz targets, by the names of their binaries and corpus directories (corpus/<target>/).
inline constexpr const char* kStructuredFuzzer = "scenario_fuzzer";
inline constexpr const char* kJsonFuzzer = "scenario_json_fuzzer";

struct CorpusEntry {
  std::string file;  // a file name, no directory
  std::vector<uint8_t> bytes;
};

// scenario_json_fuzzer's entry: the scenario's canonical text (FormatScenario), "<name>.json".
// A scenario file is already an input of the loader; the canonical form keeps entries small and
// free of the formatting a hand-written file happens to have.
CorpusEntry JsonCorpusEntry(const Scenario& scenario);

// scenario_fuzzer's entry number `variant` for a scenario, "<name>-<variant>.bin": an input that
// decodes (with `options`) to a generated scenario of the scenario's profile (ProfileOf: its
// thread count, at most its workers, its step range and op mix), the generator fed by a stream
// seeded with the scenario's name and the variant; no schedule bytes. A hand-written scenario is
// not in general something the generator can write, so the entry is its shape, not its steps:
// libFuzzer then mutates within that family's neighbourhood. Deterministic.
CorpusEntry StructuredCorpusEntry(const Scenario& scenario, const FuzzDecodeOptions& options,
                                  uint32_t variant);

}  // namespace gcs
