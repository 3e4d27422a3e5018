// gcstress tests — the pyo3 target: what the adapter hands PyO3 and reports, the reference-pool
// bug found in PyO3 0.17.3's own code and replayed, and every scenario pyo3 can run holding its
// expect block.
#include "harness/targets/pyo3/pyo3_target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/strategy.h"
#include "tests/harness/cli/gcstress_fixture.h"

namespace gcs {
namespace {

std::unique_ptr<Target> Pyo3() {
  Expected<std::unique_ptr<Target>> t = MakeTarget("pyo3");
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

Scenario Load(const Target& target, const std::string& text) {
  Expected<Scenario> s = LoadScenarioText(text, "test.json", ScenarioLoadOptionsFor(target));
  EXPECT_TRUE(s.ok()) << s.error().Format();
  return s.ok() ? std::move(s).value() : Scenario{};
}

Scenario LoadFile(const Target& target, const std::string& relative) {
  Expected<Scenario> s = LoadScenarioFile(std::string(GCS_SOURCE_DIR) + "/scenarios/" + relative,
                                          ScenarioLoadOptionsFor(target));
  EXPECT_TRUE(s.ok()) << s.error().Format();
  return s.ok() ? std::move(s).value() : Scenario{};
}

TEST(Pyo3TargetTest, IsPyo3FromDebianWithTheCpythonOpsButSubinterpreters) {
  std::unique_ptr<Target> t = Pyo3();
  EXPECT_EQ(t->Name(), "pyo3");
  EXPECT_FALSE(t->Version().empty());
  EXPECT_TRUE(t->FaultNames().empty());  // the bugs are PyO3's own
  EXPECT_TRUE(t->NeedsOsThreads());      // PyO3's GIL count is thread-local
  EXPECT_TRUE(t->ReportsHolders());
  const OpSet ops = t->SupportedOps();
  EXPECT_TRUE(ops.test(static_cast<size_t>(Op::kClone)));
  EXPECT_TRUE(ops.test(static_cast<size_t>(Op::kAttach)));
  EXPECT_FALSE(ops.test(static_cast<size_t>(Op::kSwitchVm)));
  EXPECT_FALSE(ops.test(static_cast<size_t>(Op::kExport)));
}

// One thread, so the schedule cannot matter: a detached clone and drop go to PyO3's pool, the
// next attach applies them (increfs first), and the attached drop frees the object.
TEST(Pyo3TargetTest, ReportsWhatItHandsPyo3sPoolAndWhenPyo3AppliesIt) {
  std::unique_ptr<Target> target = Pyo3();
  const Scenario s = Load(*target, R"({"format": 1, "name": "pool", "threads": {"t1": [
      {"op": "attach"}, {"op": "new", "as": "obj"}, {"op": "detach"},
      {"op": "clone", "obj": "obj", "as": "c"}, {"op": "drop", "obj": "c"},
      {"op": "attach"}, {"op": "drop", "obj": "obj"}, {"op": "detach"}]}})");
  Engine engine(*target);
  auto strategy = sched::MakeStrategy("round-robin");
  ASSERT_TRUE(strategy.ok());
  const Execution e = engine.Run(s, {}, **strategy, 1, EngineOptions{});
  std::vector<std::string> got;
  for (const TraceEntry& t : e.trace.entries) {
    if (t.kind != TraceEntry::Kind::kEvent) continue;
    const std::string site = t.event.site;
    if (site.rfind("pyo3.", 0) != 0 && t.event.kind != core::EventKind::kFree) continue;
    got.push_back(std::string(core::EventKindName(t.event.kind)) + " " +
                  std::to_string(t.event.value) + " @" + site);
  }
  const std::vector<std::string> want = {"pool-queue 1 @pyo3.pool-queue",
                                         "pool-queue -1 @pyo3.pool-queue",
                                         "pool-apply 1 @pyo3.pool-apply",
                                         "incref 2 @pyo3.pool-apply",
                                         "pool-apply -1 @pyo3.pool-apply",
                                         "decref 1 @pyo3.pool-apply",
                                         "decref 0 @pyo3.drop",
                                         "free 0 @cpython.dealloc"};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(e.torn_down);
  EXPECT_TRUE(e.live_after_teardown.empty());
}

RunConfig Pyo3Run(uint64_t iterations) {
  RunConfig c;
  c.target = "pyo3";
  c.strategy = "pct";
  c.seed = 1;
  c.iterations = iterations;
  c.isolate = true;
  c.batch = 10000;
  c.step_timeout = std::chrono::seconds(10);
  return c;
}

// PyO3 0.17.3 queues a clone made without the GIL; main's drop frees the object while the clone
// exists; the next entry into PyO3 increfs and decrefs the freed object. The adapter reports that
// access before PyO3 makes it, so the verdict is the oracles' even when PyO3's access then
// crashes the child.
TEST(Pyo3TargetTest, FindsTheReferencePoolUseAfterFreeInPyo3sOwnCode) {
  std::unique_ptr<Target> target = Pyo3();
  RunConfig c = Pyo3Run(1000);
  c.stop_on_kind = ViolationKind::kUseAfterFree;
  c.keep_going = true;
  Expected<Runner> runner = Runner::Create(c);
  ASSERT_TRUE(runner.ok()) << runner.error().Format();
  const RunSummary s = runner->Run(LoadFile(*target, "refpool/refpool-minimal.json"));
  ASSERT_TRUE(s.first_failure) << "no failure in " << s.iterations << " iterations";
  const Failure* uaf = nullptr;
  for (const Failure& f : s.failures)
    if (f.violation.kind == ViolationKind::kUseAfterFree) uaf = &f;
  ASSERT_NE(uaf, nullptr) << s.first_failure->violation.Signature();
  EXPECT_EQ(uaf->violation.site, "pyo3.pool-apply") << uaf->violation.message;
  EXPECT_TRUE(std::regex_search(uaf->violation.message, std::regex("freed allocation #1 used")))
      << uaf->violation.message;
}

