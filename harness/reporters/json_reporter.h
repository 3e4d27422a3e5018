// gcstress reporters — JsonReporter: report.json, a failure for programs (triage, dashboards).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "harness/reporters/failure_report.h"
#include "harness/reporters/reporter.h"

// report.json, schema 1: one JSON object whose keys, order, types and meanings are declared once
// in report_fields.def; the encoder, the strict decoder and ReportSchemaText come from it. All keys
// are present (lists may be empty); u64 fields take the full range. Everything but "timing" is a
// pure function of the failing execution: the same failure gives the same bytes.

namespace gcs::reporters {

nlohmann::ordered_json ReportToJson(const FailureReport& report);
// The schema as text, one line per field (nested objects indented under their key).
std::string ReportSchemaText();
// Two-space indentation and a final newline.
std::string RenderReportJson(const FailureReport& report);
// Errors name the file and the JSON pointer of the bad field.
Expected<FailureReport> ParseReportJson(std::string_view text, const std::string& file);
Expected<FailureReport> LoadReportJson(const std::string& path);

// Writes <dir of report.repro>/report.json atomically.
class JsonReporter final : public Reporter {
 public:
  std::string_view Name() const override { return "json"; }
  std::optional<InputError> ReportFailure(const FailureReport& report) override;
  const std::string& last_path() const { return last_path_; }

 private:
  std::string last_path_;
};

}  // namespace gcs::reporters
