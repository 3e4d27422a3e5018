// gcstress tests — report.json: the schema round trip, strict decoding, determinism, content.
#include "harness/reporters/json_reporter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "harness/reporters/report_tables.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/reporters/report_fixture.h"

namespace gcs::reporters {
namespace {

using testing::RefpoolDoubleFree;
using Json = nlohmann::ordered_json;

TEST(JsonReporterTest, RoundTripsTheSchema) {
  GCS_SKIP_UNDER_ASAN();
  const FailureReport& r = RefpoolDoubleFree().report;
  const std::string text = RenderReportJson(r);
  Expected<FailureReport> back = ParseReportJson(text, "report.json");
  ASSERT_TRUE(back.ok()) << back.error().Format();
  EXPECT_EQ(*back, r);
  EXPECT_EQ(RenderReportJson(*back), text);
}

TEST(JsonReporterTest, KeysInTheDocumentedOrder) {
  GCS_SKIP_UNDER_ASAN();
  const Json j = Json::parse(RenderReportJson(RefpoolDoubleFree().report));
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items())
    keys.push_back(k);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"gcstress_report", "scenario", "verdict", "violations",
                                      "violations_source", "config", "schedule", "decisions",
                                      "repro", "replay", "evidence", "reproduction", "threads",
                                      "steps", "objects", "histories", "trace", "timing"}));
  EXPECT_EQ(j["gcstress_report"], kReportFormat);
}

TEST(JsonReporterTest, RecordsTheFailure) {
  GCS_SKIP_UNDER_ASAN();
  const testing::FailingRun& run = RefpoolDoubleFree();
  const Json j = Json::parse(RenderReportJson(run.report));
  EXPECT_EQ(j["verdict"]["kind"], "double-free");
  EXPECT_EQ(j["verdict"]["signature"], run.failure.violation.Signature());
  EXPECT_EQ(j["violations_source"], "replay");
  // Every violation the oracles found, the verdict among them.
  bool has_verdict = false;
  for (const Json& v : j["violations"])
    has_verdict = has_verdict || v == j["verdict"];
  EXPECT_TRUE(has_verdict);
  EXPECT_EQ(j["config"]["faults"], Json::array({"refpool-deferred-incref"}));
  EXPECT_EQ(j["reproduction"]["runs"], 5);
  EXPECT_EQ(j["reproduction"]["reproduced"], 5);
  EXPECT_EQ(j["reproduction"]["rate"], 1.0);
  EXPECT_EQ(j["replay"], "gcstress replay reports/double-free/repro.json");
  EXPECT_EQ(j["schedule"].get<std::string>().rfind("gcs1:", 0), 0u);
  EXPECT_EQ(j["trace"].size(), run.rejudged->execution.trace.entries.size());
  // The per-thread steps: t1's 7 and t2's 2, every one run.
  ASSERT_EQ(j["threads"].size(), 2u);
  EXPECT_EQ(j["threads"][0]["steps"].size(), 7u);
  EXPECT_EQ(j["threads"][1]["steps"].size(), 2u);
  for (const Json& t : j["threads"]) {
    for (const Json& s : t["steps"])
      EXPECT_GE(s["column"].get<int64_t>(), 0) << s;
  }
  // The double-freed allocation: named, freed twice, with its history from creation to frees.
  const uint64_t obj = j["verdict"]["obj"];
  ASSERT_NE(obj, 0u);
  bool found = false;
  for (const Json& o : j["objects"]) {
    if (o["id"] != obj) continue;
    found = true;
    EXPECT_TRUE(o["named"].get<bool>());
    EXPECT_EQ(o["frees"], 2);
  }
  EXPECT_TRUE(found);
  std::vector<std::string> whats;
  for (const Json& h : j["histories"]) {
    if (h["obj"] == obj) whats.push_back(h["what"]);
  }
  ASSERT_FALSE(whats.empty());
  EXPECT_EQ(whats.front(), "created");
  EXPECT_EQ(std::count(whats.begin(), whats.end(), "freed"), 2);
}

TEST(JsonReporterTest, OnlyTimingDependsOnTheClock) {
  GCS_SKIP_UNDER_ASAN();
  const auto again = testing::RunSeedBug("refpool/refpool-minimal.json", "refpool-deferred-incref",
                                         ViolationKind::kDoubleFree, 5);
  FailureReport a = RefpoolDoubleFree().report;
  FailureReport b = again->report;
  b.timing = {"2031-01-01T00:00:00Z", 9.5};
  EXPECT_NE(RenderReportJson(a), RenderReportJson(b));
  a.timing = b.timing = {};
  EXPECT_EQ(RenderReportJson(a), RenderReportJson(b));
}

