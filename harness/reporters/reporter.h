// gcstress reporters — Reporter: the one interface every output format implements (console,
// report.json, report.html, JUnit XML), picked by name.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"
#include "harness/reporters/failure_report.h"

namespace gcs::reporters {

// What one scenario's run (or one zoo cell, or one expectation) came to: a JUnit testcase, a
// console summary line.
struct CaseResult {
  enum class Status : uint8_t { kPass, kFail, kError, kSkipped };
  std::string suite;  // "run", "zoo", "check", ...
  std::string group;  // a finer class: the target, or the zoo cell's fault
  std::string name;   // the scenario path, or "<scenario> [<strategy>]"
  Status status = Status::kPass;
  std::string summary;  // one line, e.g. SummaryLine
  std::string details;  // more lines: per failure its signature, message, location, replay command
  double seconds = 0;   // timing only
  bool operator==(const CaseResult&) const = default;
};

std::string_view CaseStatusName(CaseResult::Status status);

// A reporter hears about each case as it finishes and each failure once its repro is written;
// Finish writes whatever it accumulated. Each hook has a default that ignores it: formats differ
// in what they are about (JUnit: cases; report.json: failures). Not thread-safe.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual std::string_view Name() const = 0;
  virtual void ReportCase(const CaseResult& result) { (void)result; }
  // `report.repro` names the repro file; file reporters write beside it.
  virtual std::optional<InputError> ReportFailure(const FailureReport& report) {
    (void)report;
    return std::nullopt;
  }
  virtual std::optional<InputError> Finish() { return std::nullopt; }
};

struct ReporterOptions {
  std::FILE* out = stdout;  // console
  std::string path;         // junit: the file to write
};

// "console", "json", "html", "junit"; nullptr for an unknown name.
std::unique_ptr<Reporter> MakeReporter(std::string_view name, const ReporterOptions& options = {});
const std::vector<std::string>& ReporterNames();

// The files every failure gets beside its repro.json (DESIGN §8): report.json and report.html.
struct WrittenReports {
  std::string json;
  std::string html;
};
Expected<WrittenReports> WriteFailureReports(const FailureReport& report);

// The directory of a repro path: "reports/x/repro.json" -> "reports/x".
std::string ReportDirOf(const std::string& repro_path);

}  // namespace gcs::reporters
