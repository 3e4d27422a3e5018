// gcstress tests — ExitCode: the table of DESIGN.md §8, verdict mapping and precedence.
#include "harness/runner/exit_code.h"

#include <gtest/gtest.h>

namespace gcs {
namespace {

TEST(ExitCodeTest, ValuesAreThoseOfTheDesign) {
  EXPECT_EQ(static_cast<int>(ExitCode::kPass), 0);
  EXPECT_EQ(static_cast<int>(ExitCode::kViolation), 1);
  EXPECT_EQ(static_cast<int>(ExitCode::kBadInput), 2);
  EXPECT_EQ(static_cast<int>(ExitCode::kInternalError), 3);
  EXPECT_EQ(static_cast<int>(ExitCode::kHang), 4);
  ASSERT_EQ(ListExitCodes().size(), 5u);
  for (size_t i = 0; i < ListExitCodes().size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(ListExitCodes()[i].code), i);
    EXPECT_FALSE(ListExitCodes()[i].help.empty());
  }
  EXPECT_EQ(GetExitCodeInfo(ExitCode::kBadInput).name, "bad-input");
}

TEST(ExitCodeTest, VerdictsMapToViolationOrHang) {
  EXPECT_EQ(ExitCodeForVerdict(std::nullopt), ExitCode::kPass);
  Violation v;
  v.kind = ViolationKind::kDoubleFree;
  EXPECT_EQ(ExitCodeForVerdict(v), ExitCode::kViolation);
  v.kind = ViolationKind::kDeadlock;
  EXPECT_EQ(ExitCodeForVerdict(v), ExitCode::kViolation);
  v.kind = ViolationKind::kHang;
  EXPECT_EQ(ExitCodeForVerdict(v), ExitCode::kHang);
}

TEST(ExitCodeTest, TheMostUrgentOutcomeWins) {
  const ExitCode order[] = {ExitCode::kPass, ExitCode::kViolation, ExitCode::kHang,
                            ExitCode::kBadInput, ExitCode::kInternalError};
  for (size_t a = 0; a < 5; ++a) {
    for (size_t b = 0; b < 5; ++b) {
      EXPECT_EQ(WorseExitCode(order[a], order[b]), order[std::max(a, b)]) << a << " " << b;
    }
  }
}

TEST(ExitCodeTest, FormatsAsTextAndMarkdown) {
  const std::string text = FormatExitCodes(false);
  EXPECT_NE(text.find("  2  bad-input       bad input or usage"), std::string::npos) << text;
  const std::string md = FormatExitCodes(true);
  EXPECT_EQ(md.rfind("| code | name | meaning |\n|---|---|---|\n| 0 | `pass` |", 0), 0u) << md;
}

}  // namespace
}  // namespace gcs
