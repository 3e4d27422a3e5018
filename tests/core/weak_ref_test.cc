// gcstress tests — weak references.
#include "core/weak_ref.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class WeakRefTest : public RuntimeFixture {};

TEST_F(WeakRefTest, UpgradeYieldsAStrongHandleWhileTheTargetLives) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  WeakHandle w = rt->MakeWeak(*t1, a).value();
  EXPECT_EQ(w.id, a.id);
  EXPECT_EQ(Refcount(a.id), 1);  // weak references do not count
  Handle up = rt->Upgrade(*t1, w).value();
  EXPECT_EQ(up.obj, a.obj);
  EXPECT_EQ(Refcount(a.id), 2);
  ASSERT_EQ(rt->Drop(*t1, up), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kWeakClear, a.id), 1);
  auto gone = rt->Upgrade(*t1, w);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone.value().empty());
}

TEST_F(WeakRefTest, CellsAreNeverReusedForNewerObjects) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  Handle a = NewObject(*t1);
  WeakHandle wa = rt->MakeWeak(*t1, a).value();
  WeakHandle wa2 = rt->MakeWeak(*t1, a).value();
  ASSERT_EQ(rt->Drop(*t1, a), Status::kOk);
  Handle b = NewObject(*t1);
  WeakHandle wb = rt->MakeWeak(*t1, b).value();
  EXPECT_NE(wb.cell, wa.cell);
  EXPECT_NE(wb.cell, wa2.cell);
  EXPECT_TRUE(rt->Upgrade(*t1, wa).value().empty());
  EXPECT_TRUE(rt->Upgrade(*t1, wa2).value().empty());
  EXPECT_EQ(rt->Upgrade(*t1, wb).value().id, b.id);
}

TEST_F(WeakRefTest, BadCellsAreRefused) {
  Start();
  EXPECT_EQ(rt->Upgrade(*t1, WeakHandle{}).status(), Status::kEmptyHandle);
  EXPECT_EQ(rt->Upgrade(*t1, WeakHandle{0, 77, 1}).status(), Status::kEmptyHandle);
  EXPECT_EQ(rt->Upgrade(*t1, WeakHandle{9, 1, 1}).status(), Status::kNoSuchVm);
}

}  // namespace
}  // namespace gcs::core::testing
