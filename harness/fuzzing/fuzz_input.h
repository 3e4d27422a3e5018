// gcstress fuzzing — DecodeFuzzInput: any fuzzer bytes to a valid scenario plus the bytes that
// steer its schedule (structure-aware: the bytes answer the generator's grammar).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/generator/generator.h"
#include "harness/scenario/scenario.h"

namespace gcs {

// How inputs decode. The fuzzers use a default-constructed one with the generator's supported ops
// set to the target's.
struct FuzzDecodeOptions {
  GeneratorOptions generator;
};

// One fuzz input, decoded.
struct FuzzCase {
  Scenario scenario;
  // What ByteStrategy picks threads with (byte_strategy.h); may be empty.
  std::vector<uint8_t> schedule_bytes;
};

// The input's layout. libFuzzer's FuzzedDataProvider reads it from both ends:
//
//   [ schedule bytes ...  |  ... generator answers, read from the end backwards ]
//
//   1. Below(2), the last byte: 1 = the input carries a profile (fuzz_profile.h), read next;
//      0 = options.generator as given.
//   2. The generator's answers: every GeneratorDraws::Below call of GenerateScenario is one
//      ConsumeIntegralInRange(0, bound - 1) — one byte for bounds up to 256 — so flipping a byte
//      changes one choice of the grammar (an op, an argument, a thread) and the scenario stays
//      valid. Once the bytes run out every answer is 0: still a valid scenario.
//   3. Whatever the generator left at the front is the schedule bytes.
//
// The scenario is named "fuzz-<16 hex digits>", FNV-1a of the whole input, so that two inputs'
// scenarios are told apart in reports. A pure function of (bytes, options): the same on every
// build and platform, whatever the bytes. GCS_CHECKs that options.generator passes
// CheckGeneratorOptions.
FuzzCase DecodeFuzzInput(const uint8_t* data, size_t size, const FuzzDecodeOptions& options);

// DecodeFuzzInput into `out`, whatever case it held: the same case, written in the memory `out` and
// `scratch` kept from earlier inputs (GenerateScenarioInto). What a fuzzer calls once per input.
void DecodeFuzzInputInto(FuzzCase& out, GeneratorScratch& scratch, const uint8_t* data, size_t size,
                         const FuzzDecodeOptions& options);

// "fuzz-" and the input's FNV-1a 64 in hex: the name DecodeFuzzInput gives its scenario.
std::string FuzzInputName(const uint8_t* data, size_t size);

}  // namespace gcs
