// gcstress reporters — the console format.
#include "harness/reporters/console_reporter.h"

#include "harness/scenario/scenario_encoder.h"

namespace gcs::reporters {

std::string FormatLocation(const Scenario& scenario, const Violation& v) {
  if (v.thread >= scenario.threads.size()) return "teardown";
  const ThreadSpec& t = scenario.threads[v.thread];
  if (v.step >= t.steps.size()) return t.name;
  return t.name + " step " + std::to_string(v.step) + " (" + FormatStep(scenario, t.steps[v.step]) +
         ")";
}

std::string SummaryLine(const std::string& name, const RunSummary& s, uint64_t seed) {
  const std::string config = " [" + s.strategy + " seed=" + std::to_string(seed) + "]";
  const std::string stopped = s.stop == StopReason::kTimeBudget    ? " (time budget reached)"
                              : s.stop == StopReason::kInterrupted ? " (interrupted)"
                                                                   : "";
  if (s.stop == StopReason::kInternalError) {
    return "ERROR " + name + ": internal error: " + s.internal_error;
  }
  const std::string runs =
      s.stop == StopReason::kExhausted
          ? "explored all " + std::to_string(s.iterations) + " schedules"
          : std::to_string(s.iterations) + (s.iterations == 1 ? " iteration" : " iterations");
  if (!s.first_failure) return "PASS " + name + ": " + runs + ", no violation" + stopped + config;
  if (s.failures.size() == 1 && s.violations == 1) {
    const Failure& f = *s.first_failure;
    return "FAIL " + name + ": " + std::string(ViolationName(f.violation.kind)) + " at iteration " +
           std::to_string(f.iteration) + " (" + runs + ")" + stopped + config;
  }
  return "FAIL " + name + ": " + std::to_string(s.violations) + " violations in " + runs + ", " +
         std::to_string(s.failures.size()) + " distinct signature" +
         (s.failures.size() == 1 ? "" : "s") + stopped + config;
}

void PrintTrace(std::FILE* out, const Scenario& scenario, const Trace& trace) {
  std::fprintf(out, "  trace:\n");
  const std::string text = FormatTrace(scenario, trace);
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string::npos ? text.size() : nl;
    std::fprintf(out, "    %.*s\n", static_cast<int>(end - start), text.data() + start);
    start = end + 1;
  }
}

CaseResult MakeRunCase(const std::string& suite, const std::string& group, const std::string& name,
                       const Scenario& scenario, const RunSummary& summary, uint64_t seed) {
  CaseResult c;
  c.suite = suite;
  c.group = group;
  c.name = name;
  c.summary = SummaryLine(name, summary, seed);
  c.seconds = summary.seconds;
  if (summary.stop == StopReason::kInternalError) {
    c.status = CaseResult::Status::kError;
    c.details = summary.internal_error + "\n";
    return c;
  }
  c.status = summary.failures.empty() ? CaseResult::Status::kPass : CaseResult::Status::kFail;
  for (const Failure& f : summary.failures) {
    c.details += f.violation.Signature() + ": " + f.violation.message + "\n  at " +
                 FormatLocation(scenario, f.violation) + ", iteration " +
                 std::to_string(f.iteration) + ", seed " + std::to_string(f.execution.seed) + "\n";
  }
  return c;
}

void ConsoleReporter::ReportCase(const CaseResult& result) {
  std::fprintf(out_, "%s\n", result.summary.c_str());
  std::fflush(out_);
}

std::optional<InputError> ConsoleReporter::ReportFailure(const FailureReport& report) {
  if (!report.reproduction.conversion.empty()) {
    std::fprintf(out_, "  converted: %s\n", report.reproduction.conversion.c_str());
  }
  std::fprintf(out_, "  report: %s/report.html\n", ReportDirOf(report.repro).c_str());
  std::fflush(out_);
  return std::nullopt;
}

}  // namespace gcs::reporters
