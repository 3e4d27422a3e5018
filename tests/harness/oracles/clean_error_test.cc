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

}  // namespace
}  // namespace gcs::testing
