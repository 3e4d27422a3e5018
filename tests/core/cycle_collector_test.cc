// gcstress tests — the cycle collector, enumerate, and gc-worklist-race.
#include "core/cycle_collector.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class CycleCollectorTest : public RuntimeFixture {};

TEST_F(CycleCollectorTest, CollectsASelfCycleAndATwoCycle) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  Handle b = NewObject(*t1);
  Handle c = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, b, 0, c), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, c, 3, b), Status::kOk);
  for (Handle h : {a, b, c})
    ASSERT_EQ(rt->Drop(*t1, h), Status::kOk);
  EXPECT_EQ(LiveInstances().size(), 3u);  // refcounting alone cannot free cycles
  auto freed = rt->Collect(*t1, 0);
  ASSERT_TRUE(freed.ok());
  EXPECT_EQ(freed.value(), 3u);
  EXPECT_TRUE(LiveInstances().empty());
  for (Handle h : {a, b, c}) {
    EXPECT_EQ(log.Count(EventKind::kFinalize, h.id), 1);
    EXPECT_EQ(log.Count(EventKind::kFree, h.id), 1);
  }
}

TEST_F(CycleCollectorTest, KeepsWhatIsReachableFromOutside) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle root = NewObject(*t1);
  Handle x = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, root, 0, x), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, x, 0, root), Status::kOk);  // a cycle, but root has a handle
  ASSERT_EQ(rt->Drop(*t1, x), Status::kOk);
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 0u);
  EXPECT_TRUE(Alive(root.id));
  EXPECT_TRUE(Alive(x.id));
  EXPECT_EQ(Refcount(root.id), 2);
  EXPECT_EQ(log.Count(EventKind::kFinalize), 0);
}

TEST_F(CycleCollectorTest, PendingPoolDropsKeepObjectsAliveUntilApplied) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->Drop(*t2, a), Status::kOk);  // queued: the reference still counts
  auto freed = rt->Collect(*t1, 0);
  ASSERT_EQ(freed.value(), 0u);
  EXPECT_TRUE(Alive(a.id));
  ASSERT_EQ(rt->Detach(*t1), Status::kOk);
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 1u);  // the implicit guard drained the pool first
  EXPECT_FALSE(Alive(a.id));
}

// A subclass whose only cycle runs through a base-class field: found only because the subclass
// traverse chains to its base's traverse (PyO3 call_super_traverse).
TEST_F(CycleCollectorTest, CollectsCyclesThroughBaseFieldsOfASubclass) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle s = NewObject(*t1, ObjectKind::kSubclass);
  Handle other = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, s, 1, s), Status::kOk);      // base field → itself
  ASSERT_EQ(rt->SetField(*t1, s, 2, other), Status::kOk);  // own field
  ASSERT_EQ(rt->Drop(*t1, other), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, s), Status::kOk);
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 2u);
  EXPECT_FALSE(Alive(s.id));
  EXPECT_FALSE(Alive(other.id));
  EXPECT_EQ(log.Count(EventKind::kFinalize, s.id), 1);
}

TEST_F(CycleCollectorTest, ClearsWeakReferencesBeforeAnyFinalizer) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  auto w = rt->MakeWeak(*t1, a);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  bool weak_empty_at_finalize = false;
  hooks.At("cycle_collector.finalize", 1, [&] {
    // World restarted: another thread tries to upgrade the weak reference mid-collection.
    auto up = rt->Upgrade(*t2, w.value());
    weak_empty_at_finalize = up.ok() && up.value().empty();
  });
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 1u);
  EXPECT_TRUE(weak_empty_at_finalize);
  EXPECT_EQ(log.Count(EventKind::kWeakClear, a.id), 1);
}

TEST_F(CycleCollectorTest, EnumerateListsLiveObjectsAndSkipsTheWorklist) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle keep = NewObject(*t1);
  Handle a = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  auto before = rt->Enumerate(*t1, 0);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before.value(), (std::vector<AllocId>{keep.id, a.id}));
  std::vector<AllocId> during;
  hooks.At("cycle_collector.finalize", 1, [&] { during = rt->Enumerate(*t2, 0).value(); });
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 1u);
  EXPECT_EQ(during, (std::vector<AllocId>{keep.id}));
}

// SEED_BUGS.md #2, by hand: T1 makes a subclass object whose base field points to itself and
// which holds a second object, drops both and collects; while the collector finalizes with the
// world restarted, T2 enumerates.
void RunWorklistRaceSequence(RuntimeFixture& f, Runtime& rt, ScriptedHooks& hooks, ThreadState& t1,
                             ThreadState& t2, AllocId* a_id, AllocId* b_id) {
  ASSERT_EQ(rt.Attach(t1), Status::kOk);
  Handle a = rt.New(t1, ObjectKind::kSubclass).value();
  Handle b = rt.New(t1, ObjectKind::kPlain).value();
  ASSERT_EQ(rt.SetField(t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt.SetField(t1, a, 2, b), Status::kOk);
  ASSERT_EQ(rt.Drop(t1, b), Status::kOk);
  ASSERT_EQ(rt.Drop(t1, a), Status::kOk);
  hooks.At("cycle_collector.finalize", 1, [&] { ASSERT_TRUE(rt.Enumerate(t2, 0).ok()); });
  ASSERT_TRUE(rt.Collect(t1, 0).ok());
  *a_id = a.id;
  *b_id = b.id;
  (void)f;
}

TEST_F(CycleCollectorTest, FixedCoreCollectsDespiteAConcurrentEnumerate) {
  Start();
  AllocId a = 0, b = 0;
  RunWorklistRaceSequence(*this, *rt, hooks, *t1, *t2, &a, &b);
  EXPECT_FALSE(Alive(a));
  EXPECT_FALSE(Alive(b));
  EXPECT_EQ(log.Count(EventKind::kFinalize, b), 1);
}

TEST_F(CycleCollectorTest, FaultGcWorklistRaceDropsObjectsOffTheWorklist) {
  Start(With(Fault::kGcWorklistRace));
  AllocId a = 0, b = 0;
  RunWorklistRaceSequence(*this, *rt, hooks, *t1, *t2, &a, &b);
  EXPECT_FALSE(Alive(a));
  // b was unreachable and on the worklist, but fell off it: never finalized, cleared or freed.
  EXPECT_TRUE(Alive(b));
  EXPECT_EQ(log.Count(EventKind::kCollectUnreachable, b), 1);
  EXPECT_EQ(log.Count(EventKind::kFinalize, b), 0);
  EXPECT_EQ(log.Count(EventKind::kFree, b), 0);
  // And it stays: later full collections cannot reclaim it either (a drop-check failure).
  ASSERT_TRUE(rt->Collect(*t1, 0).ok());
  EXPECT_TRUE(Alive(b));
}

TEST_F(CycleCollectorTest, FaultGcWorklistRaceIsHarmlessWithoutTheInterleaving) {
  Start(With(Fault::kGcWorklistRace));
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1, ObjectKind::kSubclass);
  Handle b = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, a, 2, b), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, b), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  ASSERT_TRUE(rt->Enumerate(*t1, 0).ok());  // before the collection, not during
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 2u);
  EXPECT_TRUE(LiveInstances().empty());
}

TEST_F(CycleCollectorTest, ASecondCollectionDuringOneIsANoOp) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  size_t nested = 99;
  hooks.At("cycle_collector.clear", 1, [&] { nested = rt->Collect(*t2, 0).value(); });
  EXPECT_EQ(rt->Collect(*t1, 0).value(), 1u);
  EXPECT_EQ(nested, 0u);
}

}  // namespace
}  // namespace gcs::core::testing
