// gcstress fuzzing — tests: profiles read and write the same fields in the same order, stay in
// bounds, never make the options invalid, and describe a scenario's shape.
#include "harness/fuzzing/fuzz_profile.h"

#include <gtest/gtest.h>

#include "fuzz_test_support.h"
#include "harness/fuzzing/fuzz_input_builder.h"
#include "harness/scheduler/prng.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

class StreamDraws : public GeneratorDraws {
 public:
  explicit StreamDraws(uint64_t seed) : rng_(seed) {}
  uint64_t Below(uint64_t bound) override { return rng_.Below(bound); }

 private:
  sched::Xoshiro256 rng_;
};

// Answers from the bytes a builder wrote, the way DecodeFuzzInput reads them.
class BytesDraws : public GeneratorDraws {
 public:
  explicit BytesDraws(std::vector<uint8_t> b) : b_(std::move(b)), end_(b_.size()) {}
  uint64_t Below(uint64_t bound) override {
    const uint64_t range = bound - 1;
    uint64_t r = 0;
    for (int off = 0; off < 64 && (range >> off) > 0 && end_ > 0; off += 8)
      r = (r << 8) | b_[--end_];
    return r % bound;
  }

 private:
  std::vector<uint8_t> b_;
  size_t end_;
};

GeneratorOptions CoreOptions() {
  GeneratorOptions o;
  o.supported_ops = CoreTarget().SupportedOps();
  return o;
}

TEST(FuzzProfileTest, AnyAnswersGiveAProfileWithinBoundsAndValidOptions) {
  const GeneratorOptions base = CoreOptions();
  for (uint64_t seed = 0; seed < 500; ++seed) {
    StreamDraws draws(seed);
    const FuzzProfile p = ReadProfile(draws, base);
    EXPECT_GE(p.threads, base.min_threads);
    EXPECT_LE(p.threads, base.max_threads);
    EXPECT_LE(p.max_workers, base.max_workers);
    EXPECT_GE(p.min_steps, base.min_steps);
    EXPECT_LE(p.min_steps, p.max_steps);
    EXPECT_LE(p.max_steps, base.max_steps);
    for (uint32_t w : p.weights)
      EXPECT_LE(w, kProfileMaxWeight);
    EXPECT_FALSE(CheckGeneratorOptions(ApplyProfile(p, base)).has_value());
  }
}

TEST(FuzzProfileTest, WriteThenReadGivesTheProfileBack) {
  const GeneratorOptions base = CoreOptions();
  for (uint64_t seed = 0; seed < 200; ++seed) {
    StreamDraws draws(seed);
    const FuzzProfile p = ReadProfile(draws, base);
    FuzzInputBuilder builder;
    WriteProfile(p, base, builder);
    BytesDraws back(builder.Bytes());
    EXPECT_EQ(ReadProfile(back, base), p) << "seed " << seed;
  }
}

TEST(FuzzProfileTest, AllZeroWeightsKeepTheBaseWeights) {
  const GeneratorOptions base = CoreOptions();
  FuzzProfile p;
  p.threads = 2;
  p.min_steps = p.max_steps = 5;
  const GeneratorOptions o = ApplyProfile(p, base);
  EXPECT_EQ(o.weights, base.weights);
  EXPECT_EQ(o.min_threads, 2u);
  EXPECT_EQ(o.max_threads, 2u);
  EXPECT_EQ(o.max_workers, 0u);
  EXPECT_FALSE(CheckGeneratorOptions(o).has_value());
}

TEST(FuzzProfileTest, ProfileOfTheRefpoolMinimalScenario) {
  // t1: attach new yield drop detach attach detach; t2: clone drop.
  const Scenario s = testing::LoadScenarioForCore("refpool/refpool-minimal.json");
  const FuzzProfile p = ProfileOf(s, CoreOptions());
  EXPECT_EQ(p.threads, 2u);
  EXPECT_EQ(p.max_workers, 0u);
  EXPECT_EQ(p.min_steps, 2u);
  EXPECT_EQ(p.max_steps, 7u);
  auto w = [&](Op op) { return p.weights[static_cast<size_t>(op)]; };
  EXPECT_EQ(w(Op::kAttach), kProfileMaxWeight);  // used twice: the most
  EXPECT_EQ(w(Op::kDetach), kProfileMaxWeight);
  EXPECT_EQ(w(Op::kDrop), kProfileMaxWeight);
  EXPECT_EQ(w(Op::kNew), 32u);  // once: 63 / 2 rounded up
  EXPECT_EQ(w(Op::kClone), 32u);
  EXPECT_EQ(w(Op::kYield), 32u);
  EXPECT_EQ(w(Op::kGc), 0u);
  EXPECT_EQ(w(Op::kExport), 0u);
}

TEST(FuzzProfileTest, ProfileOfClampsIntoTheBaseBounds) {
  Scenario s = testing::LoadScenarioForCore("refpool/refpool-noisy.json");
  GeneratorOptions base = CoreOptions();
  base.max_threads = 1;
  base.max_steps = 3;
  base.min_steps = 3;
  const FuzzProfile p = ProfileOf(s, base);
  EXPECT_EQ(p.threads, 1u);
  EXPECT_EQ(p.min_steps, 3u);
  EXPECT_EQ(p.max_steps, 3u);
  FuzzInputBuilder builder;
  WriteProfile(p, base, builder);  // in bounds: no GCS_CHECK
  EXPECT_FALSE(builder.Bytes().empty());
}

}  // namespace
}  // namespace gcs