// The near miss: the clone takes the GIL first, so PyO3 increfs at once.
TEST(Pyo3TargetTest, CloningWithTheGilHeldPasses) {
  std::unique_ptr<Target> target = Pyo3();
  Expected<Runner> runner = Runner::Create(Pyo3Run(300));
  ASSERT_TRUE(runner.ok());
  const RunSummary s = runner->Run(LoadFile(*target, "fixed/clone-with-lock-held.json"));
  EXPECT_EQ(s.iterations, 300u);
  EXPECT_FALSE(s.first_failure) << s.first_failure->violation.message;
}

// Every scenario file pyo3 can run holds the expect entries that decide pyo3's runs: the pass
// entries over 200 pct iterations, the violation ones within 2000.
class Pyo3ScenarioFile : public ::testing::Test {
 public:
  explicit Pyo3ScenarioFile(std::filesystem::path file) : file_(std::move(file)) {}
  void TestBody() override {
    std::unique_ptr<Target> target = Pyo3();
    Expected<Scenario> s = LoadScenarioFile(file_.string(), ScenarioLoadOptionsFor(*target));
    ASSERT_TRUE(s.ok()) << s.error().Format();
    std::vector<const Expectation*> entries =
        ExpectationsFor(*s, target->Name(), target->Version());
    std::erase_if(entries, [](const Expectation* e) { return !e->faults.empty(); });
    Expectation implicit;
    if (s->expect.empty()) entries.push_back(&implicit);
    ASSERT_FALSE(entries.empty()) << "nothing decides pyo3's runs of " << file_;
    for (const Expectation* e : entries) {
      RunConfig c = Pyo3Run(e->violation ? 2000 : 200);
      c.stop_on_kind = e->violation;
      c.keep_going = e->violation.has_value();
      Expected<Runner> runner = Runner::Create(c);
      ASSERT_TRUE(runner.ok());
      const RunSummary r = runner->Run(*s);
      if (!e->violation) {
        EXPECT_FALSE(r.first_failure)
            << file_.filename() << ": " << r.first_failure->violation.Signature() << ": "
            << r.first_failure->violation.message;
        continue;
      }
      EXPECT_TRUE(std::any_of(r.failures.begin(), r.failures.end(),
                              [&](const Failure& f) { return f.violation.kind == *e->violation; }))
          << file_.filename() << ": no " << ViolationName(*e->violation) << " in " << r.iterations
          << " iterations";
    }
  }

 private:
  std::filesystem::path file_;
};

const bool kPyo3ScenarioFilesRegistered = [] {
  std::unique_ptr<Target> target = MakeTarget("pyo3").value();
  const std::filesystem::path root = std::filesystem::path(GCS_SOURCE_DIR) / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& file : files) {
    // Only the files whose ops pyo3 has: the loader refuses the others.
    if (!LoadScenarioFile(file.string(), ScenarioLoadOptionsFor(*target)).ok()) continue;
    std::string name;
    for (char c : std::filesystem::relative(file, root).replace_extension().string()) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      name += alnum ? c : '_';
    }
    ::testing::RegisterTest("Pyo3ScenarioFile", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [file]() -> ::testing::Test* { return new Pyo3ScenarioFile(file); });
  }
  return true;
}();

// Through the CLI: check names pyo3's entries, and a repro of the real bug replays exactly.
class Pyo3CliTest : public testing::GcstressFixture {};

TEST_F(Pyo3CliTest, CheckHoldsAndTheReproReplaysToTheSameSignature) {
  const auto check =
      Gcstress({"check", "--target", "pyo3", testing::kScenarios + "refpool/refpool-minimal.json"});
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_TRUE(std::regex_search(
      check.out, std::regex("\n  pyo3    - +use-after-free +use-after-free +[0-9]+ +ok\n")))
      << check.out;
  const auto run =
      Gcstress({"run", "--target", "pyo3", testing::kScenarios + "refpool/refpool-minimal.json"});
  ASSERT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("use-after-free/"), std::string::npos) << run.out;
  const std::string repro = ReplayPath(run.out);
  ASSERT_FALSE(repro.empty()) << run.out;
  const auto replay = Gcstress({"replay", repro, "--repeat", "10"});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("reproduced 10/10"), std::string::npos) << replay.out;
}

// PyO3's access to the freed object often kills the process right after the oracles named it:
// the minimizer runs each candidate in a child, and a candidate that shows the signature and then
// dies still counts.
TEST_F(Pyo3CliTest, TheNoisyReproMinimizesInChildProcessesAndStillReplays) {
  const auto run =
      Gcstress({"run", "--target", "pyo3", testing::kScenarios + "refpool/refpool-noisy.json"});
  ASSERT_EQ(run.code, 1) << run.out << run.err;
  const std::string repro = ReplayPath(run.out);
  ASSERT_FALSE(repro.empty()) << run.out;
  const auto min = Gcstress({"minimize", repro});
  ASSERT_EQ(min.code, 0) << min.out << min.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(min.out, m, std::regex("after: +([0-9]+) steps"))) << min.out;
  EXPECT_LT(std::stoi(m[1].str()), 25) << min.out;  // refpool-noisy has 25
  ASSERT_TRUE(std::regex_search(min.out, m, std::regex("replay: gcstress replay (\\S+)")))
      << min.out;
  const auto replay = Gcstress({"replay", m[1].str(), "--repeat", "10"});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("reproduced 10/10"), std::string::npos) << replay.out;
}

}  // namespace
}  // namespace gcs
