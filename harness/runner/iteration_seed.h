// gcstress runner — IterationSeed: the seed of iteration i of a run, derived from the base seed.
#pragma once

#include <cstdint>

#include "harness/scheduler/prng.h"

namespace gcs {

// The seed iteration `i` of a run with base seed `base` executes with:
//
//   IterationSeed(base, i) = splitmix64(base + i)
//                          = mix(base + i + 0x9e3779b97f4a7c15)   (mod 2^64)
//   mix(z): z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
//           z = (z ^ (z >> 27)) * 0x94d049bb133111eb
//           return z ^ (z >> 31)
//
// A pure function of (base, i): iteration i gets the same seed however many workers share the run
// and whichever of them runs it, and `--seed B` with iteration i in a repro names it exactly.
// splitmix64's output function is a bijection, so distinct iterations of one run never share a
// seed, and neighbouring counters come out uncorrelated. Pinned by iteration_seed_test.cc: a
// change here orphans every repro's "seed"/"iteration" pair.
constexpr uint64_t IterationSeed(uint64_t base, uint64_t i) {
  uint64_t state = base + i;
  return sched::SplitMix64(state);
}

}  // namespace gcs
