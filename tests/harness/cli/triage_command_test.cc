// gcstress tests — the built gcstress: a failing run writes report.json and report.html beside
// its repro, --junit writes JUnit XML, free-mode failures are converted, and `gcstress triage`
// groups the folders.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "harness/reporters/json_reporter.h"
#include "tests/harness/cli/gcstress_fixture.h"
#include "tests/harness/reporters/xml_check.h"

namespace gcs {
namespace {

using testing::Lines;
using testing::ProcessResult;

const std::string kRefpool = testing::kScenarios + "refpool/refpool-minimal.json";

class TriageCommandTest : public testing::GcstressFixture {
 protected:
  // The path in the "  report: <dir>/report.html" lines.
  static std::vector<std::string> ReportPaths(const std::string& out) {
    static const std::regex line(R"(^  report: (\S+)/report\.html$)");
    std::vector<std::string> dirs;
    for (const std::string& l : Lines(out)) {
      std::smatch m;
      if (std::regex_match(l, m, line)) dirs.push_back(m[1]);
    }
    return dirs;
  }
};

TEST_F(TriageCommandTest, AFailingRunWritesReportJsonAndHtmlBesideTheRepro) {
  const ProcessResult r =
      Gcstress({"run", kRefpool, "--fault", "refpool-deferred-incref", "--confirm", "3"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  const std::vector<std::string> dirs = ReportPaths(r.out);
  ASSERT_EQ(dirs.size(), 1u) << r.out;
  // After the repro and replay lines, as the design has them.
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines.back(), "  report: " + dirs[0] + "/report.html") << r.out;
  EXPECT_EQ(lines[lines.size() - 2], "  replay: gcstress replay " + dirs[0] + "/repro.json");
  Expected<reporters::FailureReport> report =
      reporters::LoadReportJson(Path(dirs[0] + "/report.json"));
  ASSERT_TRUE(report.ok()) << report.error().Format();
  EXPECT_EQ(report->repro, dirs[0] + "/repro.json");
  EXPECT_EQ(report->replay_command, "gcstress replay " + dirs[0] + "/repro.json");
  EXPECT_EQ(report->reproduction.runs, 3u);
  EXPECT_EQ(report->reproduction.reproduced, 3u);
  EXPECT_EQ(report->violations_source, "replay");
  EXPECT_FALSE(report->timing.found_at.empty());
  EXPECT_FALSE(report->trace.empty());
  const auto html = reporters::testing::CheckXml(Read(Path(dirs[0] + "/report.html")));
  EXPECT_TRUE(html.ok) << html.error;
}

TEST_F(TriageCommandTest, TriageGroupsFoldersBySignature) {
  for (const char* seed : {"1", "1"}) {
    const ProcessResult r = Gcstress({"run", kRefpool, "--fault", "refpool-deferred-incref",
                                      "--seed", seed, "--keep-going", "--iterations", "300"});
    ASSERT_EQ(r.code, 1) << r.out << r.err;
  }
  const ProcessResult t = Gcstress({"triage", "reports"});
  ASSERT_EQ(t.code, 0) << t.out << t.err;
  const std::vector<std::string> lines = Lines(t.out);
  ASSERT_GE(lines.size(), 3u) << t.out;
  EXPECT_EQ(lines[0].rfind("count  signature", 0), 0u) << t.out;
  const ProcessResult j = Gcstress({"triage", "reports", "--json", "-"});
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json doc = nlohmann::json::parse(j.out);
  size_t folders = 0;
  for (const auto& g : doc["groups"]) {
    folders += g["count"].get<size_t>();
    // The same seed twice finds the same failures: every signature has at least 2 folders.
    EXPECT_GE(g["count"].get<size_t>(), 2u) << g;
    EXPECT_FALSE(g["first_seen"].get<std::string>().empty());
    EXPECT_EQ(g["shortest"]["replay"].get<std::string>().rfind("gcstress replay reports/", 0), 0u);
  }
  EXPECT_EQ(doc["folders"], folders);
  EXPECT_EQ(lines.back(), "triage: " + std::to_string(folders) + " report folders, " +
                              std::to_string(doc["groups"].size()) + " distinct signature" +
                              (doc["groups"].size() == 1 ? "" : "s"));
  EXPECT_EQ(Gcstress({"triage", "no-such-dir"}).code, 2);
}

TEST_F(TriageCommandTest, JUnitHasATestcasePerScenario) {
  const ProcessResult r =
      Gcstress({"run", kRefpool, testing::kScenarios + "examples/vm-switch.json", "--fault",
                "refpool-deferred-incref", "--iterations", "200", "--junit", "j.xml"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  const auto x = reporters::testing::CheckXml(Read(Path("j.xml")));
  ASSERT_TRUE(x.ok) << x.error;
  std::vector<std::string> cases;
  size_t failures = 0;
  for (const auto& e : x.elements) {
    if (e.name == "testcase") {
      for (const auto& [k, v] : e.attributes) {
        if (k == "name") cases.push_back(v);
      }
    }
    failures += e.name == "failure" ? 1 : 0;
  }
  EXPECT_EQ(cases.size(), 2u);
  EXPECT_EQ(failures, 1u);
}

TEST_F(TriageCommandTest, AFreeModeFailureIsReportedAsADeterministicRepro) {
  const ProcessResult r =
      Gcstress({"run", kRefpool, "--fault", "refpool-deferred-incref", "--free", "--iterations",
                "50000", "--confirm", "5", "--convert-budget", "20s"});
  if (r.code == 0) GTEST_SKIP() << "free mode found nothing: " << r.out;
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("  converted: the free-mode failure (iteration "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  confirmed 5/5"), std::string::npos) << r.out;
  const std::vector<std::string> dirs = ReportPaths(r.out);
  ASSERT_EQ(dirs.size(), 1u) << r.out;
  const nlohmann::json repro = nlohmann::json::parse(Read(Path(dirs[0] + "/repro.json")));
  EXPECT_FALSE(repro["free_mode"].get<bool>());
  const ProcessResult replay = Gcstress({"replay", dirs[0] + "/repro.json", "--repeat", "5"});
  EXPECT_EQ(Lines(replay.out).back(), "reproduced 5/5") << replay.out;
}

}  // namespace
}  // namespace gcs
