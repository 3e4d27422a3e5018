// gcstress scheduler — SplitMix64 and xoshiro256**: the seeded generators behind every random
// choice.
#pragma once

#include <cstdint>

namespace gcs::sched {

// SplitMix64 (Steele, Lea, Flood 2014): turns any 64-bit seed, even 0 or a small counter, into
// well-mixed words. Used to expand seeds into xoshiro state and to derive independent streams.
constexpr uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for stream `stream` of `seed`: strategies keep their scheduling choices and the draws
// they hand to the engine in separate streams, so that the number of draws an engine makes never
// shifts the thread choices (and vice versa).
constexpr uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  uint64_t state = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  return SplitMix64(state);
}

// xoshiro256** 1.0 (Blackman & Vigna). Small, fast, and its output for a given seed is fixed by
// the published algorithm, which is what a recorded seed needs: the same seed must give the same
// choices in every build, on every platform, forever. (std::mt19937 would too, but the standard
// distributions on top of it are implementation-defined.)
class Xoshiro256 {
 public:
  explicit constexpr Xoshiro256(uint64_t seed = 0) { Seed(seed); }
  constexpr Xoshiro256(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) : s_{s0, s1, s2, s3} {}

  constexpr void Seed(uint64_t seed) {
    uint64_t state = seed;
    for (uint64_t& word : s_)
      word = SplitMix64(state);
  }

  constexpr uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound), bound > 0, without modulo bias: draws below 2^64 mod bound are
  // rejected so every residue has the same number of preimages.
  constexpr uint64_t Below(uint64_t bound) {
    const uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const uint64_t r = Next();
      if (r >= threshold) return r % bound;
    }
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4] = {};
};

}  // namespace gcs::sched
