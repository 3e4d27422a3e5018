// gcstress tests — VarTable: bindings, borrows and deferred release.
#include "harness/engine/var_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace gcs {
namespace {

TEST(VarTableTest, BindBorrowUnbind) {
  VarTable vars(3);
  EXPECT_FALSE(vars.TryBorrow(0).has_value());
  EXPECT_FALSE(vars.Bind(0, Value{1, 10}).has_value());
  auto b = vars.TryBorrow(0);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->value.slot, 1u);
  EXPECT_FALSE(vars.EndBorrow(b->binding).has_value());
  auto released = vars.Unbind(0);
  ASSERT_TRUE(released.has_value());
  EXPECT_EQ(released->var, 0);
  EXPECT_EQ(released->value.obj, 10u);
  EXPECT_FALSE(vars.Bound(0));
  EXPECT_FALSE(vars.Unbind(0).has_value());
}

TEST(VarTableTest, ABorrowedValueIsReleasedByItsLastBorrower) {
  VarTable vars(1);
  vars.Bind(0, Value{1, 10});
  auto b1 = vars.TryBorrow(0);
  auto b2 = vars.TryBorrow(0);
  EXPECT_FALSE(vars.Unbind(0).has_value());     // borrowed: not released yet
  EXPECT_FALSE(vars.TryBorrow(0).has_value());  // but unbound for new steps
  EXPECT_FALSE(vars.EndBorrow(b1->binding).has_value());
  auto released = vars.EndBorrow(b2->binding);
  ASSERT_TRUE(released.has_value());
  EXPECT_EQ(released->value.slot, 1u);
}

TEST(VarTableTest, RebindingReleasesTheOldValueUnlessBorrowed) {
  VarTable vars(2);
  vars.Bind(1, Value{1, 10});
  auto old = vars.Bind(1, Value{2, 20});
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->value.slot, 1u);
  auto b = vars.TryBorrow(1);
  EXPECT_FALSE(vars.Bind(1, Value{3, 30}).has_value());
  auto late = vars.EndBorrow(b->binding);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->value.slot, 2u);
  auto all = vars.UnbindAll();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].value.slot, 3u);
}

// The engine keeps one table for all its executions: Reset must leave nothing of the last one —
// no binding, no borrow, no variable beyond the new count — and UnbindAll into a kept vector
// must replace what the vector held.
TEST(VarTableTest, ResetForgetsThePreviousExecution) {
  VarTable vars(3);
  vars.Bind(0, Value{1, 10});
  vars.Bind(2, Value{2, 20});
  auto b = vars.TryBorrow(2);
  ASSERT_TRUE(b.has_value());
  std::vector<VarTable::Released> out = {VarTable::Released{7, Value{7, 70}}};
  vars.Reset(2);
  EXPECT_FALSE(vars.Bound(0));
  EXPECT_FALSE(vars.Bound(1));
  EXPECT_FALSE(vars.TryBorrow(0).has_value());
  EXPECT_FALSE(vars.Bind(1, Value{3, 30}).has_value());
  vars.UnbindAll(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].var, 1);
  EXPECT_EQ(out[0].value.slot, 3u);
  vars.Reset(4);
  vars.Bind(3, Value{4, 40});
  vars.Bind(0, Value{5, 50});
  vars.UnbindAll(out);
  ASSERT_EQ(out.size(), 2u);  // in variable order
  EXPECT_EQ(out[0].var, 0);
  EXPECT_EQ(out[1].var, 3);
}

}  // namespace
}  // namespace gcs
