// gcstress oracles — CleanErrorOracle on hand-built traces.
#include "harness/oracles/clean_error.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

std::vector<Violation> Judged(const TraceBuilder& t) {
  return JudgedBy<CleanErrorOracle>(t);
}

// t1 holds p = #2, a proxy of w1's object #1 (owner vm1).
TraceBuilder ProxyIntoW1() {
  TraceBuilder t(OracleTestScenario());
  t.Alloc(kW1, 1, 1).Export(kW1, 1, 2, 1, 0, 1);
  t.Begin(kT1, 8).End(kT1, 8, "p", 2);  // (the binding, as the export step would make it)
  return t;
}

TEST(CleanErrorOracleTest, UsingAProxyIntoATerminatedWorkerMustFail) {
  TraceBuilder t = ProxyIntoW1();
  t.Begin(kT1, 15).Ev(kT1, K::kTerminate, 1, 0).Ev(kT1, K::kVmDestroyBegin, 1, 0).End(kT1, 15);
  TraceBuilder failed = t;
  failed.Begin(kT2, 3).End(kT2, 3, "", 0, "target-terminated");
  EXPECT_TRUE(Judged(failed).empty());
  t.Begin(kT2, 3).End(kT2, 3);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kUncleanError);
  EXPECT_EQ(v[0].Signature(), "unclean-error/use/step/-");
  EXPECT_EQ(v[0].obj, 2u);
  EXPECT_NE(v[0].message.find("terminated vm1"), std::string::npos) << v[0].message;
}

TEST(CleanErrorOracleTest, ATerminationDuringTheStepMayGoEitherWay) {
  TraceBuilder t = ProxyIntoW1();
  t.Begin(kT2, 3).Begin(kT1, 15).Ev(kT1, K::kTerminate, 1, 0).End(kT1, 15).End(kT2, 3);
  EXPECT_TRUE(Judged(t).empty());
}

TEST(CleanErrorOracleTest, CallAndReleaseAreJudgedAndPlainObjectsAreNot) {
  TraceBuilder t = ProxyIntoW1();
  t.Begin(kT1, 15).Ev(kT1, K::kTerminate, 1, 0).End(kT1, 15);
  TraceBuilder release = t;
  release.Begin(kT1, 14).End(kT1, 14);
  EXPECT_EQ(Judged(release).size(), 1u);
  TraceBuilder call = t;
  call.Begin(kT1, 13).End(kT1, 13);
  EXPECT_EQ(Judged(call).size(), 1u);
  TraceBuilder plain(OracleTestScenario());
  plain.Alloc(kW1, 1, 1).Begin(kT1, 8).End(kT1, 8, "p", 1);  // p bound to a non-proxy
  plain.Begin(kT1, 15).Ev(kT1, K::kTerminate, 1, 0).End(kT1, 15).Begin(kT2, 3).End(kT2, 3);
  EXPECT_TRUE(Judged(plain).empty());
}

TEST(CleanErrorOracleTest, AValidProxyMustNotFailAsReleasedOrTerminated) {
  for (const char* error : {"proxy-released", "target-terminated"}) {
    TraceBuilder t = ProxyIntoW1();
    t.Begin(kT2, 3).End(kT2, 3, "", 0, error);
    const auto v = Judged(t);
    ASSERT_EQ(v.size(), 1u) << error;
    EXPECT_EQ(v[0].Signature(), "unclean-error/use/step/-");
    EXPECT_NE(v[0].message.find(std::string("failed with ") + error), std::string::npos)
        << v[0].message;
  }
  // An error that is not about the proxy's validity (the thread's lock, say) is not judged.
  TraceBuilder other = ProxyIntoW1();
  other.Begin(kT2, 3).End(kT2, 3, "", 0, "not-attached");
  EXPECT_TRUE(Judged(other).empty());
}

TEST(CleanErrorOracleTest, AReleasedProxyMustFailAndMayFailAsReleased) {
  TraceBuilder t = ProxyIntoW1();
  t.Begin(kT1, 14).Ev(kT1, K::kProxyRelease, 0, 2, core::kNoAlloc, 1, 1).End(kT1, 14);
  TraceBuilder failed = t;
  failed.Begin(kT2, 3).End(kT2, 3, "", 0, "proxy-released");
  EXPECT_TRUE(Judged(failed).empty());
  t.Begin(kT2, 3).End(kT2, 3);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kUncleanError);
  EXPECT_NE(v[0].message.find("after its release"), std::string::npos) << v[0].message;
  // A release landing while the use is in flight may go either way.
  TraceBuilder racing = ProxyIntoW1();
  racing.Begin(kT2, 3).Begin(kT1, 14).Ev(kT1, K::kProxyRelease, 0, 2, core::kNoAlloc, 1, 1);
  racing.End(kT1, 14).End(kT2, 3);
  EXPECT_TRUE(Judged(racing).empty());
}

