// gcstress tests — refcounts, deallocation and finalizers through the Runtime.
#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class LifecycleTest : public RuntimeFixture {};

TEST_F(LifecycleTest, NewObjectHasOneReferenceAndItsType) {
  Start();
  Handle a = NewObject(*t1);
  EXPECT_EQ(Refcount(a.id), 1);
  auto allocs = log.Of(EventKind::kAlloc);
  ASSERT_FALSE(allocs.empty());
  EXPECT_EQ(allocs.back().obj, a.id);
  EXPECT_EQ(allocs.back().vm, 0);
  const AllocId type = allocs.back().other;
  ASSERT_NE(type, kNoAlloc);
  EXPECT_EQ(rt->Inspect(type)->kind, ObjectKind::kType);
}

TEST_F(LifecycleTest, CloneAndDropWhileAttachedApplyAtOnce) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  auto b = rt->Clone(*t1, a);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Refcount(a.id), 2);
  EXPECT_EQ(rt->Drop(*t1, a), Status::kOk);
  EXPECT_EQ(Refcount(a.id), 1);
  EXPECT_EQ(rt->Drop(*t1, b.value()), Status::kOk);
  EXPECT_FALSE(Alive(a.id));
  EXPECT_EQ(log.Count(EventKind::kFree, a.id), 1);
}

TEST_F(LifecycleTest, FinalizerRunsExactlyOnceBeforeTheFree) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kFinalize, a.id), 1);
  EXPECT_EQ(log.Count(EventKind::kFree, a.id), 1);
  auto events = log.events();
  size_t fin = 0, fr = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].obj != a.id) continue;
    if (events[i].kind == EventKind::kFinalize) fin = i;
    if (events[i].kind == EventKind::kFree) fr = i;
  }
  EXPECT_LT(fin, fr);
}

TEST_F(LifecycleTest, FreeingCascadesThroughLongChainsWithoutRecursion) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle head = NewObject(*t1);
  Handle prev = head;
  std::vector<AllocId> ids{head.id};
  for (int i = 0; i < 100000; ++i) {
    Handle next = NewObject(*t1);
    ASSERT_EQ(rt->SetField(*t1, prev, 0, next), Status::kOk);
    if (prev.obj != head.obj) {
      ASSERT_EQ(rt->Drop(*t1, prev), Status::kOk);
    }
    prev = next;
    ids.push_back(next.id);
  }
  ASSERT_EQ(rt->Drop(*t1, prev), Status::kOk);
  EXPECT_EQ(LiveInstances().size(), ids.size());
  ASSERT_EQ(rt->Drop(*t1, head), Status::kOk);
  EXPECT_TRUE(LiveInstances().empty());
  EXPECT_TRUE(log.DoubleFrees().empty());
}

TEST_F(LifecycleTest, SetReplacesAndReleasesTheOldReferent) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  Handle b = NewObject(*t1);
  Handle c = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 1, b), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, b), Status::kOk);
  EXPECT_TRUE(Alive(b.id));
  ASSERT_EQ(rt->SetField(*t1, a, 1, c), Status::kOk);
  EXPECT_FALSE(Alive(b.id));
  EXPECT_EQ(Refcount(c.id), 2);
  ASSERT_EQ(rt->ClearField(*t1, a, 1), Status::kOk);
  EXPECT_EQ(Refcount(c.id), 1);
  // Setting a field to its own object twice is safe: incref before decref.
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, a, 0, a), Status::kOk);
  EXPECT_EQ(Refcount(a.id), 2);
}

}  // namespace
}  // namespace gcs::core::testing
