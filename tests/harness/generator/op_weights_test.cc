// gcstress generator — tests: op weights: the defaults table and the "op=weight" spec.
#include "harness/generator/op_weights.h"

#include <gtest/gtest.h>

#include <string>

namespace gcs {
namespace {

size_t Index(Op op) {
  return static_cast<size_t>(op);
}

TEST(OpWeightsTest, EveryOpHasADefaultWeightAndAReason) {
  const OpWeights defaults = DefaultOpWeights();
  for (const OpInfo& info : kOpTable) {
    EXPECT_GT(defaults[Index(info.op)], 0u) << info.json;
    EXPECT_FALSE(DefaultOpWeightReason(info.op).empty()) << info.json;
  }
}

TEST(OpWeightsTest, AnEmptySpecChangesNothing) {
  auto w = ParseOpWeights("");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, DefaultOpWeights());
}

TEST(OpWeightsTest, EntriesOverrideTheirOpOnly) {
  auto w = ParseOpWeights("use=40,terminate=0");
  ASSERT_TRUE(w.ok()) << w.error().Format();
  OpWeights expected = DefaultOpWeights();
  expected[Index(Op::kUse)] = 40;
  expected[Index(Op::kTerminate)] = 0;
  EXPECT_EQ(*w, expected);
}

TEST(OpWeightsTest, StarSetsEveryOpAndLaterEntriesRefineIt) {
  auto w = ParseOpWeights("*=0,new=5,gc=1");
  ASSERT_TRUE(w.ok()) << w.error().Format();
  for (const OpInfo& info : kOpTable) {
    const uint32_t want = info.op == Op::kNew ? 5 : info.op == Op::kGc ? 1 : 0;
    EXPECT_EQ((*w)[Index(info.op)], want) << info.json;
  }
}

TEST(OpWeightsTest, TheBaseIsWhatTheSpecModifies) {
  OpWeights base{};
  base[Index(Op::kYield)] = 3;
  auto w = ParseOpWeights("new=2", base);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)[Index(Op::kYield)], 3u);
  EXPECT_EQ((*w)[Index(Op::kNew)], 2u);
  EXPECT_EQ((*w)[Index(Op::kClone)], 0u);
}

TEST(OpWeightsTest, TheMaximumWeightIsAccepted) {
  auto w = ParseOpWeights("new=1000000,yield=0000");
  ASSERT_TRUE(w.ok()) << w.error().Format();
  EXPECT_EQ((*w)[Index(Op::kNew)], kMaxOpWeight);
  EXPECT_EQ((*w)[Index(Op::kYield)], 0u);
}

TEST(OpWeightsTest, BadSpecsGiveExactMessages) {
  struct Case {
    const char* spec;
    const char* message;
  };
  const Case cases[] = {
      {",", "entry 1 is empty"},
      {",new=1", "entry 1 is empty"},
      {"new=1,", "entry 2 is empty"},
      {"new=1,,gc=2", "entry 2 is empty"},
      {"new", "expected op=weight, got \"new\""},
      {"new:3", "expected op=weight, got \"new:3\""},
      {"clnoe=3", "unknown op \"clnoe\""},
      {"=3", "unknown op \"\""},
      {"New=3", "unknown op \"New\""},
      {" new=3", "unknown op \" new\""},
      {"new=", "op \"new\" has no weight"},
      {"*=", "\"*\" has no weight"},
      {"new=-1", "weight \"-1\" of op \"new\" is not a non-negative integer"},
      {"new=+1", "weight \"+1\" of op \"new\" is not a non-negative integer"},
      {"new=1.5", "weight \"1.5\" of op \"new\" is not a non-negative integer"},
      {"new=1e3", "weight \"1e3\" of op \"new\" is not a non-negative integer"},
      {"new= 1", "weight \" 1\" of op \"new\" is not a non-negative integer"},
      {"new=1=2", "weight \"1=2\" of op \"new\" is not a non-negative integer"},
      {"*=x", "weight \"x\" of \"*\" is not a non-negative integer"},
      {"new=1000001", "weight \"1000001\" of op \"new\" is above the maximum 1000000"},
      {"new=99999999999999999999999",
       "weight \"99999999999999999999999\" of op \"new\" is above the maximum 1000000"},
      {"new=1,gc=2,new=3", "op \"new\" is given twice"},
      {"new=1,*=0", "\"*\" must be the first entry"},
      {"*=0", "every op has weight 0"},
      {"*=1,*=0", "\"*\" must be the first entry"},
  };
  for (const Case& c : cases) {
    auto w = ParseOpWeights(c.spec);
    ASSERT_FALSE(w.ok()) << c.spec;
    EXPECT_EQ(w.error().file, "<flag>") << c.spec;
    EXPECT_EQ(w.error().where, "--weights") << c.spec;
    EXPECT_EQ(w.error().message, c.message) << c.spec;
  }
}

TEST(OpWeightsTest, FormatListsTheDifferencesAndParsesBack) {
  EXPECT_EQ(FormatOpWeights(DefaultOpWeights()), "");
  OpWeights w = DefaultOpWeights();
  w[Index(Op::kTerminate)] = 0;
  w[Index(Op::kNew)] = 99;
  const std::string spec = FormatOpWeights(w);
  EXPECT_EQ(spec, "new=99,terminate=0");  // ops.def order, whatever order they were set in
  auto back = ParseOpWeights(spec);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, w);
}

}  // namespace
}  // namespace gcs
