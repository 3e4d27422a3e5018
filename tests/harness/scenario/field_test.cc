// gcstress scenario — tests for Field: the table generated from fields.def.
#include "harness/scenario/field.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace gcs {
namespace {

TEST(FieldTest, TableIsInEnumOrderAndNamesRoundTrip) {
  ASSERT_EQ(kFieldTable.size(), kFieldCount);
  EXPECT_EQ(static_cast<size_t>(Field::kMaxValue), kFieldCount - 1);
  std::set<std::string_view> names;
  for (size_t i = 0; i < kFieldTable.size(); ++i) {
    const FieldInfo& info = kFieldTable[i];
    EXPECT_EQ(static_cast<size_t>(info.field), i);
    EXPECT_TRUE(names.insert(info.json).second) << info.json;
    ASSERT_TRUE(FieldFromName(info.json).has_value());
    EXPECT_EQ(*FieldFromName(info.json), info.field);
    EXPECT_EQ(info.help.find('|'), std::string_view::npos) << info.json;
  }
  EXPECT_FALSE(FieldFromName("op").has_value());
  EXPECT_FALSE(FieldFromName("Obj").has_value());
  EXPECT_FALSE(FieldFromName("").has_value());
}

TEST(FieldTest, KindsMatchTheirRoles) {
  EXPECT_EQ(GetFieldInfo(Field::kObj).kind, FieldKind::kHandleVar);
  EXPECT_EQ(GetFieldInfo(Field::kAs).kind, FieldKind::kBindVar);
  EXPECT_EQ(GetFieldInfo(Field::kWeak).kind, FieldKind::kWeakVar);
  EXPECT_EQ(GetFieldInfo(Field::kToken).kind, FieldKind::kTokenVar);
  EXPECT_EQ(GetFieldInfo(Field::kField).kind, FieldKind::kFieldIndex);
  EXPECT_EQ(GetFieldInfo(Field::kVm).kind, FieldKind::kVmName);
  EXPECT_EQ(GetFieldInfo(Field::kWorker).kind, FieldKind::kWorkerName);
  EXPECT_EQ(GetFieldInfo(Field::kType).kind, FieldKind::kTypeName);
  EXPECT_EQ(FieldName(Field::kHeld), "held");
}

TEST(FieldTest, KindDescriptionsAreDistinct) {
  std::set<std::string_view> seen;
  for (FieldKind kind :
       {FieldKind::kHandleVar, FieldKind::kWeakVar, FieldKind::kTokenVar, FieldKind::kBindVar,
        FieldKind::kFieldIndex, FieldKind::kVmName, FieldKind::kWorkerName, FieldKind::kTypeName}) {
    std::string_view text = FieldKindDescription(kind);
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "?");
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
}

TEST(FieldTest, FieldsTableHasOneRowPerField) {
  std::string table = FormatFieldsTable();
  size_t lines = 0;
  for (char c : table)
    lines += c == '\n';
  EXPECT_EQ(lines, kFieldCount + 2);
  EXPECT_NE(table.find("| `weak` | weak variable | a weak reference |\n"), std::string::npos);
}

}  // namespace
}  // namespace gcs
