// gcstress fuzzing — tests: DecodeFuzzInput turns any bytes into a valid scenario, always the
// same one, and FuzzInputBuilder writes inputs that decode to chosen answers.
#include "harness/fuzzing/fuzz_input.h"

#include <gtest/gtest.h>

#include <bitset>

#include "fuzz_test_support.h"
#include "harness/fuzzing/fuzz_input_builder.h"
#include "harness/fuzzing/fuzz_profile.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

using testing::CoreLoadOptions;
using testing::RandomInputs;

FuzzDecodeOptions CoreDecodeOptions() {
  FuzzDecodeOptions o;
  o.generator.supported_ops = CoreTarget().SupportedOps();
  return o;
}

FuzzCase Decode(const std::vector<uint8_t>& bytes,
                const FuzzDecodeOptions& options = CoreDecodeOptions()) {
  return DecodeFuzzInput(bytes.data(), bytes.size(), options);
}

// Equal but for the name (which hashes the input).
void ExpectSameProgram(Scenario a, Scenario b) {
  a.name = b.name = "";
  a.description = b.description = "";
  EXPECT_EQ(FormatScenario(a), FormatScenario(b));
  EXPECT_TRUE(a == b);
}

TEST(FuzzInputTest, AnyBytesDecodeToAScenarioTheLoaderAccepts) {
  const LoadOptions load = CoreLoadOptions();
  for (const std::vector<uint8_t>& bytes : RandomInputs(1, 1500, 700)) {
    const FuzzCase c = Decode(bytes);
    ASSERT_FALSE(c.scenario.threads.empty());
    EXPECT_LE(c.schedule_bytes.size(), bytes.size());
    Expected<Scenario> loaded = LoadScenarioText(FormatScenario(c.scenario), "<decoded>", load);
    ASSERT_TRUE(loaded.ok()) << loaded.error().Format() << "\n" << FormatScenario(c.scenario);
    EXPECT_TRUE(*loaded == c.scenario);
  }
}

TEST(FuzzInputTest, DecodingIsAPureFunctionOfTheBytes) {
  for (const std::vector<uint8_t>& bytes : RandomInputs(2, 200, 500)) {
    const FuzzCase a = Decode(bytes);
    // A copy at another address: nothing may depend on where the bytes are.
    const std::vector<uint8_t> copy(bytes);
    const FuzzCase b = Decode(copy);
    EXPECT_TRUE(a.scenario == b.scenario);
    EXPECT_EQ(a.schedule_bytes, b.schedule_bytes);
  }
}

// DecodeFuzzInputInto with one case and one scratch for every input, as the fuzzer decodes:
// each case is the one a fresh DecodeFuzzInput gives.
TEST(FuzzInputTest, DecodingIntoAReusedCaseGivesTheSameCase) {
  const FuzzDecodeOptions options = CoreDecodeOptions();
  FuzzCase reused;
  GeneratorScratch scratch;
  for (const std::vector<uint8_t>& bytes : RandomInputs(3, 600, 700)) {
    const FuzzCase fresh = DecodeFuzzInput(bytes.data(), bytes.size(), options);
    DecodeFuzzInputInto(reused, scratch, bytes.data(), bytes.size(), options);
    ASSERT_TRUE(reused.scenario == fresh.scenario) << FormatScenario(fresh.scenario);
    ASSERT_EQ(reused.schedule_bytes, fresh.schedule_bytes);
  }
  DecodeFuzzInputInto(reused, scratch, nullptr, 0, options);
  EXPECT_TRUE(reused.schedule_bytes.empty());
  EXPECT_TRUE(reused.scenario == DecodeFuzzInput(nullptr, 0, options).scenario);
}

TEST(FuzzInputTest, TheNameHashesTheWholeInput) {
  const FuzzCase a = Decode({1, 2, 3});
  const FuzzCase b = Decode({1, 2, 4});
  EXPECT_EQ(a.scenario.name.rfind("fuzz-", 0), 0u);
  EXPECT_EQ(a.scenario.name.size(), 5u + 16u);
  EXPECT_NE(a.scenario.name, b.scenario.name);
  EXPECT_EQ(FuzzInputName(nullptr, 0), "fuzz-cbf29ce484222325");  // FNV-1a's offset basis
}

TEST(FuzzInputTest, RunningOutOfBytesAnswersZero) {
  // The empty input and a single 0 byte (mode 0, then nothing) ask the same questions and get
  // the same all-zero answers: the smallest program of the default options.
  const FuzzCase empty = Decode({});
  const FuzzCase zero = Decode({0});
  ExpectSameProgram(empty.scenario, zero.scenario);
  EXPECT_TRUE(empty.schedule_bytes.empty());
  EXPECT_TRUE(zero.schedule_bytes.empty());
  EXPECT_EQ(empty.scenario.threads.size(), GeneratorOptions{}.min_threads);
}

