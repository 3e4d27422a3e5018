// gcstress oracles — FinalizerOracle on hand-built traces.
#include "harness/oracles/finalizer.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

std::vector<Violation> Judged(const TraceBuilder& t) {
  return JudgedBy<FinalizerOracle>(t);
}

// a = #1 registered with held b = #2 (token 1), then a dropped and freed.
TraceBuilder Registered(bool free_a) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Begin(kT1, 10).Ev(kT1, K::kRegistryRegister, 0, 1, 2, 1, 0).End(kT1, 10, "tok", 1);
  if (free_a) {
    t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1);
    t.Ev(kT1, K::kFinalize, 0, 1, 0, 0, 0, "lifecycle.dealloc").Free(kT1, 1);
  }
  return t;
}

TEST(FinalizerOracleTest, AFinalizerRunningTwiceFires) {
  TraceBuilder t = Registered(true);
  EXPECT_TRUE(Judged(t).empty());
  t.Begin(kT1, 16).Ev(kT1, K::kFinalize, 0, 1, 0, 0, 0, "lifecycle.dealloc").End(kT1, 16);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "finalizer/yield/step/lifecycle.dealloc");
}

TEST(FinalizerOracleTest, ACallbackFiresOnlyForAFreedTargetAndOnlyOnce) {
  TraceBuilder early = Registered(false);
  early.Begin(kT1, 16).Ev(kT1, K::kRegistryCallback, 0, 1, 2, 1, 0, "x.cb").End(kT1, 16);
  const auto v = Judged(early);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("not freed"), std::string::npos) << v[0].message;

  TraceBuilder ok = Registered(true);
  ok.Begin(kT1, 16).Ev(kT1, K::kRegistryCallback, 0, 1, 2, 1, 0, "x.cb").End(kT1, 16);
  EXPECT_TRUE(Judged(ok).empty());

  ok.Begin(kT2, 5).Ev(kT2, K::kRegistryCallback, 0, 1, 2, 1, 0, "x.cb").End(kT2, 5);
  const auto twice = Judged(ok);
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_NE(twice[0].message.find("without a live registration"), std::string::npos);
}

TEST(FinalizerOracleTest, ByTheEndOfTeardownEveryCollectedTargetsEntryHasFired) {
  TraceBuilder t = Registered(true);
  t.Teardown();
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "finalizer/-/teardown/-");
  EXPECT_NE(v[0].message.find("never fired"), std::string::npos);

  // Unregistered before: nothing owed.
  TraceBuilder unreg = Registered(false);
  unreg.Begin(kT1, 17).Ev(kT1, K::kRegistryUnregister, 0, 1, 2, 1, 0).End(kT1, 17);
  unreg.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Free(kT1, 1).Teardown();
  EXPECT_TRUE(Judged(unreg).empty());

  // A registry dies with its VM, unfired.
  TraceBuilder closed(OracleTestScenario());
  closed.Begin(kW2, 0).Alloc(kW2, 1, 2).End(kW2, 0, "q", 1);
  closed.Ev(kW2, K::kRegistryRegister, 2, 1, 0, 1, 0);
  closed.Begin(kT1, 15).Ev(kT1, K::kVmDestroyBegin, 2, 0).Free(kT1, 1, 2, "vm.destroy");
  closed.Ev(kT1, K::kVmDestroyEnd, 2, 0).End(kT1, 15).Teardown();
  EXPECT_TRUE(Judged(closed).empty());
}

}  // namespace
}  // namespace gcs::testing
