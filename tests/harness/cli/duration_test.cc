// gcstress tests — ParseDuration: the units, zero, and the one error message.
#include "harness/cli/duration.h"

#include <gtest/gtest.h>

namespace gcs::cli {
namespace {

using std::chrono::milliseconds;

TEST(DurationTest, AcceptsTheFourUnitsAndZero) {
  EXPECT_EQ(*ParseDuration("250ms", "--t"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("30s", "--t"), milliseconds(30000));
  EXPECT_EQ(*ParseDuration("5m", "--t"), milliseconds(300000));
  EXPECT_EQ(*ParseDuration("1h", "--t"), milliseconds(3600000));
  EXPECT_EQ(*ParseDuration("0", "--t"), milliseconds(0));
  EXPECT_EQ(*ParseDuration("0s", "--t"), milliseconds(0));
}

TEST(DurationTest, RejectsEverythingElseNamingTheFlag) {
  for (const char* bad :
       {"", "5", "5x", "s", "-1s", "1.5s", "1m30s", " 5s", "5S", "5 s", "9999999999999s"}) {
    auto d = ParseDuration(bad, "--max-time");
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().Format(),
              "<flag>: --max-time: bad duration \"" + std::string(bad) +
                  "\" (expected a number and a unit: 250ms, 30s, 5m, 1h; or 0)");
  }
}

}  // namespace
}  // namespace gcs::cli