TEST(FuzzInputTest, EveryOpOfTheTargetIsReachableFromBytes) {
  std::bitset<kOpCount> seen;
  for (const std::vector<uint8_t>& bytes : RandomInputs(3, 3000, 600)) {
    for (const ThreadSpec& t : Decode(bytes).scenario.threads) {
      for (const Step& s : t.steps)
        seen.set(static_cast<size_t>(s.op));
    }
  }
  const OpSet supported = CoreTarget().SupportedOps();
  for (size_t i = 0; i < kOpCount; ++i) {
    if (!supported.test(i)) continue;
    EXPECT_TRUE(seen.test(i)) << OpName(static_cast<Op>(i));
  }
}

TEST(FuzzInputTest, EncodedInputsDecodeToTheirGeneration) {
  const FuzzDecodeOptions options = CoreDecodeOptions();
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const std::vector<uint8_t> schedule = {static_cast<uint8_t>(seed), 7, 0, 255};
    const std::vector<uint8_t> bytes = EncodeFuzzInput(seed, std::nullopt, options, schedule);
    // The same generation, straight from the recording stream.
    FuzzInputBuilder unused;
    RecordingDraws draws(seed, unused);
    const Scenario expected = GenerateScenario(draws, options.generator, "x");
    const FuzzCase c = Decode(bytes, options);
    ExpectSameProgram(c.scenario, expected);
    EXPECT_EQ(c.schedule_bytes, schedule) << "seed " << seed;
  }
}

TEST(FuzzInputTest, AProfileInputGetsTheProfilesShape) {
  const FuzzDecodeOptions options = CoreDecodeOptions();
  FuzzProfile p;
  p.threads = 3;
  p.max_workers = 0;
  p.min_steps = 4;
  p.max_steps = 6;
  p.weights[static_cast<size_t>(Op::kNew)] = 10;
  p.weights[static_cast<size_t>(Op::kClone)] = 10;
  p.weights[static_cast<size_t>(Op::kDrop)] = 10;
  p.weights[static_cast<size_t>(Op::kYield)] = 1;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    const FuzzCase c = Decode(EncodeFuzzInput(seed, p, options), options);
    ASSERT_EQ(c.scenario.threads.size(), 3u);
    for (const ThreadSpec& t : c.scenario.threads) {
      EXPECT_FALSE(t.worker);
      for (const Step& s : t.steps) {
        EXPECT_TRUE(s.op == Op::kNew || s.op == Op::kClone || s.op == Op::kDrop ||
                    s.op == Op::kYield)
            << OpName(s.op);
      }
    }
  }
}

TEST(FuzzInputTest, BuilderAnswersAreReadBackInOrder) {
  // Bounds of 1 (no byte), 2..256 (one), 257..65536 (two) and a 64-bit one (eight).
  struct Q {
    uint64_t bound, value;
  };
  const std::vector<Q> qs = {{2, 1},     {1, 0},        {256, 255},
                             {257, 256}, {65536, 4660}, {~uint64_t{0}, 0x0123456789abcdefULL},
                             {3, 2}};
  FuzzInputBuilder builder;
  for (const Q& q : qs)
    builder.Answer(q.bound, q.value);
  const std::vector<uint8_t> schedule = {9, 8, 7};
  builder.SetScheduleBytes(schedule);
  const std::vector<uint8_t> bytes = builder.Bytes();
  EXPECT_EQ(bytes.size(), 3u + 1 + 0 + 1 + 2 + 2 + 8 + 1);
  // Read back the way DecodeFuzzInput reads.
  class Reader : public GeneratorDraws {
   public:
    explicit Reader(const std::vector<uint8_t>& b) : b_(b), end_(b.size()) {}
    uint64_t Below(uint64_t bound) override {
      const uint64_t range = bound - 1;
      uint64_t r = 0;
      for (int off = 0; off < 64 && (range >> off) > 0 && end_ > 0; off += 8)
        r = (r << 8) | b_[--end_];
      return range == ~uint64_t{0} ? r : r % bound;
    }
    size_t end() const { return end_; }

   private:
    const std::vector<uint8_t>& b_;
    size_t end_;
  } reader(bytes);
  for (const Q& q : qs)
    EXPECT_EQ(reader.Below(q.bound), q.value) << q.bound;
  EXPECT_EQ(reader.end(), schedule.size());
}

}  // namespace
}  // namespace gcs
