// gcstress tests — the finalization registry (JS semantics).
#include "core/finalization_registry.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class FinalizationRegistryTest : public RuntimeFixture {};

TEST_F(FinalizationRegistryTest, CallbackFiresAfterCollectionAtTheNextSafePoint) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle target = NewObject(*t1);
  Handle held = NewObject(*t1);
  RegistryHandle r = rt->Register(*t1, target, held).value();
  ASSERT_EQ(rt->Drop(*t1, held), Status::kOk);
  EXPECT_TRUE(Alive(held.id));  // the registry holds it strongly
  ASSERT_EQ(rt->Drop(*t1, target), Status::kOk);
  EXPECT_FALSE(Alive(target.id));
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 0);  // not yet: it runs at a safe point
  EXPECT_TRUE(Alive(held.id));
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  auto cb = log.Of(EventKind::kRegistryCallback);
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(cb[0].obj, target.id);
  EXPECT_EQ(cb[0].other, held.id);
  EXPECT_EQ(cb[0].value, static_cast<int64_t>(r.token));
  EXPECT_FALSE(Alive(held.id));
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 1);  // exactly once
}

TEST_F(FinalizationRegistryTest, NoCallbackForAnObjectThatStaysAlive) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle target = NewObject(*t1);
  ASSERT_TRUE(rt->Register(*t1, target, Handle{}).ok());
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 0u);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 0);
}

TEST_F(FinalizationRegistryTest, UnregisterBeforeCollectionMeansNoCallback) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle target = NewObject(*t1);
  Handle held = NewObject(*t1);
  RegistryHandle r = rt->Register(*t1, target, held).value();
  ASSERT_EQ(rt->Drop(*t1, held), Status::kOk);
  ASSERT_EQ(rt->Unregister(*t1, r), Status::kOk);
  EXPECT_FALSE(Alive(held.id));
  EXPECT_EQ(rt->Unregister(*t1, r), Status::kUnknownToken);
  ASSERT_EQ(rt->Drop(*t1, target), Status::kOk);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 0);
}

// JS semantics: unregistering cancels the callback even when the target already died and the
// callback only waits for a safe point.
TEST_F(FinalizationRegistryTest, UnregisterAfterTheTargetDiedStillCancelsTheCallback) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle target = NewObject(*t1);
  Handle held = NewObject(*t1);
  RegistryHandle r = rt->Register(*t1, target, held).value();
  ASSERT_EQ(rt->Drop(*t1, held), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, target), Status::kOk);  // callback queued, not run
  ASSERT_EQ(rt->Unregister(*t1, r), Status::kOk);
  EXPECT_FALSE(Alive(held.id));
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 0);
  EXPECT_EQ(log.Count(EventKind::kRegistryUnregister), 1);
}

TEST_F(FinalizationRegistryTest, CallbackFiresForCollectedCycles) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle target = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, target, 0, target), Status::kOk);
  ASSERT_TRUE(rt->Register(*t1, target, Handle{}).ok());
  ASSERT_EQ(rt->Drop(*t1, target), Status::kOk);
  ASSERT_EQ(rt->Collect(*t1, 0).value(), 1u);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback, target.id), 1);
}

TEST_F(FinalizationRegistryTest, HeldMustDifferFromTargetAndShareItsVm) {
  Start();
  Handle a = NewObject(*t1);
  EXPECT_EQ(rt->Register(*t1, a, a).status(), Status::kHeldIsTarget);
  EXPECT_EQ(rt->Register(*t1, Handle{}, a).status(), Status::kEmptyHandle);
}

TEST(FinalizationRegistryUnitTest, PendingEntriesKeepTheirOrder) {
  Allocator alloc(true);
  FinalizationRegistry reg;
  Object* x = alloc.New(ObjectKind::kPlain, 0);
  Object* y = alloc.New(ObjectKind::kPlain, 0);
  const RegistryToken tx = reg.Register(x, nullptr, 7);
  const RegistryToken ty = reg.Register(y, nullptr, 8);
  EXPECT_NE(tx, ty);
  EXPECT_TRUE(reg.Targets(x));
  EXPECT_EQ(reg.OnTargetFreed(y), 1);
  EXPECT_EQ(reg.OnTargetFreed(x), 1);
  auto pending = reg.TakePending();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].token, ty);
  EXPECT_EQ(pending[1].cookie, 7u);
  EXPECT_FALSE(reg.HasPending());
}

}  // namespace
}  // namespace gcs::core::testing
