// gcstress tests — the remote target: protocol 1 against adapters that behave and that do not.
//
// testdata/faulty/adapter.py answers until its third `apply`, then misbehaves as its version
// says (crash, abort, garbage, hang, bad-event, fatal). Every misbehaviour must be a verdict of
// the execution — kind, site, the adapter's stderr as evidence, the CLI's exit code and report —
// and never a hung or crashed gcstress.
#include "harness/targets/remote/remote_target.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/targets/remote/manifest.h"
#include "tests/harness/cli/gcstress_fixture.h"

namespace gcs {
namespace {

using testing::GcstressFixture;

const std::string kFaulty =
    std::string(GCS_SOURCE_DIR) + "/tests/harness/targets/remote/testdata/faulty/target.json";

// Two threads; with any schedule the adapter sees at least three applies.
constexpr const char* kScenario = R"({"format": 1, "name": "remote-smoke", "threads": {
  "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "b"},
         {"op": "use", "obj": "a"}, {"op": "detach"}],
  "t2": [{"op": "yield"}, {"op": "clone", "obj": "a", "as": "c"}, {"op": "drop", "obj": "c"}]}})";

Scenario Load(const Target& target) {
  Expected<Scenario> s =
      LoadScenarioText(kScenario, "remote-smoke.json", ScenarioLoadOptionsFor(target));
  EXPECT_TRUE(s.ok()) << s.error().Format();
  return s.ok() ? std::move(s).value() : Scenario{};
}

RunSummary RunFaulty(const std::string& version, uint64_t iterations, bool isolate = true) {
  RunConfig config;
  config.target = kFaulty + "@" + version;
  config.strategy = "pct";
  config.seed = 1;
  config.iterations = iterations;
  config.isolate = isolate;
  config.batch = 1000;
  config.step_timeout = std::chrono::seconds(10);
  Expected<Runner> runner = Runner::Create(config);
  EXPECT_TRUE(runner.ok()) << runner.error().Format();
  if (!runner.ok()) return {};
  Expected<std::unique_ptr<Target>> target = MakeTarget(config.target);
  return runner->Run(Load(**target));
}

TEST(RemoteTargetTest, AWellBehavedAdapterPassesAndIsDeterministic) {
  RunConfig config;
  config.target = kFaulty + "@ok";
  config.strategy = "pct";
  config.seed = 7;
  config.iterations = 50;
  config.check_determinism = true;  // every execution replayed from its schedule, traces compared
  Expected<Runner> runner = Runner::Create(config);
  ASSERT_TRUE(runner.ok()) << runner.error().Format();
  Expected<std::unique_ptr<Target>> target = MakeTarget(config.target);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ((*target)->Name(), "faulty");
  EXPECT_EQ((*target)->Version(), "ok");
  const RunSummary s = runner->Run(Load(**target));
  EXPECT_EQ(s.stop, StopReason::kIterations) << s.internal_error;
  EXPECT_EQ(s.iterations, 50u);
  EXPECT_FALSE(s.first_failure) << s.first_failure->violation.message;
}

struct Misbehaviour {
  std::string version;
  ViolationKind kind;
  std::string site;
  std::string message;  // a regex the verdict's message matches
};

class RemoteTargetFailureTest : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(RemoteTargetFailureTest, IsAVerdictWithTheAdaptersStderr) {
  const Misbehaviour& m = GetParam();
  const RunSummary s = RunFaulty(m.version, 20);
  ASSERT_TRUE(s.first_failure) << m.version;
  const Failure& f = *s.first_failure;
  EXPECT_EQ(f.violation.kind, m.kind) << f.violation.message;
  EXPECT_EQ(f.violation.site, m.site) << f.violation.message;
  EXPECT_TRUE(std::regex_search(f.violation.message, std::regex(m.message))) << f.violation.message;
  EXPECT_EQ(f.violation.phase, "step");
  EXPECT_EQ(f.iteration, 0u);
  EXPECT_EQ(f.evidence_file, "adapter.txt");
  EXPECT_NE(f.evidence.find("faulty adapter: misbehaving now (" + m.version + ")"),
            std::string::npos)
      << f.evidence;
}

