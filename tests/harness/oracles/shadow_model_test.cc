// gcstress oracles — ShadowModel: roots, holds, edges, pools, registries, proxies, VM closing.
#include "harness/oracles/shadow_model.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;
using core::ObjectKind;

// Threads: t1 = 0, t2 = 1, w1 = 2 (vm1), w2 = 3 (vm2); teardown = 4.
const char* kScenario = R"({
  "format": 1, "name": "shadow",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "b"},
           {"op": "set", "obj": "a", "field": 0, "to": "b"}, {"op": "drop", "obj": "a"},
           {"op": "gc"}, {"op": "clone", "obj": "b", "as": "c"}, {"op": "weak", "obj": "b", "as": "w"},
           {"op": "export", "obj": "b", "vm": "w1", "as": "p"}, {"op": "use", "obj": "p"},
           {"op": "register", "obj": "a", "held": "b", "as": "tok"}, {"op": "detach"}],
    "t2": [{"op": "new", "as": "x"}, {"op": "drop", "obj": "x"}, {"op": "gc"}],
    "w1": {"worker": true, "steps": [{"op": "use", "obj": "p"}, {"op": "drop", "obj": "p"}]},
    "w2": {"worker": true, "steps": [{"op": "export", "obj": "b", "vm": "w1", "as": "q"}]}
  }
})";

class ShadowModelTest : public ::testing::Test {
 protected:
  ShadowModelTest() : scenario_(LoadCoreScenario(kScenario)), t_(scenario_) {}
  // Feeds every entry and flushes: the model then reflects the whole trace.
  ShadowModel& Model() {
    model_.Begin(scenario_);
    for (size_t i = 0; i < t_.size(); ++i)
      model_.Enter(i, t_.trace().entries[i]);
    model_.Flush();
    return model_;
  }
  // A new object bound to `var` by thread 0's step `step` in vm0.
  void NewBound(uint32_t step, core::AllocId id, const std::string& var,
                ObjectKind kind = ObjectKind::kPlain) {
    t_.Begin(0, step).Alloc(0, id, 0, kind).End(0, step, var, id);
  }
  Scenario scenario_;
  TraceBuilder t_;
  ShadowModel model_;
};

TEST_F(ShadowModelTest, ABindingHoldsFromItsStepEndUntilItsDiscard) {
  NewBound(1, 1, "a");
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 1);
  t_.Begin(0, 4).End(0, 4).Discard(0, "a", 1);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 0);
  EXPECT_TRUE(Model().Alive(1));
  t_.Free(0, 1);
  EXPECT_TRUE(Model().Freed(1));
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
}

TEST_F(ShadowModelTest, WeakReferencesAndTokensHoldNothing) {
  NewBound(1, 1, "a");
  t_.Begin(0, 7).End(0, 7, "w", 1).Begin(0, 10).End(0, 10, "tok", 1);
  EXPECT_EQ(Model().Count(1), 1);
  t_.Discard(0, "a", 1);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  t_.Discard(0, "w", 1).Discard(0, "tok", 1);
  EXPECT_EQ(Model().Count(1), 0);
}

TEST_F(ShadowModelTest, AStepInFlightHoldsWhatItAllocatedOrIncrefedUntilItEnds) {
  t_.Begin(0, 1).Alloc(0, 1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong)) << "a new object before it is bound";
  EXPECT_TRUE(Model().AnyStepInFlight());
  EXPECT_EQ(Model().Count(1), 0) << "holds are not counted: quiescent points have none";
  t_.End(0, 1);  // bound nothing (an error after the allocation)
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_FALSE(Model().AnyStepInFlight());

  t_.Begin(1, 0).Ev(1, K::kIncref, 0, 1, 0, 1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong));
  t_.Skip(1, 0);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
}

TEST_F(ShadowModelTest, TheCollectorsOwnIncrefsAreNotHolds) {
  NewBound(1, 1, "a");
  t_.Edge(0, 1, 0, 1).Discard(0, "a", 1);
  t_.Begin(0, 5)
      .Ev(0, K::kCollectBegin, 0, 0)
      .Ev(0, K::kCollectUnreachable, 0, 1)
      .Ev(0, K::kIncref, 0, 1, 0, 3);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  t_.Ev(0, K::kCollectEnd, 0, 0, 0, 1).Ev(0, K::kIncref, 0, 1, 0, 3);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong)) << "after the collection an incref holds";
}

