// gcstress cli — what the commands print: errors, summaries, failures and their repro files.
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "harness/input_error.h"
#include "harness/reporters/console_reporter.h"
#include "harness/runner/exit_code.h"
#include "harness/runner/repro.h"
#include "harness/runner/runner.h"

namespace gcs::cli {

// One line on stderr: "gcstress: error: <file>: <where>: <message>".
void PrintError(const InputError& error);
void PrintError(const std::string& message);

// True when `result` holds an error, having printed it: the commands' early return on bad input,
// `if (PrintIfError(config)) return ExitCode::kBadInput;`.
template <class T>
bool PrintIfError(const Expected<T>& result) {
  if (result) return false;
  PrintError(result.error());
  return true;
}

// The console format lives with the other reporters (harness/reporters/console_reporter.h):
// FormatLocation, SummaryLine, PrintTrace.
using reporters::FormatLocation;
using reporters::PrintTrace;
using reporters::SummaryLine;

// "  1000 executions in 0.12 s (8,333 exec/s)" — timing, for stderr only.
std::string TimingLine(const RunSummary& summary);

struct FailureOutput {
  std::string reports_dir;
  bool write_repro = true;
  bool trace = false;
  // Free mode: how long the reproduction gate may search for a deterministic repro of the same
  // signature (harness/triage/reproduction_gate.h); 0 = off.
  std::chrono::milliseconds convert_budget{0};
};

// Puts the failure through the reproduction gate (a free-mode failure may come back as a
// deterministic one), prints its details under its summary line (signature and message,
// location, seed, confirmation, optionally the trace), writes its repro, report.json and
// report.html (harness/reporters) and prints
//   repro: reports/<slug>/repro.json
//   replay: gcstress replay reports/<slug>/repro.json
//   converted: ...                                 (free mode: what the gate did)
//   report: reports/<slug>/report.html
// Returns kPass, or kBadInput if the repro could not be written (the error is printed).
ExitCode ReportFailure(std::FILE* out, const Scenario& scenario, const RunConfig& config,
                       const Failure& failure, const FailureOutput& options);

// The runner's hang hook under --no-fork, where a hung execution cannot be unwound: prints
// "HANG <path>: at iteration N" and reports the failure (its repro written) before gcstress exits
// 4, the hang's code whatever the report's.
void ReportHang(std::FILE* out, const std::string& path, const Scenario& scenario,
                const RunConfig& config, const Failure& failure, const FailureOutput& options);

}  // namespace gcs::cli
