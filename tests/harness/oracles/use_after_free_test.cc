// gcstress oracles — UseAfterFreeOracle on hand-built traces.
#include "harness/oracles/use_after_free.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;
using core::ObjectKind;

// #1 (a) bound then dropped and freed by t1; #2 (b) stays bound.
TraceBuilder Freed() {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Ev(kT1, K::kDecref, 0, 1).Free(kT1, 1);
  return t;
}

std::vector<Violation> Judged(const TraceBuilder& t) {
  return JudgedBy<UseAfterFreeOracle>(t);
}

TEST(UseAfterFreeOracleTest, AUseOfAFreedObjectFires) {
  TraceBuilder t = Freed();
  t.Begin(kT2, 3).Ev(kT2, K::kUse, 0, 1, 0, 0, 0, "runtime.use").End(kT2, 3);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kUseAfterFree);
  EXPECT_EQ(v[0].Signature(), "use-after-free/use/step/runtime.use");
  EXPECT_EQ(v[0].obj, 1u);
  EXPECT_EQ(v[0].thread, kT2);
  EXPECT_EQ(v[0].step, 3u);
}

TEST(UseAfterFreeOracleTest, AnIncrefOfAFreedIdIsARevival) {
  TraceBuilder t = Freed();
  t.Begin(kT1, 5).Ev(kT1, K::kIncref, 0, 1, 0, 1, 0, "reference_pool.apply");
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("revived"), std::string::npos) << v[0].message;
}

TEST(UseAfterFreeOracleTest, EdgesToAndTypesOfFreedObjectsAreUses) {
  for (int which = 0; which < 3; ++which) {
    TraceBuilder t = Freed();
    t.Begin(kT1, 3);
    if (which == 0) t.Edge(kT1, 2, 0, 1);                          // b.0 = freed a
    if (which == 1) t.Alloc(kT1, 3, 0, ObjectKind::kPlain, 1);     // a type that is gone
    if (which == 2) t.Ev(kT1, K::kDecref, 0, 1, 0, -1, 0, "x.y");  // a decref of it
    const auto v = Judged(t);
    ASSERT_EQ(v.size(), 1u) << which;
    EXPECT_EQ(v[0].obj, 1u);
  }
}

TEST(UseAfterFreeOracleTest, EventsThatOnlyNameADeadIdAreNotUses) {
  TraceBuilder t = Freed();
  // a's registry entry fires after a is gone (its held value b is alive), and its entry for
  // another registration is unregistered by token.
  t.Begin(kT1, 16)
      .Ev(kT1, K::kRegistryCallback, 0, 1, 2, 1, 0, "finalization_registry.callback")
      .Ev(kT1, K::kRegistryUnregister, 0, 1, 2, 2, 0, "finalization_registry.unregister")
      .Ev(kT1, K::kCallSettle, 0, 1, 0, 1, 1, "pending_call.settle")
      .End(kT1, 16);
  EXPECT_TRUE(Judged(t).empty());
}

TEST(UseAfterFreeOracleTest, UsesBeforeTheFreeAreFine) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 9).Ev(kT1, K::kUse, 0, 1).Ev(kT1, K::kIncref, 0, 1, 0, 2).End(kT1, 9);
  t.Discard(kT1, "a", 1).Ev(kT1, K::kDecref, 0, 1, 0, 1).Ev(kT1, K::kDecref, 0, 1).Free(kT1, 1);
  EXPECT_TRUE(Judged(t).empty());
}

}  // namespace
}  // namespace gcs::testing