TEST(JsonReporterTest, RejectsMalformedReportsNamingTheField) {
  GCS_SKIP_UNDER_ASAN();
  const Json good = Json::parse(RenderReportJson(RefpoolDoubleFree().report));
  struct Case {
    std::function<void(Json&)> edit;
    std::string where;
  };
  const std::vector<Case> cases = {
      {[](Json& j) { j.erase("verdict"); }, "/verdict"},
      {[](Json& j) { j["gcstress_report"] = 2; }, "/gcstress_report"},
      {[](Json& j) { j["config"]["seed"] = "1"; }, "/config/seed"},
      {[](Json& j) { j["steps"][0]["events"][0] = 3; }, "/steps/0/events/0"},
      {[](Json& j) { j["threads"][1]["steps"][0].erase("result"); }, "/threads/1/steps/0/result"},
      {[](Json& j) { j["timing"]["run_seconds"] = "slow"; }, "/timing/run_seconds"},
      {[](Json& j) { j["objects"][0]["vm"] = -1.5; }, "/objects/0/vm"},
  };
  for (const Case& c : cases) {
    Json j = good;
    c.edit(j);
    Expected<FailureReport> r = ParseReportJson(j.dump(), "r.json");
    ASSERT_FALSE(r.ok()) << c.where;
    EXPECT_EQ(r.error().file, "r.json");
    EXPECT_NE(r.error().Format().find(c.where), std::string::npos) << r.error().Format();
  }
  EXPECT_FALSE(ParseReportJson("{", "r.json").ok());
  EXPECT_FALSE(ParseReportJson("[]", "r.json").ok());
}

TEST(JsonReporterTest, WritesBesideTheRepro) {
  GCS_SKIP_UNDER_ASAN();
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gcs-json-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sig");
  FailureReport r = RefpoolDoubleFree().report;
  r.repro = (dir / "sig" / "repro.json").string();
  Expected<WrittenReports> written = WriteFailureReports(r);
  ASSERT_TRUE(written.ok()) << written.error().Format();
  EXPECT_EQ(written->json, (dir / "sig" / "report.json").string());
  EXPECT_EQ(written->html, (dir / "sig" / "report.html").string());
  Expected<FailureReport> back = LoadReportJson(written->json);
  ASSERT_TRUE(back.ok()) << back.error().Format();
  EXPECT_EQ(*back, r);
  EXPECT_TRUE(fs::exists(written->html));
  std::error_code ec;
  fs::remove_all(dir, ec);
}

// Walks report_fields.def against an encoded report: each table's keys, in its order, are exactly
// the object's keys; nested tables are checked in every object and array item they describe.
template <class Codec>
struct NestedKeys {
  static void Check(const Json&, const std::string&, std::set<std::string>&) {}
};

template <class Table>
void ExpectTableKeys(const Json& j, const std::string& path, std::set<std::string>& all) {
  ASSERT_TRUE(j.is_object()) << path;
  std::vector<std::string> want, got;
  for (const auto& [k, v] : j.items())
    got.push_back(k);
  Table::ForEach([&](std::string_view key, auto, auto codec, std::string_view doc) {
    want.emplace_back(key);
    all.emplace(key);
    EXPECT_FALSE(doc.empty()) << path << "/" << key;
    if (j.contains(std::string(key))) {
      NestedKeys<decltype(codec)>::Check(j[std::string(key)], path + "/" + std::string(key), all);
    }
  });
  EXPECT_EQ(got, want) << path;
}

template <class Table>
struct NestedKeys<report_json::Object<Table>> {
  static void Check(const Json& j, const std::string& path, std::set<std::string>& all) {
    ExpectTableKeys<Table>(j, path, all);
  }
};

template <class Table>
struct NestedKeys<report_json::ArrayOf<Table>> {
  static void Check(const Json& j, const std::string& path, std::set<std::string>& all) {
    ASSERT_TRUE(j.is_array()) << path;
    EXPECT_FALSE(j.empty()) << path << ": the fixture should fill every list";
    for (size_t i = 0; i < j.size(); ++i)
      ExpectTableKeys<Table>(j[i], path + "/" + std::to_string(i), all);
  }
};

TEST(JsonReporterTest, KeysAreTheFieldTables) {
  GCS_SKIP_UNDER_ASAN();
  const Json j = Json::parse(RenderReportJson(RefpoolDoubleFree().report));
  std::set<std::string> keys;
  ExpectTableKeys<report_json::ReportTable>(j, "", keys);
  // The schema text lists every key of every table.
  const std::string schema = ReportSchemaText();
  for (const std::string& key : keys)
    EXPECT_NE(schema.find("\"" + key + "\": "), std::string::npos) << key << "\n" << schema;
}

// Each field, removed in turn, is the error naming its JSON pointer.
TEST(JsonReporterTest, EveryTopLevelFieldIsRequired) {
  GCS_SKIP_UNDER_ASAN();
  const Json good = Json::parse(RenderReportJson(RefpoolDoubleFree().report));
  report_json::ReportTable::ForEach([&](std::string_view key, auto, auto, std::string_view) {
    Json j = good;
    j.erase(std::string(key));
    Expected<FailureReport> r = ParseReportJson(j.dump(), "r.json");
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.error().Format(), "r.json: /" + std::string(key) + ": missing");
  });
}

}  // namespace
}  // namespace gcs::reporters
