// gcstress cli — what the commands print.
#include "harness/cli/report_output.h"

#include "harness/cli/progress_line.h"
#include "harness/engine/trace.h"
#include "harness/reporters/console_reporter.h"
#include "harness/reporters/rejudge.h"
#include "harness/runner/report_dir.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/triage/reproduction_gate.h"

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

std::string TimingLine(const RunSummary& s) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
  return "  " + ProgressLine::Grouped(s.iterations) +
         (s.iterations == 1 ? " execution" : " executions") + " in " + seconds + " s (" +
         ProgressLine::Grouped(static_cast<uint64_t>(s.exec_per_sec)) + " exec/s, " +
         std::to_string(s.workers) + (s.workers == 1 ? " worker)" : " workers)");
}

namespace {

// report.json and report.html beside the repro; the console says where.
ExitCode WriteReports(std::FILE* out, const Scenario& scenario, const triage::GatedFailure& gated,
                      const std::string& repro_path, const std::string& evidence_path) {
  reporters::ReportInput in;
  in.scenario = &scenario;
  in.config = &gated.config;
  in.failure = &gated.failure;
  // Every violation of the execution, not only the verdict: replayed here when that is safe.
  const std::optional<reporters::Rejudged> rejudged =
      reporters::Rejudge(scenario, gated.config, gated.failure);
  in.trace = rejudged ? &rejudged->execution.trace : &gated.failure.execution.trace;
  if (rejudged) in.violations = rejudged->violations;
  in.repro_path = repro_path;
  in.evidence_path = evidence_path;
  in.reproduction = gated.reproduction;
  in.timing.found_at = reporters::UtcNow();
  const reporters::FailureReport report = reporters::MakeFailureReport(in);
  Expected<reporters::WrittenReports> written = reporters::WriteFailureReports(report);
  if (PrintIfError(written)) return ExitCode::kBadInput;
  reporters::ConsoleReporter(out).ReportFailure(report);
  return ExitCode::kPass;
}

}  // namespace

ExitCode ReportFailure(std::FILE* out, const Scenario& scenario, const RunConfig& found_config,
                       const Failure& found, const FailureOutput& options) {
  // The reproduction gate first: what is reported (and written as the repro) may be a
  // deterministic failure found for a free-mode one.
  const triage::GatedFailure gated = triage::GateFailure(
      scenario, found_config, found, triage::GateOptions{.convert_budget = options.convert_budget});
  const RunConfig& config = gated.config;
  const Failure& failure = gated.failure;
  const Violation& v = failure.violation;
  std::fprintf(out, "  %s: %s\n", v.Signature().c_str(), v.message.c_str());
  std::fprintf(out, "  at %s, iteration %llu, seed %llu\n", FormatLocation(scenario, v).c_str(),
               static_cast<unsigned long long>(failure.iteration),
               static_cast<unsigned long long>(failure.execution.seed));
  if (config.confirm > 0) {
    std::fprintf(out, "  confirmed %u/%u\n", failure.confirmed, config.confirm);
  }
  if (options.trace) {
    if (failure.execution.trace.entries.empty() &&
        failure.execution.outcome == sched::ExecutionResult::Outcome::kAborted) {
      // A death in a child process leaves its schedule, not its trace.
      std::fprintf(out,
                   "  trace: none (the execution's process died; to watch it, replay the "
                   "repro with --no-fork --trace, or under gdb)\n");
    } else {
      PrintTrace(out, scenario, failure.execution.trace);
    }
  }
  ExitCode code = ExitCode::kPass;
  if (options.write_repro) {
    Expected<std::string> path =
        WriteRepro(options.reports_dir, MakeRepro(scenario, config, failure));
    if (path) {
      if (!failure.evidence.empty()) {
        // The raw report beside the repro: addresses and pids are fine there, nothing reads it
        // back.
        const std::string file =
            path->substr(0, path->rfind('/') + 1) +
            (failure.evidence_file.empty() ? "crash.txt" : failure.evidence_file);
        if (auto error = WriteFileAtomically(file, failure.evidence)) {
          PrintError(*error);
          code = ExitCode::kBadInput;
        } else {
          std::fprintf(out, "  %s: %s\n",
                       failure.evidence_file == "sanitizer.txt" ? "sanitizer report" : "output",
                       file.c_str());
        }
      }
      std::fprintf(out, "  repro: %s\n  replay: gcstress replay %s\n", path->c_str(),
                   path->c_str());
      const std::string evidence_path =
          failure.evidence.empty()
              ? std::string()
              : path->substr(0, path->rfind('/') + 1) +
                    (failure.evidence_file.empty() ? "crash.txt" : failure.evidence_file);
      code = WorseExitCode(code, WriteReports(out, scenario, gated, *path, evidence_path));
    } else {
      PrintError(path.error());
      code = ExitCode::kBadInput;
    }
  }
  std::fflush(out);
  return code;
}

void ReportHang(std::FILE* out, const std::string& path, const Scenario& scenario,
                const RunConfig& config, const Failure& failure, const FailureOutput& options) {
  std::fprintf(out, "HANG %s: at iteration %llu\n", path.c_str(),
               static_cast<unsigned long long>(failure.iteration));
  ReportFailure(out, scenario, config, failure, options);
}

}  // namespace gcs::cli
