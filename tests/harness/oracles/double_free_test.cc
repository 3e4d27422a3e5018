// gcstress oracles — DoubleFreeOracle on hand-built traces.
#include "harness/oracles/double_free.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

TEST(DoubleFreeOracleTest, ASecondFreeOfAnIdIsADoubleFree) {
  const Scenario& s = OracleTestScenario();
  ScriptedTarget target;
  TraceBuilder t(s);
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Ev(kT1, K::kDecref, 0, 1).Free(kT1, 1);
  t.Begin(kT1, 16).Ev(kT1, K::kPoolApply, 0, 1, 0, 1, 0, "reference_pool.apply");
  const size_t second = t.size() + 1;
  t.Ev(kT1, K::kDecref, 0, 1, 0, 0, 0, "reference_pool.apply").Free(kT1, 1).End(kT1, 16);
  DoubleFreeOracle oracle;
  const auto v = Judge(oracle, s, t, target);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kDoubleFree);
  EXPECT_EQ(v[0].obj, 1u);
  EXPECT_EQ(v[0].trace_index, second);
  EXPECT_EQ(v[0].thread, kT1);
  EXPECT_EQ(v[0].step, 16u);
  EXPECT_EQ(v[0].Signature(), "double-free/yield/step/lifecycle.dealloc");
  EXPECT_NE(v[0].message.find("#1 freed twice"), std::string::npos) << v[0].message;
}

TEST(DoubleFreeOracleTest, EachIdFreedOnceIsSilent) {
  const Scenario& s = OracleTestScenario();
  ScriptedTarget target;
  TraceBuilder t(s);
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1).Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Discard(kT1, "a", 1).Free(kT1, 1).Discard(kT1, "b", 2).Free(kT1, 2);
  DoubleFreeOracle oracle;
  EXPECT_TRUE(Judge(oracle, s, t, target).empty());
}

TEST(DoubleFreeOracleTest, ATeardownDoubleFreeSaysSoAndEveryIdIsReportedOnce) {
  const Scenario& s = OracleTestScenario();
  ScriptedTarget target(/*full_stream=*/false);
  TraceBuilder t(s);
  t.Alloc(kT1, 1).Free(kT1, 1).Teardown().Free(kTeardown, 1).Free(kTeardown, 1);
  DoubleFreeOracle oracle(nullptr, /*full_stream=*/false);
  const auto v = Judge(oracle, s, t, target);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "double-free/-/teardown/lifecycle.dealloc");
  EXPECT_EQ(v[0].thread, kTeardown);
  ASSERT_TRUE(oracle.Result().has_value());
  EXPECT_EQ(oracle.Result()->trace_index, 3u);
}

}  // namespace
}  // namespace gcs::testing
