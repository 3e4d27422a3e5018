// gcstress tests — triage: report folders grouped by signature, counted, first/last seen, and the
// shortest repro picked.
#include "harness/triage/triage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/json_fields.h"
#include "harness/reporters/failure_report.h"
#include "harness/reporters/json_reporter.h"
#include "harness/runner/repro.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::triage {
namespace {

namespace fs = std::filesystem;

class TriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gcs-triage-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // A report folder as `gcstress run` writes it: repro.json and report.json, for a scenario of
  // `steps` yield steps whose verdict has signature kind/op/phase/site.
  std::string Write(const std::string& parent, ViolationKind kind, const std::string& site,
                    size_t steps, const std::string& found_at, bool with_report = true) {
    std::string text =
        R"({"format": 1, "name": "s)" + std::to_string(steps) + R"(", "threads": {"t0": [)";
    for (size_t i = 0; i < steps; ++i)
      text += std::string(i ? "," : "") + R"({"op": "yield"})";
    text += "]}}";
    auto s = LoadScenarioText(text, "s.json", LoadOptions{});
    EXPECT_TRUE(s.ok()) << s.error().Format();
    Repro repro;
    repro.scenario = *s;
    repro.target = "core";
    repro.strategy = "pct:depth=3,steps=8";
    repro.schedule.strategy = repro.strategy;
    repro.schedule.seed = 7;
    repro.schedule.decisions = {sched::ThreadDecision(0), sched::ThreadDecision(0)};
    repro.verdict.kind = kind;
    repro.verdict.op = "yield";
    repro.verdict.phase = "step";
    repro.verdict.site = site;
    repro.verdict.message = "m";
    Expected<std::string> path = WriteRepro((root_ / parent).string(), repro);
    EXPECT_TRUE(path.ok()) << path.error().Format();
    if (with_report) {
      reporters::FailureReport r;
      r.scenario = s->name;
      r.scenario_steps = steps;
      r.verdict.kind = std::string(ViolationName(kind));
      r.verdict.signature = repro.verdict.Signature();
      r.repro = *path;
      r.timing.found_at = found_at;
      std::ofstream(reporters::ReportDirOf(*path) + "/report.json")
          << reporters::RenderReportJson(r);
    }
    return reporters::ReportDirOf(*path);
  }

  fs::path root_;
};

TEST_F(TriageTest, GroupsBySignatureWithCountsSeenAndShortest) {
  Write("night1", ViolationKind::kDoubleFree, "lifecycle.dealloc", 6, "2024-05-02T01:00:00Z");
  const std::string short_one =
      Write("night2", ViolationKind::kDoubleFree, "lifecycle.dealloc", 3, "2024-05-03T01:00:00Z");
  Write("night2", ViolationKind::kDoubleFree, "lifecycle.dealloc", 4, "2024-05-01T01:00:00Z");
  Write("night2", ViolationKind::kLeak, "cycle_collector.collect", 2, "2024-05-02T09:00:00Z");
  Expected<std::vector<ReportFolder>> folders = ScanReports({root_.string()});
  ASSERT_TRUE(folders.ok()) << folders.error().Format();
  ASSERT_EQ(folders->size(), 4u);
  const std::vector<TriageGroup> groups = GroupBySignature(*folders);
  ASSERT_EQ(groups.size(), 2u);
  const TriageGroup& df = groups[0];  // most first
  EXPECT_EQ(df.signature, "double-free/yield/step/lifecycle.dealloc");
  EXPECT_EQ(df.kind, "double-free");
  EXPECT_EQ(df.count, 3u);
  EXPECT_EQ(df.first_seen, "2024-05-01T01:00:00Z");
  EXPECT_EQ(df.last_seen, "2024-05-03T01:00:00Z");
  EXPECT_EQ(df.shortest.dir, short_one);
  EXPECT_EQ(df.shortest.steps, 3u);
  EXPECT_EQ(df.shortest.decisions, 2u);
  EXPECT_EQ(df.shortest.replay, "gcstress replay " + short_one + "/repro.json");
  EXPECT_EQ(df.dirs.size(), 3u);
  EXPECT_TRUE(std::is_sorted(df.dirs.begin(), df.dirs.end()));
  EXPECT_EQ(groups[1].count, 1u);
  EXPECT_EQ(groups[1].kind, "leak");
}

