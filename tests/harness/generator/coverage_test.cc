// gcstress generator — tests: GeneratorCoverage: the pairs a scenario reaches, the allowed pairs,
// the report's determinism, and the floor swarm testing gives the default seeds.
#include "harness/generator/coverage.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "seed_faults.h"

namespace gcs {
namespace {

using testing::CoreLoadOptions;

Scenario Load(const std::string& json) {
  Expected<Scenario> s = LoadScenarioText(json, "<test>", CoreLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? *s : Scenario{};
}

GeneratorCoverage Measure(uint64_t first_seed, uint64_t n, const GeneratorOptions& options) {
  GeneratorCoverage c;
  c.supported = options.supported_ops;
  for (uint64_t seed = first_seed; seed < first_seed + n; ++seed) {
    GenerationRecord record;
    c.Add(GenerateScenario(seed, options, &record), record);
  }
  return c;
}

TEST(CoverageTest, StepsOfTwoThreadsMeetOnAnAliasOrAVm) {
  const Scenario s = Load(R"({"format": 1, "name": "pairs", "threads": {
    "t0": [{"op": "new", "as": "x"}, {"op": "weak", "obj": "x", "as": "wx"},
           {"op": "new", "as": "y"}, {"op": "switch_vm", "vm": "v1"}, {"op": "new", "as": "z"}],
    "t1": [{"op": "upgrade", "weak": "wx", "as": "x2"}, {"op": "new", "as": "y"},
           {"op": "gc", "vm": "v1"}]}})");
  const OpPairSet p = CrossThreadPairs(s);
  EXPECT_TRUE(p.test(PairIndex(Op::kWeak, Op::kUpgrade)));  // wx stands for x
  EXPECT_TRUE(p.test(PairIndex(Op::kUpgrade, Op::kNew)));   // x2 is x, made by t0
  EXPECT_TRUE(p.test(PairIndex(Op::kNew, Op::kGc)));        // z lives in v1, which t1 collects
  EXPECT_TRUE(p.test(PairIndex(Op::kSwitchVm, Op::kGc)));   // both act on v1
  EXPECT_FALSE(p.test(PairIndex(Op::kNew, Op::kNew)));      // two creations, even of one name
  EXPECT_FALSE(p.test(PairIndex(Op::kWeak, Op::kGc)));      // x lives in main, not v1
  EXPECT_FALSE(p.test(PairIndex(Op::kUpgrade, Op::kGc)));   // t1's own steps never pair
}

TEST(CoverageTest, TheAllowedPairsComeFromTheOpTable) {
  EXPECT_FALSE(PairExclusion(Op::kDrop, Op::kDrop, kAllOps).has_value());
  EXPECT_FALSE(PairExclusion(Op::kNew, Op::kClone, kAllOps).has_value());
  EXPECT_EQ(PairExclusion(Op::kNew, Op::kNew, kAllOps).value_or(""),
            "both only create (bind a handle, name no variable): two creations are two objects");
  const OpSet cpython = *BuiltinTargetOps("cpython");
  EXPECT_EQ(PairExclusion(Op::kUse, Op::kCall, cpython).value_or(""),
            "call is not an op of the target");
  GeneratorCoverage c;
  EXPECT_EQ(c.AllowedPairs(), kOpCount * (kOpCount + 1) / 2 - 1);
  c.supported = cpython;
  const size_t n = cpython.count();
  EXPECT_EQ(c.AllowedPairs(), n * (n + 1) / 2 - 1);
}

TEST(CoverageTest, TheReportIsAFunctionOfTheSeeds) {
  const GeneratorCoverage a = Measure(1, 300, GeneratorOptions{});
  const GeneratorCoverage b = Measure(1, 300, GeneratorOptions{});
  const GeneratorCoverage other = Measure(301, 300, GeneratorOptions{});
  EXPECT_EQ(FormatCoverage(a, "t"), FormatCoverage(b, "t"));
  EXPECT_EQ(CoverageToJson(a).dump(), CoverageToJson(b).dump());
  EXPECT_NE(FormatCoverage(a, "t"), FormatCoverage(other, "t"));
  const std::string text = FormatCoverage(a, "t");
  EXPECT_NE(text.find("\n  new        new        both only create"), std::string::npos) << text;
  EXPECT_NE(text.find("\npairs: "), std::string::npos);
  EXPECT_EQ(CoverageToJson(a)["summary"]["allowed"], a.AllowedPairs());
}

// Issue 23: every cross-thread pair the language allows, at least once in the 1,000 scenarios of
// the default seeds (gcstress gen --coverage 1000 --seed 1); without swarm subsets some never
// show (measured when swarm testing came in: 244 of 252, floor 0).
TEST(CoverageTest, SwarmTestingReachesEveryAllowedPairInTheFirstThousandSeeds) {
  const GeneratorCoverage c = Measure(1, 1000, GeneratorOptions{});
  EXPECT_EQ(c.ReachedPairs(), c.AllowedPairs());
  EXPECT_GE(c.Floor(), 1u) << FormatCoverage(c, "seeds 1..1000");
  for (size_t i = 0; i < kShapeCount; ++i)
    EXPECT_GT(c.shapes[i], 0u) << kShapeTable[i].name;
  for (size_t i = 0; i < c.mechanism_shapes.size(); ++i)
    EXPECT_GT(c.mechanism_shapes[i], 0u) << MechanismShapes()[i].name;
}

}  // namespace
}  // namespace gcs
