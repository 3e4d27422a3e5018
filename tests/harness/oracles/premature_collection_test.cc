// gcstress oracles — PrematureCollectionOracle on hand-built traces.
#include "harness/oracles/premature_collection.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

std::vector<Violation> Judged(const TraceBuilder& t, bool full_stream = true) {
  ScriptedTarget target(full_stream);
  PrematureCollectionOracle oracle(nullptr, full_stream);
  return Judge(oracle, OracleTestScenario(), t, target);
}

// t1 binds a = #1 and b = #2 (main).
TraceBuilder Bound() {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  return t;
}

TEST(PrematureCollectionOracleTest, FreedTheMomentItsLastHandleDropsIsNotPremature) {
  TraceBuilder t = Bound();
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1);
  t.Ev(kT1, K::kDecref, 0, 1).Ev(kT1, K::kFinalize, 0, 1).Free(kT1, 1);
  EXPECT_TRUE(Judged(t).empty());
}

TEST(PrematureCollectionOracleTest, FreeingABoundObjectIsPremature) {
  TraceBuilder t = Bound();
  t.Begin(kT2, 2).Ev(kT2, K::kFinalize, 0, 1, 0, 0, 0, "cycle_collector.finalize");
  t.Free(kT2, 1, 0, "cycle_collector.free").End(kT2, 2);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u) << "the Finalize and the Free of one object: one violation";
  EXPECT_EQ(v[0].kind, ViolationKind::kPrematureCollection);
  EXPECT_EQ(v[0].Signature(), "premature-collection/gc/step/cycle_collector.finalize");
  EXPECT_EQ(v[0].obj, 1u);
  EXPECT_NE(v[0].message.find("finalized while reachable from #1"), std::string::npos)
      << v[0].message;
}

TEST(PrematureCollectionOracleTest, AnEdgeFromABoundObjectKeepsItsTargetReachable) {
  TraceBuilder t = Bound();
  t.Begin(kT1, 3).Ev(kT1, K::kIncref, 0, 2, 0, 2).Edge(kT1, 1, 0, 2).End(kT1, 3);
  t.Begin(kT1, 12).End(kT1, 12).Discard(kT1, "b", 2).Free(kT1, 2);
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].op, "drop");
  EXPECT_NE(v[0].message.find("reachable from #1"), std::string::npos) << v[0].message;
}

TEST(PrematureCollectionOracleTest, AQueuedDropStillHoldsItsObject) {
  TraceBuilder t = Bound();
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Ev(kT1, K::kPoolQueue, 0, 1, 0, -1);
  t.Begin(kT2, 2).Free(kT2, 1).End(kT2, 2);
  ASSERT_EQ(Judged(t).size(), 1u);
  // Applied first: fine.
  TraceBuilder ok = Bound();
  ok.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Ev(kT1, K::kPoolQueue, 0, 1, 0, -1);
  ok.Begin(kT2, 2).Ev(kT2, K::kPoolApply, 0, 1, 0, -1).Free(kT2, 1).End(kT2, 2);
  EXPECT_TRUE(Judged(ok).empty());
}

// t1 exports b (#2) to w1 as p (#3), export id 1.
TraceBuilder Exported() {
  TraceBuilder t = Bound();
  t.Begin(kT1, 8).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
  return t;
}

// coincident 2.1.4's shared heap: w1's release deleted the entry w2's proxy used too, and w2's
// next use answers that the owner has no export for it — while the spec says the proxy is live.
TEST(PrematureCollectionOracleTest, ALiveProxyAnsweringDanglingProxyIsPremature) {
  TraceBuilder t = Exported();
  t.Begin(kW1, 0).End(kW1, 0, "", core::kNoAlloc, "dangling-proxy");
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].kind, ViolationKind::kPrematureCollection);
  EXPECT_EQ(v[0].Signature(), "premature-collection/use/step/-");
  EXPECT_EQ(v[0].obj, 2u);
  EXPECT_NE(v[0].message.find("let go by its owner vm0 while proxy #3 still reaches it"),
            std::string::npos)
      << v[0].message;
}

