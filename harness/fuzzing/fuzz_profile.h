// gcstress fuzzing — FuzzProfile: the generator options a fuzz input may choose for itself, and
// the one order in which they are read from (and written to) its bytes.
#pragma once

#include <array>
#include <cstdint>

#include "harness/generator/generator.h"
#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"

namespace gcs {

class FuzzInputBuilder;

// A profile narrows the decode options to one shape of program: an exact thread count, at most so
// many workers, a step range and an op mix. It lets a fuzz input (and a corpus entry made from a
// hand-written scenario) stay in the neighbourhood of one family — three threads, no workers,
// mostly attach/clone/drop — while libFuzzer mutates the rest; without one, every input gets the
// generator's default mix.
struct FuzzProfile {
  uint32_t threads = 1;      // exactly this many threads, in [base.min_threads, base.max_threads]
  uint32_t max_workers = 0;  // of them at most this many workers, in [0, base.max_workers]
  uint32_t min_steps = 0;    // in [base.min_steps, base.max_steps]
  uint32_t max_steps = 0;    // in [min_steps, base.max_steps]
  // Per op (ops.def order), in [0, kProfileMaxWeight]. All zero among the target's ops means
  // "the base weights" (a profile never makes the options invalid).
  std::array<uint32_t, kOpCount> weights{};

  friend bool operator==(const FuzzProfile&, const FuzzProfile&) = default;
};

// Weights are one byte each in the input; 64 levels are plenty to say "often, rarely, never".
inline constexpr uint32_t kProfileMaxWeight = 63;

// Reads a profile: one Below per field, in the declaration order above (weights in ops.def
// order), each within the bounds `base` allows. Any answers give a valid profile.
FuzzProfile ReadProfile(GeneratorDraws& draws, const GeneratorOptions& base);

// Writes the answers from which ReadProfile(…, base) reads `profile` back. GCS_CHECKs that the
// profile is within base's bounds (ProfileOf's always is).
void WriteProfile(const FuzzProfile& profile, const GeneratorOptions& base,
                  FuzzInputBuilder& builder);

// `base` narrowed by `profile`: the options DecodeFuzzInput generates with. Always passes
// CheckGeneratorOptions when base does.
GeneratorOptions ApplyProfile(const FuzzProfile& profile, const GeneratorOptions& base);

// The profile of a hand-written scenario: its thread and worker counts, its shortest and longest
// thread, and its op histogram scaled so that the most used op has kProfileMaxWeight (ops it does
// not use get 0); each clamped into base's bounds.
FuzzProfile ProfileOf(const Scenario& scenario, const GeneratorOptions& base);

}  // namespace gcs
