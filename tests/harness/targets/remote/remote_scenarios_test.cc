// gcstress tests — the project's remote targets (targets/: comlink, coincident) on every scenario
// they can run, at each version: the expect entries that decide their runs hold (Comlink 4.4.1
// and 4.4.2 leak on terminate; coincident 2.1.4's shared heap lets an object go while another
// worker's proxy reaches it, 2.2.3's does not), and replaying each execution gives the same trace.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/target/target.h"

namespace gcs {
namespace {

namespace fs = std::filesystem;

class RemoteScenarioFile : public ::testing::Test {
 public:
  RemoteScenarioFile(std::string spec, fs::path file)
      : spec_(std::move(spec)), file_(std::move(file)) {}

  void TestBody() override {
    Expected<std::unique_ptr<Target>> target = MakeTarget(spec_);
    ASSERT_TRUE(target.ok()) << target.error().Format();
    Expected<Scenario> s = LoadScenarioFile(file_.string(), ScenarioLoadOptionsFor(**target));
    ASSERT_TRUE(s.ok()) << s.error().Format();
    std::vector<const Expectation*> entries =
        ExpectationsFor(*s, (*target)->Name(), (*target)->Version());
    std::erase_if(entries, [](const Expectation* e) { return !e->faults.empty(); });
    Expectation implicit;
    if (s->expect.empty()) entries.push_back(&implicit);
    for (const Expectation* e : entries) {
      RunConfig c;
      c.target = spec_;
      c.strategy = "pct";
      c.seed = 1;
      c.iterations = e->violation ? 200 : 20;
      c.stop_on_kind = e->violation;
      c.keep_going = e->violation.has_value();
      c.check_determinism = !e->violation;  // each execution replayed from its schedule
      Expected<Runner> runner = Runner::Create(c);
      ASSERT_TRUE(runner.ok()) << runner.error().Format();
      const RunSummary r = runner->Run(*s);
      ASSERT_NE(r.stop, StopReason::kInternalError) << r.internal_error;
      if (!e->violation) {
        EXPECT_FALSE(r.first_failure)
            << spec_ << " " << file_.filename() << ": " << r.first_failure->violation.Signature()
            << ": " << r.first_failure->violation.message;
        continue;
      }
      EXPECT_TRUE(std::any_of(r.failures.begin(), r.failures.end(),
                              [&](const Failure& f) { return f.violation.kind == *e->violation; }))
          << spec_ << " " << file_.filename() << ": no " << ViolationName(*e->violation) << " in "
          << r.iterations << " iterations";
    }
  }

 private:
  std::string spec_;
  fs::path file_;
};

const bool kRegistered = [] {
  const fs::path root = fs::path(GCS_SOURCE_DIR) / "scenarios";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const std::string spec :
       {"comlink@4.4.1", "comlink@4.4.2", "coincident@2.1.4", "coincident@2.2.3"}) {
    Expected<std::unique_ptr<Target>> target = MakeTarget(spec);
    if (!target.ok()) continue;  // RemoteTargetsAreFound says why
    for (const fs::path& file : files) {
      if (!LoadScenarioFile(file.string(), ScenarioLoadOptionsFor(**target)).ok()) continue;
      std::string name;
      for (char c : spec + "_" + fs::relative(file, root).replace_extension().string()) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        name += alnum ? c : '_';
      }
      ::testing::RegisterTest(
          "RemoteScenarioFile", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
          [spec, file]() -> ::testing::Test* { return new RemoteScenarioFile(spec, file); });
    }
  }
  return true;
}();

// The project's own remote targets are found by name, with their versions (targets/*/target.json).
TEST(RemoteTargetsTest, RemoteTargetsAreFound) {
  std::vector<std::string> names;
  for (const TargetInfo& t : ListTargets())
    names.push_back(t.name + (t.versions.empty() ? "" : "@" + t.versions.front()));
  for (const std::string want : {"comlink@4.4.1", "coincident@2.1.4", "null"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

}  // namespace
}  // namespace gcs
