// gcstress cli — what the commands print: errors, summaries, failures and their repro files.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "harness/input_error.h"
#include "harness/runner/exit_code.h"
#include "harness/runner/repro.h"
#include "harness/runner/runner.h"

namespace gcs::cli {

// One line on stderr: "gcstress: error: <file>: <where>: <message>".
void PrintError(const InputError& error);
void PrintError(const std::string& message);

// "t1 step 5 (drop obj)", "teardown", "t1" — where a violation showed.
std::string FormatLocation(const Scenario& scenario, const Violation& v);

// The first line for one scenario's run, deterministic (no times):
//   PASS refpool-clone-drop: 1000 iterations, no violation [pct:depth=3,steps=17 seed=1]
//   PASS tiny: explored all 12 schedules, no violation [dfs:max-preemptions=2 seed=1]
//   FAIL refpool-clone-drop: double-free at iteration 17 (18 iterations) [pct:... seed=1]
//   FAIL x: 12 violations in 1000 iterations, 2 distinct signatures [... seed=1]
//   ERROR x: internal error: nondeterminism: ...
std::string SummaryLine(const std::string& name, const RunSummary& summary, uint64_t seed);

// "  1000 executions in 0.12 s (8,333 exec/s)" — timing, for stderr only.
std::string TimingLine(const RunSummary& summary);

// "  trace:" and the formatted trace, each line indented by four spaces.
void PrintTrace(std::FILE* out, const Scenario& scenario, const Trace& trace);

struct FailureOutput {
  std::string reports_dir;
  bool write_repro = true;
  bool trace = false;
};

// Prints a failure's details under its summary line (signature and message, location, seed,
// confirmation, optionally the trace), writes its repro and prints
//   repro: reports/<slug>/repro.json
//   replay: gcstress replay reports/<slug>/repro.json
// Returns kPass, or kBadInput if the repro could not be written (the error is printed).
ExitCode ReportFailure(std::FILE* out, const Scenario& scenario, const RunConfig& config,
                       const Failure& failure, const FailureOutput& options);

}  // namespace gcs::cli