TEST(PrematureCollectionOracleTest, AReleasedProxyMayAnswerDanglingProxy) {
  TraceBuilder t = Exported();
  t.Begin(kT1, 14).Ev(kT1, K::kProxyRelease, 1, 3, 0, 0, 1).End(kT1, 14);
  t.Begin(kW1, 0).End(kW1, 0, "", core::kNoAlloc, "dangling-proxy");
  EXPECT_TRUE(Judged(t).empty());
  // Another error on a live proxy says nothing about its target.
  TraceBuilder other = Exported();
  other.Begin(kW1, 0).End(kW1, 0, "", core::kNoAlloc, "target-terminated");
  EXPECT_TRUE(Judged(other).empty());
}

TEST(PrematureCollectionOracleTest, FreesInsideTheirOwnVmsDestructionAreNotPremature) {
  TraceBuilder t(OracleTestScenario());
  // w2's q = #5 lives in vm2 and stays bound while vm2 is destroyed.
  t.Begin(kW2, 0).Alloc(kW2, 5, 2).End(kW2, 0, "q", 5);
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 15)
      .Ev(kT1, K::kVmDestroyBegin, 2, 0)
      .Ev(kT1, K::kFinalize, 2, 5, 0, 0, 0, "vm.destroy");
  t.Free(kT1, 5, 2, "vm.destroy");
  EXPECT_TRUE(Judged(t).empty());
  // Another VM's object freed meanwhile is not part of it.
  t.Free(kT1, 1, 0, "vm.destroy");
  ASSERT_EQ(Judged(t).size(), 1u);
  EXPECT_EQ(Judged(t)[0].obj, 1u);
}

TEST(PrematureCollectionOracleTest, ASecondProxyInAnotherWorkerKeepsItReachable) {
  // main exports b = #2 to w1 (p = #3) and to w2 (q = #4), then drops b. w1's proxy is
  // collected and its release delivered in main.
  auto build = [](bool per_worker_tables) {
    TraceBuilder t = Bound();
    t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
    t.Begin(kW2, 0).Export(kW2, 2, 4, 0, 2, 1).End(kW2, 0, "q", 4);
    t.Begin(kT1, 12).End(kT1, 12).Discard(kT1, "b", 2).Ev(kT1, K::kDecref, 0, 2, 0, 1);
    t.Begin(kW1, 1).End(kW1, 1).Discard(kW1, "p", 3).Free(kW1, 3, 1);
    t.Ev(kW1, K::kProxyRelease, 1, 0, 0, 0, 1, "proxy.release");
    t.Begin(kT1, 16).Ev(kT1, K::kMessageDeliver, 0, 0, 0, 0, 1, "mailbox.deliver");
    if (!per_worker_tables) {
      // One table for all workers: w1's release deletes the entry w2's proxy depends on.
      t.Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "mailbox.deliver");
      t.Ev(kT1, K::kDecref, 0, 2, 0, 0, 0, "mailbox.deliver").Free(kT1, 2);
    }
    t.End(kT1, 16);
    return t;
  };
  const auto v = Judged(build(false));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "premature-collection/yield/step/lifecycle.dealloc");
  EXPECT_NE(v[0].message.find("reachable from #4"), std::string::npos) << v[0].message;
  EXPECT_TRUE(Judged(build(true)).empty());
}

TEST(PrematureCollectionOracleTest, ExportsDroppedForAClosingWorkerAreExcusedByItsDestruction) {
  // main exports b = #2 to w1 (p = #3, still bound) and drops b. Terminating w1 drops main's
  // export table for w1 first (b goes), then destroys vm1 (p goes).
  auto build = [](bool destroyed) {
    TraceBuilder t = Bound();
    t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
    t.Begin(kT1, 12).End(kT1, 12).Discard(kT1, "b", 2).Ev(kT1, K::kDecref, 0, 2, 0, 1);
    t.Begin(kT1, 15).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "worker.close");
    t.Ev(kT1, K::kDecref, 0, 2, 0, 0, 0, "worker.close").Free(kT1, 2, 0, "lifecycle.dealloc");
    if (destroyed) {
      t.Ev(kT1, K::kTerminate, 1, 0).Ev(kT1, K::kVmDestroyBegin, 1, 0);
      t.Free(kT1, 3, 1, "vm.destroy").Ev(kT1, K::kVmDestroyEnd, 1, 0, 0, 1);
    }
    t.End(kT1, 15);
    return t;
  };
  EXPECT_TRUE(Judged(build(true)).empty());
  const auto v = Judged(build(false));
  ASSERT_EQ(v.size(), 1u) << "no destruction followed: the proxy was still live";
  EXPECT_EQ(v[0].op, "terminate");
  EXPECT_EQ(v[0].obj, 2u);
}

