// gcstress tests — IterationSeed: the derivation every repro's (seed, iteration) pair relies on.
#include "harness/runner/iteration_seed.h"

#include <gtest/gtest.h>

#include <set>

namespace gcs {
namespace {

// Computed independently (Python, from the published splitmix64 constants). A change here
// orphans every repro ever written: do not "fix" these numbers.
TEST(IterationSeedTest, IsPinned) {
  EXPECT_EQ(IterationSeed(0, 0), 16294208416658607535ull);
  EXPECT_EQ(IterationSeed(1, 0), 10451216379200822465ull);
  EXPECT_EQ(IterationSeed(1, 1), 10905525725756348110ull);
  EXPECT_EQ(IterationSeed(1, 2), 2092789425003139053ull);
  EXPECT_EQ(IterationSeed(42, 7), 2038608524547893592ull);
  EXPECT_EQ(IterationSeed(UINT64_MAX, 0), 16490336266968443936ull);
  EXPECT_EQ(IterationSeed(UINT64_MAX, 1), IterationSeed(0, 0));  // base + i wraps
}

TEST(IterationSeedTest, IsUsableAtCompileTime) {
  static_assert(IterationSeed(1, 0) == 10451216379200822465ull);
}

TEST(IterationSeedTest, DistinctIterationsGetDistinctSeeds) {
  std::set<uint64_t> seeds;
  for (uint64_t i = 0; i < 100000; ++i)
    seeds.insert(IterationSeed(12345, i));
  EXPECT_EQ(seeds.size(), 100000u);
}

}  // namespace
}  // namespace gcs
