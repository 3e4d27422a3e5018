// gcstress zoo — JSON of a zoo run and of the detection-speed benchmark, from their field tables
// (zoo_fields.def, zoo_bench_fields.def).
#include "harness/zoo/zoo_report.h"

#include "harness/json_fields.h"

namespace gcs {

using Json = nlohmann::ordered_json;

std::string ReplayCommand(const ZooCell& cell) {
  return cell.replayable && !cell.repro.empty() ? "gcstress replay " + cell.repro : "";
}

namespace {

// What the benchmark's top level and its "faults" items read besides their struct.
struct BenchView {
  const ZooBenchReport& report;
  const ZooBenchOptions& options;
};
struct BenchFaultView {
  const ZooBenchReport& report;
  const ZooBenchFault& fault;
};

std::vector<BenchFaultView> FaultViews(const ZooBenchReport& report) {
  std::vector<BenchFaultView> views;
  for (const ZooBenchFault& f : report.faults)
    views.push_back(BenchFaultView{report, f});
  return views;
}

Json KindOrNull(const std::optional<ViolationKind>& kind) {
  return kind ? Json(std::string(ViolationName(*kind))) : Json(nullptr);
}

double Seconds(std::chrono::milliseconds d) {
  return std::chrono::duration<double>(d).count();
}

Json RowScenarios(const ZooBenchReport& report, const std::vector<size_t>& rows) {
  Json scenarios = Json::array();
  for (size_t i : rows)
    scenarios.push_back(report.rows[i].scenario);
  return scenarios;
}

const std::tuple kFields{
#define GCS_ZOO_FIELD GCS_JSON_FIELD
#include "harness/zoo/zoo_bench_fields.def"
#include "harness/zoo/zoo_fields.def"
#undef GCS_ZOO_FIELD
    JsonFieldsEnd{}};

}  // namespace

Json ZooToJson(const ZooReport& report) {
  return EncodeFields(kFields, report);
}

Json ZooBenchToJson(const ZooBenchReport& report, const ZooBenchOptions& options) {
  return EncodeFields(kFields, BenchView{report, options});
}

}  // namespace gcs