TEST_F(ShadowModelTest, EdgesReachAndCyclesWithoutRootsDoNot) {
  NewBound(1, 1, "a");
  NewBound(2, 2, "b");
  t_.Edge(0, 1, 0, 2).Edge(0, 2, 0, 1);
  EXPECT_EQ(Model().Count(2), 2);
  t_.Discard(0, "b", 2);
  EXPECT_TRUE(Model().Reachable(2, Reach::kStrong)) << "a.0 = b";
  t_.Discard(0, "a", 1);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_FALSE(Model().Reachable(2, Reach::kStrong));
  EXPECT_EQ(Model().UnreachableIn(0), (std::vector<core::AllocId>{1, 2}));
  EXPECT_TRUE(Model().UnreachableIn(1).empty());
  // Replacing a field reports the new edge, then the old one's removal.
  t_.Alloc(0, 3).Edge(0, 1, 0, 3).Unedge(0, 1, 0, 2);
  EXPECT_EQ(Model().Count(2), 0);
  EXPECT_EQ(Model().Count(1), 1) << "b.0 = a";
  EXPECT_EQ(Model().Count(3), 1);
}

TEST_F(ShadowModelTest, AFreedObjectsReferencesGoWithIt) {
  NewBound(1, 1, "a");
  NewBound(2, 2, "b");
  t_.Edge(0, 1, 0, 2).Edge(0, 1, 1, 2).Discard(0, "b", 2);
  EXPECT_EQ(Model().Count(2), 2);
  t_.Discard(0, "a", 1).Free(0, 1, 0, "vm.destroy");  // no EdgeClear first, as a VM's heap
  EXPECT_EQ(Model().Count(2), 0);
  EXPECT_FALSE(Model().Reachable(2, Reach::kStrong));
}

TEST_F(ShadowModelTest, AQueuedDropHoldsUntilThePoolAppliesIt) {
  NewBound(1, 1, "a");
  t_.Discard(0, "a", 1).Ev(0, K::kPoolQueue, 0, 1, 0, -1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 1);
  t_.Ev(0, K::kPoolApply, 0, 1, 0, -1);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 0);
}

TEST_F(ShadowModelTest, AQueuedIncrefHoldsNothingOfItsOwn) {
  NewBound(1, 1, "a");
  t_.Ev(1, K::kPoolQueue, 0, 1, 0, +1);
  EXPECT_EQ(Model().Count(1), 1);
}

TEST_F(ShadowModelTest, ARegistryHoldsItsHeldValueUntilCallbackOrUnregister) {
  NewBound(1, 1, "a");
  NewBound(2, 2, "b");
  t_.Ev(0, K::kRegistryRegister, 0, 1, 2, 5, 0).Discard(0, "b", 2);
  EXPECT_TRUE(Model().Reachable(2, Reach::kStrong));
  EXPECT_EQ(Model().Count(2), 1);
  EXPECT_EQ(Model().registry().size(), 1u);
  t_.Ev(0, K::kRegistryCallback, 0, 1, 2, 5, 1);  // another registry's token 5: not this entry
  EXPECT_TRUE(Model().Reachable(2, Reach::kStrong));
  t_.Ev(0, K::kRegistryCallback, 0, 1, 2, 5, 0);
  EXPECT_FALSE(Model().Reachable(2, Reach::kStrong));
  EXPECT_TRUE(Model().registry().empty());
}

// main exports #1 to w1 (vm1): proxy #2 bound to p in w1.
void Export(TraceBuilder& t, uint32_t thread, core::AllocId obj, core::AllocId proxy,
            core::VmIndex owner, core::VmIndex dest, int64_t id) {
  t.Alloc(thread, proxy, dest, ObjectKind::kProxy)
      .Ev(thread, K::kIncref, owner, obj, 0, 2)
      .Ev(thread, K::kExport, owner, obj, proxy, dest, id, "proxy_table.export");
}

