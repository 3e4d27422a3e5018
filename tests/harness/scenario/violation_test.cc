// gcstress scenario — tests for ViolationKind: the table generated from violations.def.
#include "harness/scenario/violation.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace gcs {
namespace {

TEST(ViolationTest, TableIsInEnumOrderAndNamesRoundTrip) {
  ASSERT_EQ(kViolationTable.size(), kViolationKindCount);
  EXPECT_EQ(static_cast<size_t>(ViolationKind::kMaxValue), kViolationKindCount - 1);
  std::set<std::string_view> names;
  for (size_t i = 0; i < kViolationTable.size(); ++i) {
    const ViolationInfo& info = kViolationTable[i];
    EXPECT_EQ(static_cast<size_t>(info.kind), i);
    EXPECT_TRUE(names.insert(info.json).second) << info.json;
    ASSERT_TRUE(ViolationFromName(info.json).has_value()) << info.json;
    EXPECT_EQ(*ViolationFromName(info.json), info.kind);
    EXPECT_FALSE(info.help.empty());
    EXPECT_EQ(info.help.find('|'), std::string_view::npos) << info.json;
  }
  // "pass" is the absence of a violation, never a kind.
  EXPECT_EQ(names.count("pass"), 0u);
}

TEST(ViolationTest, KnownNames) {
  EXPECT_EQ(ViolationFromName("double-free"), ViolationKind::kDoubleFree);
  EXPECT_EQ(ViolationFromName("premature-collection"), ViolationKind::kPrematureCollection);
  EXPECT_EQ(ViolationFromName("wrong-vm"), ViolationKind::kWrongVm);
  EXPECT_EQ(ViolationName(ViolationKind::kLeak), "leak");
  EXPECT_EQ(ViolationName(ViolationKind::kExpectMismatch), "expect-mismatch");
  EXPECT_FALSE(ViolationFromName("pass").has_value());
  EXPECT_FALSE(ViolationFromName("double_free").has_value());
  EXPECT_FALSE(ViolationFromName("Double-Free").has_value());
  EXPECT_FALSE(ViolationFromName("").has_value());
}

TEST(ViolationTest, ViolationsTableHasOneRowPerKind) {
  std::string table = FormatViolationsTable();
  size_t lines = 0;
  for (char c : table)
    lines += c == '\n';
  EXPECT_EQ(lines, kViolationKindCount + 2);
  EXPECT_NE(table.find("| `deadlock` | live threads and none runnable |\n"), std::string::npos);
}

}  // namespace
}  // namespace gcs
