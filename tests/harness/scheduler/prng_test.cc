// gcstress scheduler — tests: prng: the generators match their published reference outputs.
#include "harness/scheduler/prng.h"

#include <gtest/gtest.h>

#include <array>

namespace gcs::sched {
namespace {

TEST(SplitMix64, MatchesReferenceOutputFromZero) {
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(SplitMix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(SplitMix64(state), 0x06c45d188009454fULL);
}

TEST(Xoshiro256, MatchesReferenceOutputFromState1234) {
  Xoshiro256 rng(1, 2, 3, 4);
  EXPECT_EQ(rng.Next(), 11520u);
  EXPECT_EQ(rng.Next(), 0u);
  EXPECT_EQ(rng.Next(), 1509978240u);
  EXPECT_EQ(rng.Next(), 1215971899390074240u);
}

TEST(Xoshiro256, SameSeedSameStreamDifferentSeedDifferentStream) {
  Xoshiro256 a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(Xoshiro256, BelowStaysInRangeAndHitsEveryValueEvenly) {
  Xoshiro256 rng(7);
  std::array<int, 5> counts{};
  for (int i = 0; i < 50000; ++i) {
    const uint64_t v = rng.Below(5);
    ASSERT_LT(v, 5u);
    ++counts[v];
  }
  for (int count : counts) {
    EXPECT_GT(count, 9500);
    EXPECT_LT(count, 10500);
  }
  EXPECT_EQ(rng.Below(1), 0u);
}

TEST(DeriveSeed, StreamsOfOneSeedDiffer) {
  EXPECT_NE(DeriveSeed(1, 1), DeriveSeed(1, 2));
  EXPECT_NE(DeriveSeed(1, 1), DeriveSeed(2, 1));
  EXPECT_EQ(DeriveSeed(5, 3), DeriveSeed(5, 3));
}

}  // namespace
}  // namespace gcs::sched