TEST_F(ShadowModelTest, ALiveProxyReachesItsTargetAndTheExportEntryKeepsItAlive) {
  NewBound(2, 1, "b");
  t_.Begin(0, 8);
  Export(t_, 0, 1, 2, 0, 1, 1);
  t_.End(0, 8, "p", 2).Discard(0, "b", 1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong)) << "through the proxy";
  EXPECT_EQ(Model().Count(1), 1) << "the export entry";
  EXPECT_EQ(Model().Count(2), 1) << "the binding p";
  t_.Ev(2, K::kProxyRelease, 1, 2, 0, 0, 1);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong)) << "released";
  EXPECT_TRUE(Model().Reachable(1, Reach::kLiveness)) << "the release message is in flight";
  EXPECT_EQ(Model().UnreachableIn(0), std::vector<core::AllocId>{});
  t_.Ev(0, K::kExportDrop, 0, 1, 0, 1, 1, "mailbox.deliver");
  EXPECT_FALSE(Model().Reachable(1, Reach::kLiveness));
  EXPECT_EQ(Model().Count(1), 0);
  EXPECT_EQ(Model().UnreachableIn(0), std::vector<core::AllocId>{1});
}

TEST_F(ShadowModelTest, ExportEntriesArePerDestinationAndFreedProxiesReachNothing) {
  NewBound(2, 1, "b");
  t_.Begin(0, 8);
  Export(t_, 0, 1, 2, 0, 1, 1);
  t_.End(0, 8, "p", 2).Begin(3, 0);
  Export(t_, 3, 1, 3, 0, 2, 1);  // same id in vm2's table: a different entry
  t_.End(3, 0, "q", 3).Discard(0, "b", 1);
  EXPECT_EQ(Model().Count(1), 2);
  t_.Discard(2, "p", 2).Free(2, 2, 1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong)) << "q still reaches it";
  EXPECT_EQ(Model().ProxyVmsReaching(1), std::vector<core::VmIndex>{2});
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong, std::vector<core::VmIndex>{2}));
  t_.Ev(0, K::kExportDrop, 0, 1, 0, 1, 1);
  EXPECT_EQ(Model().Count(1), 1) << "vm2's entry stays";
}

TEST_F(ShadowModelTest, TypeObjectsAreRootsAndCountTheirTableAndInstances) {
  t_.Ev(4, K::kVmCreateBegin, 0, 0)
      .Alloc(4, 1, 0, ObjectKind::kType)
      .Ev(4, K::kTypeRegister, 0, 1)
      .Ev(4, K::kVmCreateEnd, 0, 0);
  EXPECT_EQ(Model().Where(4).phase, "setup");
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 1);
  t_.Begin(0, 1).Alloc(0, 2, 0, ObjectKind::kPlain, 1).End(0, 1, "a", 2);
  EXPECT_EQ(Model().Count(1), 2);
  t_.Discard(0, "a", 2).Free(0, 2);
  EXPECT_EQ(Model().Count(1), 1);
  t_.Ev(0, K::kVmDestroyBegin, 0, 0);
  EXPECT_EQ(Model().Count(1), 0) << "the table dies with its VM";
  EXPECT_TRUE(Model().vm(0).destroying);
  t_.Free(0, 1, 0, "vm.destroy").Ev(0, K::kVmDestroyEnd, 0, 0);
  EXPECT_TRUE(Model().vm(0).destroyed);
}

TEST_F(ShadowModelTest, ClosingAVmDoesWhatTheSpecSaysWhateverTheTargetReports) {
  // main: wp (#1) and proxy r (#2) to w1's api (#10). A call: promise #3 holds wp and r;
  // listener #4 holds the promise; endpoint #5 (held by the proxy registry) holds the listener.
  NewBound(1, 1, "a");
  t_.Ev(2, K::kAlloc, 1, 10, 0, 0)
      .Alloc(2, 5, 0, ObjectKind::kEndpoint)
      .Alloc(2, 2, 0, ObjectKind::kProxy)
      .Ev(2, K::kRegistryRegister, 0, 2, 5, 1, 1)
      .Ev(2, K::kExport, 1, 10, 2, 0, 1);
  t_.Begin(0, 9)
      .Alloc(0, 3, 0, ObjectKind::kPromise)
      .Edge(0, 3, 0, 1)
      .Edge(0, 3, 1, 2)
      .Alloc(0, 4, 0, ObjectKind::kListener)
      .Edge(0, 4, 0, 3)
      .Edge(0, 5, -1, 4)
      .Ev(0, K::kCallBegin, 0, 3, 2, 0, 1)
      .End(0, 9);
  t_.Discard(0, "a", 1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong)) << "registry > endpoint > listener > promise";
  EXPECT_TRUE(Model().Reachable(10, Reach::kStrong)) << "through the proxy";
  // w1 terminated; the target reports nothing of the cut-off (as terminate-keeps-listeners).
  t_.Ev(1, K::kTerminate, 1, 0);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_FALSE(Model().Reachable(4, Reach::kStrong));
  EXPECT_FALSE(Model().Reachable(5, Reach::kLiveness)) << "the proxy registration went";
  EXPECT_FALSE(Model().Reachable(10, Reach::kLiveness)) << "the export went";
  EXPECT_TRUE(Model().vm(1).closed);
  EXPECT_TRUE(Model().vm(1).terminated);
  EXPECT_EQ(Model().UnreachableIn(0), (std::vector<core::AllocId>{1, 2, 3, 4, 5}));
}

