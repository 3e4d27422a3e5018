// gcstress fuzzing — tests: a fuzzer's fault list, from the environment or -gcs_faults=.
#include "harness/fuzzing/fuzz_faults.h"

#include <gtest/gtest.h>

namespace gcs {
namespace {

const std::vector<std::string> kKnown = {"alpha", "beta", "gamma"};

TEST(FuzzFaultsTest, ParsesACommaSeparatedList) {
  auto f = ParseFaultList(" alpha, gamma ", kKnown, "GCS_FUZZ_FAULTS");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, (std::vector<std::string>{"alpha", "gamma"}));
  auto none = ParseFaultList("", kKnown, "GCS_FUZZ_FAULTS");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(FuzzFaultsTest, BadListsAreOneLineErrorsNamingTheSource) {
  auto unknown = ParseFaultList("alpha,delta", kKnown, "GCS_FUZZ_FAULTS");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().Format(),
            "GCS_FUZZ_FAULTS: unknown fault \"delta\" (known: alpha, beta, gamma)");
  auto twice = ParseFaultList("beta,beta", kKnown, "-gcs_faults");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().Format(), "-gcs_faults: fault \"beta\" is given twice");
  auto empty = ParseFaultList("alpha,,beta", kKnown, "x");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "entry 2 is empty");
}

TEST(FuzzFaultsTest, TheFlagBeatsTheEnvironmentAndTheLastFlagWins) {
  char a0[] = "scenario_fuzzer";
  char a1[] = "-gcs_faults=alpha";
  char a2[] = "-runs=10";
  char a3[] = "-gcs_faults=beta";
  char* args[] = {a0, a1, a2, a3};
  const FuzzFaultSetting s = FindFuzzFaultSetting("gamma", args);
  EXPECT_EQ(s.text, "beta");
  EXPECT_EQ(s.source, "-gcs_faults");
  char* only_runs[] = {a0, a2};
  const FuzzFaultSetting env = FindFuzzFaultSetting("gamma", only_runs);
  EXPECT_EQ(env.text, "gamma");
  EXPECT_EQ(env.source, kFuzzFaultsEnv);
  const FuzzFaultSetting none = FindFuzzFaultSetting(nullptr, only_runs);
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(none.source, "");
}

}  // namespace
}  // namespace gcs
