// gcstress oracles — LeakOracle on hand-built traces.
#include "harness/oracles/leak.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

std::vector<Violation> Judged(const TraceBuilder& t, std::vector<core::AllocId> live = {},
                              OracleOptions options = {}) {
  ScriptedTarget target;
  LeakOracle oracle(nullptr, true, options);
  return Judge(oracle, OracleTestScenario(), t, target, std::move(live));
}

// a = #1 and b = #2 in a cycle, both dropped.
TraceBuilder DroppedCycle() {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Edge(kT1, 1, 0, 2).Edge(kT1, 2, 0, 1);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Discard(kT1, "b", 2);
  return t;
}

TEST(LeakOracleTest, AnUnreachableCycleBeforeAnyCollectionIsNotALeak) {
  EXPECT_TRUE(Judged(DroppedCycle()).empty());
}

TEST(LeakOracleTest, GarbageThatSurvivesACollectionIsALeak) {
  TraceBuilder t = DroppedCycle();
  // The collection frees #1 only: #2 fell off the worklist.
  t.Begin(kT1, 5).Ev(kT1, K::kCollectBegin, 0, 0, 0, 2, 0, "cycle_collector.collect");
  t.Unedge(kT1, 1, 0, 2).Unedge(kT1, 2, 0, 1).Free(kT1, 1);
  const size_t end = t.size();
  t.Ev(kT1, K::kCollectEnd, 0, 0, 0, 1, 0, "cycle_collector.collect").End(kT1, 5);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kLeak);
  EXPECT_EQ(v[0].obj, 2u);
  EXPECT_EQ(v[0].trace_index, end);
  EXPECT_EQ(v[0].Signature(), "leak/gc/drop-check/cycle_collector.collect");
  // In free mode the drop-check is off.
  EXPECT_TRUE(Judged(t, {}, OracleOptions{.free_mode = true}).empty());
}

TEST(LeakOracleTest, GarbageMadeDuringTheCollectionIsTheNextCollectionsBusiness) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1).Edge(kT1, 1, 0, 1);
  t.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1);  // while the world is restarted
  t.Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  EXPECT_TRUE(Judged(t).empty());
}

TEST(LeakOracleTest, AQueuedDropKeepsItsObjectLegitimatelyAliveThroughACollection) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1).Edge(kT1, 1, 0, 1);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Ev(kT1, K::kPoolQueue, 0, 1, 0, -1);
  t.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0).Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  EXPECT_TRUE(Judged(t).empty());
}

// A drop refused while its VM is closing leaves the reference with the object until the VM goes:
// a collection meanwhile cannot free it, and that is not the collector's fault.
TEST(LeakOracleTest, ADropTheTargetRefusedKeepsItsObjectAliveThroughACollection) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1, "vm-destroyed");
  t.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0).Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  EXPECT_TRUE(Judged(t).empty());
  // The same drop accepted and the object kept: a leak.
  TraceBuilder accepted(OracleTestScenario());
  accepted.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  accepted.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1);
  accepted.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0).Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  ASSERT_EQ(Judged(accepted).size(), 1u);
}

TEST(LeakOracleTest, AReleaseMessageInFlightKeepsTheExportTargetAliveThroughACollection) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2).Edge(kT1, 2, 0, 2);
  t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
  t.Begin(kT1, 12).End(kT1, 12).Discard(kT1, "b", 2);
  t.Begin(kT1, 14).Ev(kT1, K::kProxyRelease, 1, 3, 0, 0, 1, "proxy.release").End(kT1, 14);
  t.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0).Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  EXPECT_TRUE(Judged(t).empty());
  // Once the message is delivered the entry is gone: the next collection must free it.
  t.Begin(kT1, 16).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "mailbox.deliver").End(kT1, 16);
  t.Begin(kT2, 2).Ev(kT2, K::kCollectBegin, 0, 0).Ev(kT2, K::kCollectEnd, 0, 0).End(kT2, 2);
  ASSERT_EQ(Judged(t).size(), 1u);
}

TEST(LeakOracleTest, AnythingAliveAfterTeardownIsALeak) {
  TraceBuilder t = DroppedCycle();
  t.Teardown();
  const auto v = Judged(t, {1, 2});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].Signature(), "leak/-/teardown/-");
  EXPECT_EQ(v[0].trace_index, t.size());
  EXPECT_EQ(v[0].thread, kTeardown);
  EXPECT_NE(v[0].message.find("#1"), std::string::npos) << v[0].message;
  EXPECT_TRUE(Judged(t, {}).empty());
}

}  // namespace
}  // namespace gcs::testing