INSTANTIATE_TEST_SUITE_P(
    AllWays, RemoteTargetFailureTest,
    ::testing::Values(
        Misbehaviour{
            "crash", ViolationKind::kCrash, "adapter-exit-3",
            R"(adapter of target "faulty" during apply thread \d step \d \(\w+\): it ended )"
            R"(\(exit-3\) instead of answering)"},
        Misbehaviour{"abort", ViolationKind::kCrash, "adapter-sigabrt", "it ended \\(sigabrt\\)"},
        Misbehaviour{"garbage", ViolationKind::kTargetError, "adapter-protocol",
                     R"(line 1 column \d+: syntax error.* in reply "\{\\"bind\\": nope\}")"},
        Misbehaviour{"hang", ViolationKind::kHang, "adapter-timeout", "no answer within 2000 ms"},
        Misbehaviour{"bad-event", ViolationKind::kTargetError, "adapter-protocol",
                     R"(/events/0/kind: unknown event kind "frobnicate")"},
        Misbehaviour{"fatal", ViolationKind::kTargetError, "adapter-fatal",
                     "it reported a failure: \"the adapter lost track of its slots\""}),
    [](const ::testing::TestParamInfo<Misbehaviour>& param) {
      std::string name;
      for (char c : param.param.version)
        name += c == '-' ? '_' : c;
      return name;
    });

TEST(RemoteTargetTest, TheNextExecutionGetsAFreshAdapter) {
  const std::string dir = testing::MakeTempDir();
  ::setenv("GCS_TEST_MARKER_DIR", dir.c_str(), 1);
  // In process, so that both executions share one target: the first adapter dies at its third
  // apply; the first execution's verdict is the crash; the second starts a new adapter and passes.
  RunConfig config;
  config.target = kFaulty + "@crash-once";
  config.strategy = "pct";
  config.seed = 1;
  config.iterations = 10;
  config.keep_going = true;
  Expected<Runner> runner = Runner::Create(config);
  ASSERT_TRUE(runner.ok()) << runner.error().Format();
  Expected<std::unique_ptr<Target>> target = MakeTarget(config.target);
  const RunSummary s = runner->Run(Load(**target));
  ::unsetenv("GCS_TEST_MARKER_DIR");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(s.iterations, 10u);
  EXPECT_EQ(s.violations, 1u);
  ASSERT_TRUE(s.first_failure);
  EXPECT_EQ(s.first_failure->iteration, 0u);
  EXPECT_EQ(s.first_failure->violation.site, "adapter-exit-3");
}

TEST(RemoteTargetTest, ManifestsAreCheckedWithTheirPath) {
  const std::string dir = testing::MakeTempDir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::filesystem::create_directories(dir + "/" + name);
    const std::string path = dir + "/" + name + "/target.json";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
    return path;
  };
  auto error = [](const std::string& path) {
    Expected<remote::Manifest> m = remote::LoadManifest(path);
    return m.ok() ? std::string("(loaded)") : m.error().Format();
  };
  const std::string good =
      write("mine", R"({"format": 1, "name": "mine", "command": ["x"], "ops": ["new"]})");
  EXPECT_EQ(error(good), "(loaded)");
  const std::string other =
      write("wrong", R"({"format": 1, "name": "mine", "command": ["x"], "ops": ["new"]})");
  EXPECT_EQ(error(other),
            other + ": /name: name \"mine\" differs from the manifest's folder \"wrong\"");
  const std::string unknown =
      write("u", R"({"format": 1, "name": "u", "command": ["x"], "ops": ["new"], "timeout": 5})");
  EXPECT_EQ(error(unknown), unknown + ": /timeout: unknown field \"timeout\"");
  const std::string op =
      write("o", R"({"format": 1, "name": "o", "command": ["x"], "ops": ["new", "frob"]})");
  EXPECT_EQ(error(op), op + ": /ops/1: unknown op \"frob\"");
  const std::string empty = write("e", R"({"format": 1, "name": "e", "command": [], "ops": []})");
  EXPECT_EQ(error(empty), empty + ": /command: the command line is empty");
  const std::string syntax = write("s", R"({"format": 1,)");
  EXPECT_TRUE(error(syntax).starts_with(syntax + ": line 1 column")) << error(syntax);
  EXPECT_FALSE(MakeTarget(good + "@9").ok());
  EXPECT_EQ(MakeTarget(good + "@9").error().Format(),
            "<flag>: --target: target \"mine\" has no version \"9\" (" + good + ")");
  std::filesystem::remove_all(dir);
}

