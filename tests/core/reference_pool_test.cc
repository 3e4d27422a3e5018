// gcstress tests — the reference pool: deferred drops, refused clones, and refpool-deferred-incref.
#include "core/reference_pool.h"

#include <gtest/gtest.h>

#include "core/env.h"
#include "core/heap.h"
#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class ReferencePoolTest : public RuntimeFixture {};

TEST_F(ReferencePoolTest, DropWithoutTheLockIsQueuedUntilTheNextAttach) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  auto b = rt->Clone(*t1, a);
  ASSERT_TRUE(b.ok());
  // t2 holds no lock: its drop is queued, the count is untouched.
  ASSERT_EQ(rt->Drop(*t2, b.value()), Status::kOk);
  EXPECT_EQ(Refcount(a.id), 2);
  EXPECT_EQ(log.Count(EventKind::kPoolQueue, a.id), 1);
  ASSERT_EQ(rt->Detach(*t1), Status::kOk);
  EXPECT_EQ(Refcount(a.id), 2);
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);  // every attach drains the pool
  EXPECT_EQ(Refcount(a.id), 1);
  EXPECT_EQ(log.Count(EventKind::kPoolApply, a.id), 1);
  EXPECT_EQ(hooks.Reached("reference_pool.apply"), 1);
}

TEST_F(ReferencePoolTest, AnyImplicitLockGuardDrainsThePoolToo) {
  Start();
  Handle a = NewObject(*t1);                 // implicit guard, t1 not attached
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);  // queued
  EXPECT_TRUE(Alive(a.id));
  NewObject(*t2);  // t2's implicit guard on VM 0 is a safe point
  EXPECT_FALSE(Alive(a.id));
}

TEST_F(ReferencePoolTest, CloneWithoutTheLockIsRefused) {
  Start();
  Handle a = NewObject(*t1);
  auto c = rt->Clone(*t2, a);
  EXPECT_EQ(c.status(), Status::kCloneWhileDetached);
  EXPECT_EQ(Refcount(a.id), 1);
  EXPECT_EQ(log.Count(EventKind::kPoolQueue), 0);
}

// SEED_BUGS.md #1, by hand: T1 (attached) makes obj; T2 (no lock) clones and drops it; T1 drops
// obj (freed); T1 re-attaches and the pool applies incref then decref to the freed object.
void RunRefpoolSequence(RuntimeFixture& f, Runtime& rt, ThreadState& t1, ThreadState& t2,
                        AllocId* obj_id, Status* clone_status) {
  ASSERT_EQ(rt.Attach(t1), Status::kOk);
  auto obj = rt.New(t1, ObjectKind::kPlain);
  ASSERT_TRUE(obj.ok());
  *obj_id = obj.value().id;
  auto clone = rt.Clone(t2, obj.value());
  *clone_status = clone.status();
  if (clone.ok()) {
    ASSERT_EQ(rt.Drop(t2, clone.value()), Status::kOk);
  }
  ASSERT_EQ(rt.Drop(t1, obj.value()), Status::kOk);  // drop #1
  ASSERT_EQ(rt.Detach(t1), Status::kOk);
  ASSERT_EQ(rt.Attach(t1), Status::kOk);  // the pool is applied here
  ASSERT_EQ(rt.Detach(t1), Status::kOk);
  (void)f;
}

TEST_F(ReferencePoolTest, FixedCoreFreesOnceAndRefusesTheDeferredClone) {
  Start();
  AllocId id = 0;
  Status clone_status = Status::kOk;
  RunRefpoolSequence(*this, *rt, *t1, *t2, &id, &clone_status);
  EXPECT_EQ(clone_status, Status::kCloneWhileDetached);
  EXPECT_EQ(log.Count(EventKind::kFree, id), 1);
  EXPECT_EQ(log.Count(EventKind::kFinalize, id), 1);
  EXPECT_TRUE(log.DoubleFrees().empty());
}

TEST_F(ReferencePoolTest, FaultRefpoolDeferredIncrefRevivesAndFreesTwice) {
  Start(With(Fault::kRefpoolDeferredIncref));
  // Stop at the first refcount change of a freed allocation: that is where the real system
  // touches freed memory. (The fixture's quarantine keeps the memory ours either way.)
  std::vector<AllocId> freed;
  AllocId revived = kNoAlloc;
  log.SetOnEvent([&](const Event& e) {
    if (e.kind == EventKind::kFree) freed.push_back(e.obj);
    if (e.kind == EventKind::kIncref && revived == kNoAlloc &&
        std::find(freed.begin(), freed.end(), e.obj) != freed.end()) {
      revived = e.obj;
    }
  });
  AllocId id = 0;
  Status clone_status = Status::kOk;
  RunRefpoolSequence(*this, *rt, *t1, *t2, &id, &clone_status);
  EXPECT_EQ(clone_status, Status::kOk);
  EXPECT_EQ(revived, id) << "the queued incref must hit the freed object";
  EXPECT_EQ(log.Count(EventKind::kFree, id), 2);
  EXPECT_EQ(log.Count(EventKind::kFinalize, id), 2);  // PyO3's Drop ran twice
  EXPECT_EQ(log.DoubleFrees(), (std::vector<AllocId>{id}));
}

// A queued entry may be drained and its object freed by a thread inside the VM as soon as it is
// pending. So the queue event is reported, reading the object, before the entry becomes visible:
// the queuing thread never reads the object afterwards, and a drain's apply never precedes the
// queue in the trace. (Found by the free-mode scenario test under ASan: Queue read `o->vm` for its
// event after another thread's drain had freed `o`.)
TEST(ReferencePoolQueueTest, ReportsTheEntryBeforeAnotherThreadCanTakeIt) {
  EventLog log;
  Env env(FaultSet(), &log, nullptr, /*quarantine=*/true);
  ReferencePool pool;
  Object* o = env.allocator.New(ObjectKind::kPlain, 0);
  const AllocId id = o->id;
  int queued = 0;
  volatile bool visible_at_report = false;
  log.SetOnEvent([&](const Event& e) {
    if (e.kind != EventKind::kPoolQueue) return;
    ++queued;
    visible_at_report = !pool.Empty();
  });
  pool.Queue(env, nullptr, o, -1);
  EXPECT_EQ(queued, 1);
  EXPECT_FALSE(visible_at_report);
  const std::vector<ReferencePool::Entry> taken = pool.Take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, id);
  EXPECT_EQ(taken[0].delta, -1);
  env.allocator.Release(o);
}

// Without quarantine (the ASan default) the memory really goes back to the allocator, and ASan
// catches the pool's incref of the freed object on its own.
TEST(ReferencePoolDeathTest, AsanSeesTheRevivalAsHeapUseAfterFree) {
  if (kQuarantineByDefault) GTEST_SKIP() << "needs the asan preset";
  EXPECT_DEATH(
      {
        RuntimeOptions options;
        options.faults.Enable(Fault::kRefpoolDeferredIncref);
        options.quarantine = false;
        Runtime rt(options);
        ThreadState& setup = rt.AddThread(0);
        ThreadState& t1 = rt.AddThread(0);
        ThreadState& t2 = rt.AddThread(0);
        rt.CreateVm(setup, 0, false);
        rt.Attach(t1);
        Handle obj = rt.New(t1, ObjectKind::kPlain).value();
        Handle clone = rt.Clone(t2, obj).value();
        rt.Drop(t2, clone);
        rt.Drop(t1, obj);
        rt.Detach(t1);
        rt.Attach(t1);
      },
      "heap-use-after-free");
}

}  // namespace
}  // namespace gcs::core::testing
