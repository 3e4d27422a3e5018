// gcstress cli — what the commands print.
#include "harness/cli/report_output.h"

#include "harness/cli/progress_line.h"
#include "harness/engine/trace.h"
#include "harness/scenario/scenario_encoder.h"

namespace gcs::cli {

void PrintError(const InputError& error) {
  PrintError(error.Format());
}

void PrintError(const std::string& message) {
  std::string line = message;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "gcstress: error: %s\n", line.c_str());
  std::fflush(stderr);
}

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

std::string TimingLine(const RunSummary& s) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
  return "  " + ProgressLine::Grouped(s.iterations) +
         (s.iterations == 1 ? " execution" : " executions") + " in " + seconds + " s (" +
         ProgressLine::Grouped(static_cast<uint64_t>(s.exec_per_sec)) + " exec/s, " +
         std::to_string(s.workers) + (s.workers == 1 ? " worker)" : " workers)");
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

ExitCode ReportFailure(std::FILE* out, const Scenario& scenario, const RunConfig& config,
                       const Failure& failure, const FailureOutput& options) {
  const Violation& v = failure.violation;
  std::fprintf(out, "  %s: %s\n", v.Signature().c_str(), v.message.c_str());
  std::fprintf(out, "  at %s, iteration %llu, seed %llu\n", FormatLocation(scenario, v).c_str(),
               static_cast<unsigned long long>(failure.iteration),
               static_cast<unsigned long long>(failure.execution.seed));
  if (config.confirm > 0) {
    std::fprintf(out, "  confirmed %u/%u\n", failure.confirmed, config.confirm);
  }
  if (options.trace) PrintTrace(out, scenario, failure.execution.trace);
  ExitCode code = ExitCode::kPass;
  if (options.write_repro) {
    Expected<std::string> path =
        WriteRepro(options.reports_dir, MakeRepro(scenario, config, failure));
    if (path) {
      std::fprintf(out, "  repro: %s\n  replay: gcstress replay %s\n", path->c_str(),
                   path->c_str());
    } else {
      PrintError(path.error());
      code = ExitCode::kBadInput;
    }
  }
  std::fflush(out);
  return code;
}

}  // namespace gcs::cli
