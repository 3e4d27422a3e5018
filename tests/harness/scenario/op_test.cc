// gcstress scenario — tests for Op: the table generated from ops.def, names, fields, targets.
#include "harness/scenario/op.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace gcs {
namespace {

TEST(OpTest, TableIsInEnumOrderAndEndsAtMaxValue) {
  ASSERT_EQ(kOpTable.size(), kOpCount);
  EXPECT_EQ(static_cast<size_t>(Op::kMaxValue), kOpCount - 1);
  for (size_t i = 0; i < kOpTable.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(kOpTable[i].op), i) << kOpTable[i].json;
  }
  // The format fixes the order: new first, yield last (ops.def appends new ops after yield).
  EXPECT_EQ(kOpTable.front().op, Op::kNew);
  EXPECT_EQ(OpName(Op::kNew), "new");
  EXPECT_EQ(OpName(Op::kYield), "yield");
  EXPECT_LE(static_cast<size_t>(Op::kYield), static_cast<size_t>(Op::kMaxValue));
}

TEST(OpTest, NamesRoundTripAndAreUnique) {
  std::set<std::string_view> names;
  for (const OpInfo& info : kOpTable) {
    EXPECT_TRUE(names.insert(info.json).second) << "duplicate op name " << info.json;
    ASSERT_TRUE(OpFromName(info.json).has_value()) << info.json;
    EXPECT_EQ(*OpFromName(info.json), info.op);
    EXPECT_FALSE(info.help.empty()) << info.json;
  }
  EXPECT_FALSE(OpFromName("clnoe").has_value());
  EXPECT_FALSE(OpFromName("").has_value());
  EXPECT_FALSE(OpFromName("New").has_value());  // names are case-sensitive
  EXPECT_FALSE(OpFromName("new ").has_value());
}

TEST(OpTest, FieldStringsAreParsedInOrderWithOptionalMarks) {
  const OpInfo& clone = GetOpInfo(Op::kClone);
  ASSERT_EQ(clone.Fields().size(), 2u);
  EXPECT_EQ(clone.Fields()[0], (FieldSpec{Field::kObj, false}));
  EXPECT_EQ(clone.Fields()[1], (FieldSpec{Field::kAs, false}));

  const OpInfo& reg = GetOpInfo(Op::kRegister);
  ASSERT_EQ(reg.Fields().size(), 3u);
  EXPECT_EQ(reg.Fields()[0], (FieldSpec{Field::kObj, false}));
  EXPECT_EQ(reg.Fields()[1], (FieldSpec{Field::kHeld, true}));
  EXPECT_EQ(reg.Fields()[2], (FieldSpec{Field::kAs, true}));
  EXPECT_EQ(reg.bind, BindKind::kToken);

  EXPECT_TRUE(GetOpInfo(Op::kYield).Fields().empty());
  EXPECT_EQ(GetOpInfo(Op::kNew).FindField(Field::kObj), nullptr);
  ASSERT_NE(GetOpInfo(Op::kNew).FindField(Field::kType), nullptr);
  EXPECT_TRUE(GetOpInfo(Op::kNew).FindField(Field::kType)->optional);
}

TEST(OpTest, FieldSpecsReproduceTheDefString) {
  // Re-rendering the parsed specs gives back the ops.def string (modulo spacing).
  for (const OpInfo& info : kOpTable) {
    std::string rendered;
    for (const FieldSpec& spec : info.Fields()) {
      if (!rendered.empty()) rendered += ' ';
      rendered += FieldName(spec.field);
      if (spec.optional) rendered += '?';
    }
    std::string def(info.fields_text);
    while (!def.empty() && def.back() == ' ')
      def.pop_back();
    EXPECT_EQ(rendered, def) << info.json;
  }
}

TEST(OpTest, BindingOpsAreExactlyThoseWithAs) {
  for (const OpInfo& info : kOpTable) {
    EXPECT_EQ(info.bind != BindKind::kNone, info.FindField(Field::kAs) != nullptr) << info.json;
  }
  EXPECT_EQ(GetOpInfo(Op::kNew).bind, BindKind::kHandle);
  EXPECT_EQ(GetOpInfo(Op::kWeak).bind, BindKind::kWeak);
  EXPECT_EQ(GetOpInfo(Op::kUpgrade).bind, BindKind::kHandle);
  EXPECT_EQ(GetOpInfo(Op::kDrop).bind, BindKind::kNone);
  EXPECT_EQ(BindKindName(BindKind::kHandle), "handle");
  EXPECT_EQ(BindKindName(BindKind::kWeak), "weak");
  EXPECT_EQ(BindKindName(BindKind::kToken), "token");
  EXPECT_EQ(BindKindName(BindKind::kNone), "");
}

TEST(OpTest, BuiltinTargetsFollowTheTargetsColumn) {
  std::optional<OpSet> core = BuiltinTargetOps("core");
  std::optional<OpSet> cpython = BuiltinTargetOps("cpython");
  ASSERT_TRUE(core.has_value());
  ASSERT_TRUE(cpython.has_value());
  for (const OpInfo& info : kOpTable) {
    size_t bit = static_cast<size_t>(info.op);
    EXPECT_EQ(core->test(bit), info.targets.find('C') != std::string_view::npos) << info.json;
    EXPECT_EQ(cpython->test(bit), info.targets.find('P') != std::string_view::npos) << info.json;
  }
  EXPECT_EQ(*core, kAllOps);  // the built-in core supports everything
  EXPECT_FALSE(cpython->test(static_cast<size_t>(Op::kSpawn)));
  EXPECT_TRUE(cpython->test(static_cast<size_t>(Op::kNew)));
  EXPECT_FALSE(BuiltinTargetOps("Core").has_value());
  EXPECT_FALSE(BuiltinTargetOps("").has_value());
  EXPECT_EQ(kAllOps.count(), kOpCount);
}

TEST(OpTest, OpsTableHasOneRowPerOpAndSafeCells) {
  std::string table = FormatOpsTable();
  size_t lines = 0;
  for (char c : table)
    lines += c == '\n';
  EXPECT_EQ(lines, kOpCount + 2);  // header, separator, one row per op
  for (const OpInfo& info : kOpTable) {
    EXPECT_NE(table.find("| `" + std::string(info.json) + "` |"), std::string::npos) << info.json;
    // Help text lands in a Markdown table cell and a one-line `list ops`.
    EXPECT_EQ(info.help.find('|'), std::string_view::npos) << info.json;
    EXPECT_EQ(info.help.find('\n'), std::string_view::npos) << info.json;
  }
  EXPECT_NE(table.find("| `register` | `obj` `held?` `as?` | token |"), std::string::npos);
  EXPECT_NE(table.find("| `yield` | — | — | core, cpython, pyo3 |"), std::string::npos);
  EXPECT_NE(table.find("| `export` | `obj` `vm` `as` | handle | core |"), std::string::npos);
}

}  // namespace
}  // namespace gcs
