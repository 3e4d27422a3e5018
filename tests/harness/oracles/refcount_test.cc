// gcstress oracles — RefcountOracle on hand-built traces and a scripted target.
#include "harness/oracles/refcount.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

// The scripted target answers one table for the whole trace, so every trace keeps t2's step 0
// in flight (no quiescent point) until the point it means to check: Quiesce().
// a = #1 bound, then cloned into c while detached: a refcount change the target deferred.
TraceBuilder Cloned() {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT2, 0).Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 6).Ev(kT1, K::kPoolQueue, 0, 1, 0, +1, 0, "reference_pool.queue");
  t.End(kT1, 6, "c", 1);
  return t;
}

TEST(RefcountOracleTest, AMismatchAtAQuiescentPointIsBlamedOnTheLastEventThatTouchedIt) {
  ScriptedTarget target;
  target.refcounts = {{1, 1}};  // the target did not count the clone
  TraceBuilder t = Cloned();
  t.End(kT2, 0);
  const size_t check = t.size();
  t.Begin(kT2, 1);  // nobody else in a step: a quiescent point
  RefcountOracle oracle;
  const auto v = Judge(oracle, OracleTestScenario(), t, target);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kRefcount);
  EXPECT_EQ(v[0].trace_index, check);
  EXPECT_EQ(v[0].Signature(), "refcount/clone/step/reference_pool.queue");
  EXPECT_EQ(v[0].thread, kT1);
  EXPECT_NE(v[0].message.find("refcount 1 in the target but 2 per the model"), std::string::npos)
      << v[0].message;
}

TEST(RefcountOracleTest, EqualCountsAndUnknownCountsAreSilent) {
  for (int64_t rc : {2, -1}) {
    ScriptedTarget target;
    target.refcounts = {{1, rc}};
    TraceBuilder t = Cloned();
    t.End(kT2, 0).Begin(kT2, 1).End(kT2, 1).Teardown();
    RefcountOracle oracle;
    const auto v = Judge(oracle, OracleTestScenario(), t, target);
    EXPECT_TRUE(v.empty()) << rc << ": " << (v.empty() ? "" : v[0].message);
  }
}

TEST(RefcountOracleTest, NoCheckWhileAnotherStepIsInFlight) {
  ScriptedTarget target;
  target.refcounts = {{1, 2}};
  TraceBuilder t(OracleTestScenario());
  t.Begin(kW1, 0).Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  // t1's clone is under way (the incref made, the binding not yet): not quiescent.
  t.Begin(kT1, 6).Ev(kT1, K::kIncref, 0, 1, 0, 2).End(kW1, 0);
  t.Begin(kT2, 5);
  RefcountOracle oracle;
  EXPECT_TRUE(Judge(oracle, OracleTestScenario(), t, target).empty());
  // Had the clone ended without binding, the next quiescent point would see the stray incref.
  t.End(kT1, 6).End(kT2, 5).Begin(kT2, 4);
  EXPECT_EQ(Judge(oracle, OracleTestScenario(), t, target).size(), 1u);
}

TEST(RefcountOracleTest, TheTeardownEntryChecksEveryLiveObjectInEveryMode) {
  ScriptedTarget target;
  target.refcounts = {{1, 1}, {2, 5}};
  TraceBuilder t = Cloned();
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2).End(kT2, 0).Teardown();
  RefcountOracle oracle(nullptr, true, OracleOptions{.free_mode = true});
  const auto v = Judge(oracle, OracleTestScenario(), t, target);
  ASSERT_EQ(v.size(), 2u) << "free mode skips mid-run points, not teardown";
  EXPECT_EQ(v[0].obj, 1u);
  EXPECT_EQ(v[1].obj, 2u);
  EXPECT_EQ(v[1].trace_index, t.size() - 1);
}

TEST(RefcountOracleTest, TheModelCountsEdgesPoolEntriesRegistriesAndExports) {
  ScriptedTarget target;
  // #1 a: binding + edge from b + queued drop of a second handle + export entry = 4.
  // #2 b: binding + registry held = 2.  #3 proxy: binding = 1.
  target.refcounts = {{1, 4}, {2, 2}, {3, 1}};
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT2, 0).Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2).Edge(kT1, 2, 0, 1);
  t.Begin(kT1, 6).Ev(kT1, K::kIncref, 0, 1, 0, 3).End(kT1, 6, "c", 1);
  t.Discard(kT1, "c", 1).Ev(kT1, K::kPoolQueue, 0, 1, 0, -1);
  t.Begin(kT1, 8).Export(kT1, 1, 3, 0, 1, 1).End(kT1, 8, "p", 3);
  t.Begin(kT1, 10).Ev(kT1, K::kRegistryRegister, 0, 1, 2, 1, 0).End(kT1, 10, "tok", 1);
  t.End(kT2, 0).Begin(kT2, 1);
  RefcountOracle oracle;
  EXPECT_TRUE(Judge(oracle, OracleTestScenario(), t, target).empty());
  target.refcounts[1] = 3;
  EXPECT_EQ(Judge(oracle, OracleTestScenario(), t, target).size(), 1u);
}

}  // namespace
}  // namespace gcs::testing
