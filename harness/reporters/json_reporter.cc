// gcstress reporters — report.json: encoding, a strict decoder (triage reads it back), writing.
#include "harness/reporters/json_reporter.h"

#include <fstream>
#include <sstream>

#include "harness/reporters/report_tables.h"
#include "harness/runner/report_dir.h"

namespace gcs::reporters {

using Json = nlohmann::ordered_json;

Json ReportToJson(const FailureReport& r) {
  return report_json::EncodeFields<report_json::ReportTable>(r);
}

std::string ReportSchemaText() {
  std::string out = "report.json, schema " + std::to_string(kReportFormat) +
                    ": one JSON object, keys in this order (all present; lists may be empty)\n";
  report_json::DescribeFields<report_json::ReportTable>(out, 2);
  return out;
}

std::string RenderReportJson(const FailureReport& report) {
  return ReportToJson(report).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Expected<FailureReport> ParseReportJson(std::string_view text, const std::string& file) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InputError{file, "", "not valid JSON"};
  if (!j.is_object()) return InputError{file, "/", "expected a JSON object"};
  try {
    FailureReport out;
    report_json::DecodeFields<report_json::ReportTable>(report_json::Reader(file), j, "", out);
    return out;
  } catch (const report_json::Bad& bad) {
    return bad.error;
  }
}

Expected<FailureReport> LoadReportJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError{path, "", "cannot open"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseReportJson(buffer.str(), path);
}

std::optional<InputError> JsonReporter::ReportFailure(const FailureReport& report) {
  last_path_ = ReportDirOf(report.repro) + "/report.json";
  return WriteFileAtomically(last_path_, RenderReportJson(report));
}

}  // namespace gcs::reporters
