// gcstress tests — the gcstress binary in fork mode (the default) against --no-fork: the same
// output, batch size irrelevant, replay in a child, the new flags' bad values.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/harness/cli/gcstress_fixture.h"

namespace gcs {
namespace {

using testing::Lines;
using testing::ProcessResult;

using testing::kScenarios;
using testing::kTestdata;

class ForkModeTest : public testing::GcstressFixture {};

TEST_F(ForkModeTest, ForkModeAndNoForkPrintTheSameResults) {
  const std::vector<std::string> base = {"run",
                                         kTestdata + "shared-table.json",
                                         kTestdata + "calm.json",
                                         kScenarios + "refpool/refpool-minimal.json",
                                         "--fault",
                                         "proxy-shared-table",
                                         "--keep-going",
                                         "--iterations",
                                         "300",
                                         "--no-repro"};
  std::vector<std::string> forked = base, in_process = base, batched = base;
  in_process.push_back("--no-fork");
  batched.insert(batched.end(), {"--batch", "7", "--jobs", "2"});
  const ProcessResult a = Gcstress(forked), b = Gcstress(in_process), c = Gcstress(batched);
  EXPECT_EQ(a.code, 1) << a.out << a.err;
  EXPECT_EQ(b.code, 1) << b.out << b.err;
  EXPECT_EQ(c.code, 1) << c.out << c.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.out, c.out);
  EXPECT_EQ(Lines(a.out)[0].rfind("FAIL " + kTestdata + "shared-table.json: ", 0), 0u) << a.out;
}

TEST_F(ForkModeTest, AReproFromForkModeReplaysInAChildAndInProcess) {
  const ProcessResult r =
      Gcstress({"run", kTestdata + "shared-table.json", "--fault", "proxy-shared-table"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  const std::string path = ReplayPath(r.out);
  ASSERT_FALSE(path.empty()) << r.out;
  for (const char* mode : {"--step-timeout=10s", "--no-fork"}) {
    const ProcessResult replay = Gcstress({"replay", path, "--repeat", "5", "--trace", mode});
    EXPECT_EQ(replay.code, 1) << mode << replay.out << replay.err;
    EXPECT_NE(Lines(replay.out)[0].find("(matches the recorded verdict)"), std::string::npos)
        << replay.out;
    EXPECT_EQ(Lines(replay.out).back(), "reproduced 5/5") << mode;
    // The trace comes back from the child whole.
    EXPECT_NE(replay.out.find("w1 step 0 begin: drop p1"), std::string::npos) << replay.out;
  }
}

TEST_F(ForkModeTest, TheNewFlagsRejectBadValuesWithExitCode2) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", kTestdata + "calm.json", "--step-timeout", "5x"},
        std::vector<std::string>{"replay", "nothing.json", "--step-timeout", "-1s"},
        std::vector<std::string>{"run", kTestdata + "calm.json", "--batch", "-3"}}) {
    const ProcessResult r = Gcstress(args);
    EXPECT_EQ(r.code, 2) << args[2] << r.out << r.err;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  }
  const ProcessResult r = Gcstress({"run", kTestdata + "calm.json", "--step-timeout", "5x"});
  EXPECT_NE(r.err.find("--step-timeout: bad duration \"5x\""), std::string::npos) << r.err;
}

TEST_F(ForkModeTest, EveryScenarioFamilyPassesOnTheFixedCoreInForkMode) {
  std::vector<std::string> args = {"run", "--iterations", "50", "--batch", "20"};
  size_t n = 0;
  for (const char* family : {"refpool", "gc-worklist", "proxy-table", "terminate", "vm-switch"}) {
    for (const auto& entry : std::filesystem::directory_iterator(kScenarios + family)) {
      if (entry.path().extension() != ".json") continue;
      args.push_back(entry.path().string());
      ++n;
    }
  }
  const ProcessResult r = Gcstress(args);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Lines(r.out).size(), n) << r.out;
}

}  // namespace
}  // namespace gcs