// t1 holds b = #1 and w, a weak reference to it.
TraceBuilder WeakToB() {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 2).Alloc(kT1, 1).End(kT1, 2, "b", 1);
  t.Begin(kT1, 7).End(kT1, 7, "w", 1);
  return t;
}

TEST(CleanErrorOracleTest, AnUpgradeMustNotComeBackEmptyWhileItsTargetIsReachable) {
  TraceBuilder t = WeakToB();
  TraceBuilder ok = t;
  ok.Begin(kT2, 6).End(kT2, 6, "u", 1);
  EXPECT_TRUE(Judged(ok).empty());
  t.Begin(kT2, 6).End(kT2, 6);  // empty: "u" left unbound
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "unclean-error/upgrade/step/-");
  EXPECT_NE(v[0].message.find("alive and reachable (1 binding"), std::string::npos) << v[0].message;
  // Empty is right once the target is freed, or its weak references cleared.
  TraceBuilder freed = WeakToB();
  freed.Begin(kT1, 12).Discard(kT1, "b", 1).Free(kT1, 1).End(kT1, 12);
  freed.Begin(kT2, 6).End(kT2, 6);
  EXPECT_TRUE(Judged(freed).empty());
  TraceBuilder cleared = WeakToB();
  cleared.Ev(kT1, K::kWeakClear, 0, 1, core::kNoAlloc, 1).Begin(kT2, 6).End(kT2, 6);
  EXPECT_TRUE(Judged(cleared).empty());
}

TEST(CleanErrorOracleTest, NothingHandsBackAnObjectTheCollectorJudgedUnreachable) {
  TraceBuilder t = WeakToB();
  t.Ev(kT1, K::kCollectBegin, 0, core::kNoAlloc).Ev(kT1, K::kCollectUnreachable, 0, 1);
  TraceBuilder upgrade = t;
  upgrade.Begin(kT2, 6).End(kT2, 6, "u", 1);
  auto v = Judged(upgrade);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kResurrection);
  EXPECT_EQ(v[0].Signature(), "resurrection/upgrade/step/-");
  EXPECT_NE(v[0].message.find("judged it unreachable"), std::string::npos) << v[0].message;
  TraceBuilder used = t;
  used.Begin(kT2, 3).Ev(kT2, K::kUse, 0, 1, core::kNoAlloc, 0, 0, "runtime.use").End(kT2, 3);
  v = Judged(used);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "resurrection/use/step/runtime.use");
  // Once the collection ends (the object survived it: not garbage after all), or without it,
  // the same upgrade is fine.
  TraceBuilder ended = t;
  ended.Ev(kT1, K::kCollectEnd, 0, core::kNoAlloc).Begin(kT2, 6).End(kT2, 6, "u", 1);
  EXPECT_TRUE(Judged(ended).empty());
  TraceBuilder cleared = WeakToB();
  cleared.Ev(kT1, K::kWeakClear, 0, 1, core::kNoAlloc, 1).Begin(kT2, 6).End(kT2, 6, "u", 1);
  v = Judged(cleared);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("cleared its weak references"), std::string::npos) << v[0].message;
}

TEST(CleanErrorOracleTest, UnregisteringALiveEntryMustNotAnswerUnknownToken) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1).Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Begin(kT1, 10).Ev(kT1, K::kRegistryRegister, 0, 1, 2, 5, 0).End(kT1, 10, "tok", 1);
  TraceBuilder fired = t;
  fired.Ev(kT2, K::kRegistryCallback, 0, 1, 2, 5, 0);
  fired.Begin(kT1, 17).End(kT1, 17, "", 0, "unknown-token");
  EXPECT_TRUE(Judged(fired).empty());  // its callback ran: unknown-token is the spec's answer
  TraceBuilder ok = t;
  ok.Begin(kT1, 17).Ev(kT1, K::kRegistryUnregister, 0, 1, 2, 5, 0).End(kT1, 17);
  EXPECT_TRUE(Judged(ok).empty());
  t.Begin(kT1, 17).End(kT1, 17, "", 0, "unknown-token");
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "unclean-error/unregister/step/-");
  EXPECT_NE(v[0].message.find("token 5, vm0) failed with unknown-token"), std::string::npos)
      << v[0].message;
}

}  // namespace
}  // namespace gcs::testing
