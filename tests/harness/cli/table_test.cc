// gcstress tests — FormatTable: aligned text and Markdown.
#include "harness/cli/table.h"

#include <gtest/gtest.h>

namespace gcs::cli {
namespace {

TEST(TableTest, AlignsColumnsWithoutTrailingSpaces) {
  EXPECT_EQ(FormatTable({"a", "bb", "c"}, {{"xxx", "y", ""}, {"", "", "z"}}, false, "  "),
            "  a    bb  c\n"
            "  xxx  y\n"
            "           z\n");
}

TEST(TableTest, MarkdownEscapesPipes) {
  EXPECT_EQ(FormatTable({"k", "v"}, {{"a|b", "c"}}, true),
            "| k | v |\n"
            "|---|---|\n"
            "| a\\|b | c |\n");
}

}  // namespace
}  // namespace gcs::cli