TEST_F(ShadowModelTest, OraclesJudgeEachEntryAgainstTheStateBeforeIt) {
  NewBound(1, 1, "a");
  t_.Discard(0, "a", 1).Free(0, 1);
  model_.Begin(scenario_);
  const auto& entries = t_.trace().entries;
  for (size_t i = 0; i + 1 < entries.size(); ++i) {
    model_.Enter(i, entries[i]);
    model_.Enter(i, entries[i]);  // a second oracle sharing the model: no effect
  }
  model_.Enter(entries.size() - 1, entries.back());
  EXPECT_TRUE(model_.Alive(1)) << "the free is pending while it is judged";
  model_.Flush();
  EXPECT_TRUE(model_.Freed(1));
  model_.Flush();
  EXPECT_TRUE(model_.Freed(1));
}

TEST_F(ShadowModelTest, WhereNamesTheStepInProgressOrTheHarnessPhase) {
  t_.Begin(0, 3);
  Attribution w = Model().Where(0);
  EXPECT_EQ(w.thread, 0u);
  EXPECT_EQ(w.step, 3u);
  EXPECT_EQ(w.op, "set");
  EXPECT_EQ(w.phase, "step");
  t_.End(0, 3);
  EXPECT_EQ(Model().Where(0).op, "set") << "discards after a step's end still belong to it";
  EXPECT_EQ(Model().Where(1).op, "");
  t_.Teardown();
  EXPECT_EQ(Model().Where(4).phase, "teardown");
  EXPECT_EQ(Model().Where(core::kNoThread).thread, 4u);
}

TEST_F(ShadowModelTest, ClosingDropsTheVmsPoolAndAFreeInsideItsDestructionIsMarked) {
  t_.Begin(2, 0).Alloc(2, 1, 1).End(2, 0, "p", 1).Discard(2, "p", 1);
  t_.Ev(2, K::kPoolQueue, 1, 1, 0, -1);
  EXPECT_TRUE(Model().Reachable(1, Reach::kStrong));
  t_.Ev(0, K::kVmDestroyBegin, 1, 0);
  EXPECT_FALSE(Model().Reachable(1, Reach::kStrong));
  EXPECT_EQ(Model().Count(1), 0);
}

TEST_F(ShadowModelTest, UnreachableCacheIsInvalidatedWhenSomethingIsAdded) {
  NewBound(1, 1, "a");
  t_.Alloc(0, 2).Edge(0, 2, 0, 2);
  EXPECT_FALSE(Model().Reachable(2, Reach::kStrong));
  t_.Edge(0, 1, 0, 2);
  ShadowModel& m = Model();
  EXPECT_TRUE(m.Reachable(2, Reach::kStrong));
  // Query, add, query again on the same model (the cache must not answer from before).
  m.Begin(scenario_);
  const auto& entries = t_.trace().entries;
  for (size_t i = 0; i + 1 < entries.size(); ++i)
    m.Enter(i, entries[i]);
  m.Flush();
  EXPECT_FALSE(m.Reachable(2, Reach::kStrong));
  m.Enter(entries.size() - 1, entries.back());
  m.Flush();
  EXPECT_TRUE(m.Reachable(2, Reach::kStrong));
}

}  // namespace
}  // namespace gcs::testing
