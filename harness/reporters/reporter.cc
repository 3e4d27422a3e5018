// gcstress reporters — picking a reporter by name; the files of a failure.
#include "harness/reporters/reporter.h"

#include "harness/reporters/console_reporter.h"
#include "harness/reporters/html_reporter.h"
#include "harness/reporters/json_reporter.h"
#include "harness/reporters/junit_reporter.h"

namespace gcs::reporters {

std::string_view CaseStatusName(CaseResult::Status status) {
  switch (status) {
    case CaseResult::Status::kPass:
      return "pass";
    case CaseResult::Status::kFail:
      return "fail";
    case CaseResult::Status::kError:
      return "error";
    case CaseResult::Status::kSkipped:
      return "skipped";
  }
  return "?";
}

const std::vector<std::string>& ReporterNames() {
  static const std::vector<std::string> kNames = {"console", "json", "html", "junit"};
  return kNames;
}

std::unique_ptr<Reporter> MakeReporter(std::string_view name, const ReporterOptions& options) {
  if (name == "console") return std::make_unique<ConsoleReporter>(options.out);
  if (name == "json") return std::make_unique<JsonReporter>();
  if (name == "html") return std::make_unique<HtmlReporter>();
  if (name == "junit") return std::make_unique<JUnitReporter>(options.path);
  return nullptr;
}

std::string ReportDirOf(const std::string& repro_path) {
  const size_t slash = repro_path.rfind('/');
  return slash == std::string::npos ? "." : repro_path.substr(0, slash);
}

Expected<WrittenReports> WriteFailureReports(const FailureReport& report) {
  JsonReporter json;
  HtmlReporter html;
  if (auto error = json.ReportFailure(report)) return *error;
  if (auto error = html.ReportFailure(report)) return *error;
  return WrittenReports{json.last_path(), html.last_path()};
}

}  // namespace gcs::reporters
