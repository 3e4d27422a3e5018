// gcstress tests — the zoo's JSON: its keys, in order, are zoo_fields.def's and
// zoo_bench_fields.def's rows.
#include "harness/zoo/zoo_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/json_fields.h"

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;

const std::vector<JsonFieldKey> kRows = {
#define GCS_ZOO_FIELD GCS_JSON_FIELD_KEY
#include "harness/zoo/zoo_bench_fields.def"
#include "harness/zoo/zoo_fields.def"
#undef GCS_ZOO_FIELD
};

TEST(ZooReportTest, KeysAreTheFieldTable) {
  ZooReport report;
  report.cells.push_back(ZooCell{.target = "core", .fault = "f", .scenario = "s.json"});
  report.passes.push_back(ZooPassRow{.target = "core", .scenario = "s.json"});
  const Json j = ZooToJson(report);
  EXPECT_EQ(JsonKeys(j), KeysOf(kRows, "ZooReport"));
  EXPECT_EQ(JsonKeys(j["cells"][0]), KeysOf(kRows, "ZooCell"));
  EXPECT_EQ(JsonKeys(j["passes"][0]), KeysOf(kRows, "ZooPassRow"));
  EXPECT_EQ(j["cells"][0]["kind"], nullptr);
}

TEST(ZooReportTest, BenchKeysAreTheFieldTable) {
  ZooBenchReport report;
  report.rows.push_back(ZooBenchRow{.target = "core", .fault = "f", .scenario = "s.json"});
  report.faults.push_back(ZooBenchFault{.fault = "f", .rows = {0}, .judged = 0});
  const Json j = ZooBenchToJson(report, ZooBenchOptions{});
  EXPECT_EQ(JsonKeys(j), KeysOf(kRows, "BenchView"));
  EXPECT_EQ(JsonKeys(j["rows"][0]), KeysOf(kRows, "ZooBenchRow"));
  EXPECT_EQ(JsonKeys(j["rows"][0]["search"]), KeysOf(kRows, "DetectionStats"));
  EXPECT_EQ(JsonKeys(j["rows"][0]["free"]), KeysOf(kRows, "DetectionStats"));
  EXPECT_EQ(JsonKeys(j["faults"][0]), KeysOf(kRows, "BenchFaultView"));
  EXPECT_EQ(j["faults"][0]["scenarios"], Json::array({"s.json"}));
  EXPECT_EQ(j["faults"][0]["judged"], "s.json");
}

}  // namespace
}  // namespace gcs