TEST(PrematureCollectionOracleTest, AnotherThreadsFreeDuringAClosingStepIsExcusedByIt) {
  // main exports b = #2 to w1 (p = #3, still bound). t1's terminate drops main's export table
  // for w1 and then waits; meanwhile t2 drops b, the last holder but w1's proxy, and frees it.
  enum class Close { kInTheStep, kNever, kInALaterStep };
  auto build = [](Close close) {
    TraceBuilder t = Bound();
    t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
    if (close != Close::kInALaterStep) {
      t.Begin(kT1, 15).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "worker.close");
      t.Ev(kT1, K::kDecref, 0, 2, 0, 1, 0, "worker.close");
    }
    t.Begin(kT2, 1).Discard(kT2, "b", 2).Ev(kT2, K::kDecref, 0, 2, 0, 0);
    t.Free(kT2, 2, 0, "lifecycle.dealloc").End(kT2, 1);
    if (close == Close::kInALaterStep) {
      t.Begin(kT1, 15).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "worker.close");
    }
    if (close != Close::kNever) {
      t.Ev(kT1, K::kTerminate, 1, 0).Ev(kT1, K::kVmDestroyBegin, 1, 0);
      t.Free(kT1, 3, 1, "vm.destroy").Ev(kT1, K::kVmDestroyEnd, 1, 0, 0, 1);
    }
    t.End(kT1, 15);
    return t;
  };
  EXPECT_TRUE(Judged(build(Close::kInTheStep)).empty());
  for (Close close : {Close::kNever, Close::kInALaterStep}) {
    const auto v = Judged(build(close));
    ASSERT_EQ(v.size(), 1u) << "the proxy was live, and no closing step in flight removed it";
    EXPECT_EQ(v[0].thread, kT2);
    EXPECT_EQ(v[0].op, "drop");
    EXPECT_EQ(v[0].obj, 2u);
  }
}

TEST(PrematureCollectionOracleTest, TwoClosingVmsWhoseProxiesTogetherReachItExcuseItTogether) {
  // main exports b = #2 to w1 (p = #3, bound in t1) and to w2 (q = #4, bound in w2), then drops
  // b. t1's terminate drops main's table for w1 and waits; t2 closes vm2 meanwhile: its export
  // drop frees b, which neither proxy alone would excuse (the other still reaches it).
  auto build = [](bool t1_closes) {
    TraceBuilder t = Bound();
    t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
    t.Begin(kW2, 0).Ev(kW2, K::kIncref, 0, 2, 0, 3).Export(kW2, 2, 4, 0, 2, 1).End(kW2, 0, "q", 4);
    t.Begin(kT1, 12).End(kT1, 12).Discard(kT1, "b", 2).Ev(kT1, K::kDecref, 0, 2, 0, 2);
    t.Begin(kT1, 15).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "worker.close");
    t.Ev(kT1, K::kDecref, 0, 2, 0, 1, 0, "worker.close");
    t.Begin(kT2, 5).Ev(kT2, K::kExportDrop, 0, 2, 0, 2, 1, "worker.close");
    t.Ev(kT2, K::kDecref, 0, 2, 0, 0, 0, "worker.close").Free(kT2, 2, 0, "lifecycle.dealloc");
    t.Ev(kT2, K::kVmDestroyBegin, 2, 0);
    t.Free(kT2, 4, 2, "vm.destroy").Ev(kT2, K::kVmDestroyEnd, 2, 0, 0, 1).End(kT2, 5);
    if (t1_closes) {
      t.Ev(kT1, K::kTerminate, 1, 0).Ev(kT1, K::kVmDestroyBegin, 1, 0);
      t.Free(kT1, 3, 1, "vm.destroy").Ev(kT1, K::kVmDestroyEnd, 1, 0, 0, 1);
    }
    t.End(kT1, 15);
    return t;
  };
  EXPECT_TRUE(Judged(build(true)).empty());
  const auto v = Judged(build(false));
  ASSERT_EQ(v.size(), 1u) << "vm1 never closed: p still reached b";
  EXPECT_EQ(v[0].thread, kT2);
  EXPECT_EQ(v[0].obj, 2u);
}