TEST_F(TriageTest, ReproOnlyFoldersGroupWithoutTimes) {
  Write("zoo", ViolationKind::kDoubleFree, "x", 5, "", /*with_report=*/false);
  Write("run", ViolationKind::kDoubleFree, "x", 7, "2024-05-02T01:00:00Z");
  Expected<std::vector<ReportFolder>> folders = ScanReports({root_.string()});
  ASSERT_TRUE(folders.ok()) << folders.error().Format();
  const std::vector<TriageGroup> groups = GroupBySignature(*folders);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].count, 2u);
  EXPECT_EQ(groups[0].shortest.steps, 5u);
  EXPECT_FALSE(groups[0].shortest.has_report);
  EXPECT_EQ(groups[0].first_seen, "2024-05-02T01:00:00Z");
}

TEST_F(TriageTest, TableAndJson) {
  Write("a", ViolationKind::kDoubleFree, "lifecycle.dealloc", 3, "2024-05-02T01:00:00Z");
  Write("a", ViolationKind::kDoubleFree, "lifecycle.dealloc", 3, "2024-05-02T02:00:00Z");
  Expected<std::vector<ReportFolder>> folders = ScanReports({root_.string()});
  ASSERT_TRUE(folders.ok());
  const std::vector<TriageGroup> groups = GroupBySignature(*folders);
  const std::string table = FormatTriageTable(groups);
  EXPECT_EQ(table.rfind("count  signature", 0), 0u) << table;
  EXPECT_NE(table.find("2      double-free/yield/step/lifecycle.dealloc  2024-05-02T01:00:00Z  "
                       "2024-05-02T02:00:00Z  3      gcstress replay "),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("triage: 2 report folders, 1 distinct signature\n"), std::string::npos);
  const nlohmann::ordered_json j = TriageToJson(groups, folders->size());
  EXPECT_EQ(j["folders"], 2);
  EXPECT_EQ(j["groups"][0]["count"], 2);
  EXPECT_EQ(j["groups"][0]["shortest"]["steps"], 3);
  EXPECT_EQ(j["groups"][0]["dirs"].size(), 2u);
}

TEST_F(TriageTest, ABrokenReportIsAnErrorNamingIt) {
  const std::string dir = Write("a", ViolationKind::kDoubleFree, "x", 3, "2024-05-02T01:00:00Z");
  std::ofstream(dir + "/report.json") << R"({"gcstress_report": 1})";
  Expected<std::vector<ReportFolder>> folders = ScanReports({root_.string()});
  ASSERT_FALSE(folders.ok());
  EXPECT_EQ(folders.error().file, dir + "/report.json");
  EXPECT_FALSE(ScanReports({(root_ / "missing").string()}).ok());
}

TEST_F(TriageTest, EmptyDirectoryHasNoGroups) {
  Expected<std::vector<ReportFolder>> folders = ScanReports({root_.string()});
  ASSERT_TRUE(folders.ok());
  EXPECT_TRUE(folders->empty());
  EXPECT_EQ(FormatTriageTable({}).find("triage: 0 report folders, 0 distinct signatures"),
            FormatTriageTable({}).rfind("triage:"));
}

// `triage --json`'s keys, in order, are triage_fields.def's rows.
TEST(TriageJsonTest, KeysAreTheFieldTable) {
  TriageGroup g;
  g.signature = "double-free/attach/step/lifecycle.dealloc";
  g.dirs = {"a"};
  const nlohmann::ordered_json j = TriageToJson({g}, 1);
  const std::vector<JsonFieldKey> rows = {
#define GCS_TRIAGE_FIELD GCS_JSON_FIELD_KEY
#include "harness/triage/triage_fields.def"
#undef GCS_TRIAGE_FIELD
  };
  EXPECT_EQ(JsonKeys(j), KeysOf(rows, "TriageView"));
  EXPECT_EQ(JsonKeys(j["groups"][0]), KeysOf(rows, "TriageGroup"));
  EXPECT_EQ(JsonKeys(j["groups"][0]["shortest"]), KeysOf(rows, "ReportFolder"));
}

}  // namespace
}  // namespace gcs::triage