// --- through the CLI: exit codes and report folders

class RemoteTargetCliTest : public GcstressFixture {
 protected:
  std::string WriteScenario() {
    const std::string path = Path("remote-smoke.json");
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(kScenario, f);
    std::fclose(f);
    return path;
  }
};

TEST_F(RemoteTargetCliTest, ACrashIsExit1WithAReportAndTheAdaptersStderr) {
  const auto r = Gcstress({"run", "--target", kFaulty + "@crash", WriteScenario(), "--iterations",
                           "5", "--reports", "reports"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("crash/"), std::string::npos) << r.out;
  const std::string report = Path("reports/" + std::string("crash-"));
  bool found = false;
  for (const auto& entry : std::filesystem::directory_iterator(Path("reports"))) {
    if (entry.path().filename().string().find("adapter-exit-3") == std::string::npos) continue;
    found = true;
    EXPECT_NE(Read((entry.path() / "adapter.txt").string()).find("misbehaving now (crash)"),
              std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(entry.path() / "repro.json"));
    EXPECT_TRUE(std::filesystem::exists(entry.path() / "report.html"));
  }
  EXPECT_TRUE(found) << r.out;
  // The repro names the version, and replays to the same verdict.
  const std::string repro = ReplayPath(r.out);
  ASSERT_FALSE(repro.empty()) << r.out;
  EXPECT_NE(Read(Path(repro)).find("target.json@crash\""), std::string::npos);
  const auto replay = Gcstress({"replay", repro, "--repeat", "3"});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("reproduced 3/3"), std::string::npos) << replay.out;
}

TEST_F(RemoteTargetCliTest, GarbageIsExit1AndSilenceIsExit4) {
  const auto garbage = Gcstress({"run", "--target", kFaulty + "@garbage", WriteScenario(),
                                 "--iterations", "5", "--no-repro"});
  EXPECT_EQ(garbage.code, 1) << garbage.out << garbage.err;
  EXPECT_NE(garbage.out.find("target-error/"), std::string::npos) << garbage.out;
  const auto hang = Gcstress(
      {"run", "--target", kFaulty + "@hang", WriteScenario(), "--iterations", "5", "--no-repro"});
  EXPECT_EQ(hang.code, 4) << hang.out << hang.err;
  EXPECT_NE(hang.out.find("hang/"), std::string::npos) << hang.out;
  EXPECT_NE(hang.out.find("adapter-timeout"), std::string::npos) << hang.out;
}

TEST_F(RemoteTargetCliTest, ABadManifestIsExit2WithOneLine) {
  const std::string dir = Path("bad");
  std::filesystem::create_directories(dir);
  FILE* f = std::fopen((dir + "/target.json").c_str(), "w");
  std::fputs(R"({"format": 1, "name": "bad", "command": ["x"], "ops": "new"})", f);
  std::fclose(f);
  const auto r = Gcstress({"run", "--target", dir + "/target.json", WriteScenario()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gcstress: error: " + dir +
                       "/target.json: /ops: expected an array of strings, got "
                       "a string\n");
}

}  // namespace
}  // namespace gcs