TEST(PrematureCollectionOracleTest, AnExportDroppedWhileItsProxyIsLiveIsPremature) {
  // main exports b = #2 to w1 (p = #3, bound). Main's export entry for w1 goes at t1's step 16:
  // after p's release (fine), while p is live (premature, though b itself stays alive: a binding
  // holds it), or while t1 terminates w1 (fine).
  enum class Before { kRelease, kNothing, kTerminate };
  auto build = [](Before before) {
    TraceBuilder t = Bound();
    t.Begin(kT1, 8).Ev(kT1, K::kIncref, 0, 2, 0, 2).Export(kT1, 2, 3, 0, 1, 1).End(kT1, 8, "p", 3);
    if (before == Before::kRelease) {
      t.Begin(kW1, 1).Ev(kW1, K::kProxyRelease, 1, 3, 0, 0, 1, "proxy.release").End(kW1, 1);
    }
    t.Begin(kT1, 16).Ev(kT1, K::kExportDrop, 0, 2, 0, 1, 1, "mailbox.deliver");
    t.Ev(kT1, K::kDecref, 0, 2, 0, 1, 0, "mailbox.deliver");
    if (before == Before::kTerminate) {
      t.Ev(kT1, K::kTerminate, 1, 0).Ev(kT1, K::kVmDestroyBegin, 1, 0);
      t.Free(kT1, 3, 1, "vm.destroy").Ev(kT1, K::kVmDestroyEnd, 1, 0, 0, 1);
    }
    t.End(kT1, 16);
    return t;
  };
  EXPECT_TRUE(Judged(build(Before::kRelease)).empty());
  EXPECT_TRUE(Judged(build(Before::kTerminate)).empty());
  const auto v = Judged(build(Before::kNothing));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "premature-collection/yield/step/mailbox.deliver");
  EXPECT_NE(v[0].message.find("vm0 dropped its export of #2 to vm1 while proxy #3 there"),
            std::string::npos)
      << v[0].message;
}

TEST(PrematureCollectionOracleTest, TheCollectorFreeingAnUnreachableCycleIsFine) {
  TraceBuilder t = Bound();
  t.Edge(kT1, 1, 0, 2).Edge(kT1, 2, 0, 1);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Discard(kT1, "b", 2);
  t.Begin(kT1, 5).Ev(kT1, K::kCollectBegin, 0, 0);
  for (core::AllocId id : {1, 2})
    t.Ev(kT1, K::kCollectUnreachable, 0, id).Ev(kT1, K::kIncref, 0, id, 0, 2);
  for (core::AllocId id : {1, 2})
    t.Ev(kT1, K::kFinalize, 0, id, 0, 0, 0, "cycle_collector.finalize");
  t.Unedge(kT1, 1, 0, 2).Ev(kT1, K::kDecref, 0, 2, 0, 1);
  t.Unedge(kT1, 2, 0, 1).Ev(kT1, K::kDecref, 0, 1, 0, 1);
  for (core::AllocId id : {1, 2})
    t.Ev(kT1, K::kDecref, 0, id).Free(kT1, id);
  t.Ev(kT1, K::kCollectEnd, 0, 0, 0, 2).End(kT1, 5);
  EXPECT_TRUE(Judged(t).empty());
}

TEST(PrematureCollectionOracleTest, WithoutAFullEventStreamItClaimsNothing) {
  TraceBuilder t = Bound();
  t.Free(kT1, 1);
  EXPECT_TRUE(Judged(t, /*full_stream=*/false).empty());
}

}  // namespace
}  // namespace gcs::testing
