// gcstress reporters — ConsoleReporter: what the CLI prints, one line per scenario and a block
// per failure; the default reporter. The formatting functions moved here from the CLI.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "harness/engine/trace.h"
#include "harness/reporters/reporter.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"

namespace gcs::reporters {

// "t1 step 5 (drop obj)", "teardown", "t1" — where a violation showed.
std::string FormatLocation(const Scenario& scenario, const Violation& v);

// The first line for one scenario's run, deterministic (no times):
//   PASS refpool-clone-drop: 1000 iterations, no violation [pct:depth=3,steps=17 seed=1]
//   PASS tiny: explored all 12 schedules, no violation [dfs:max-preemptions=2 seed=1]
//   FAIL refpool-clone-drop: double-free at iteration 17 (18 iterations) [pct:... seed=1]
//   FAIL x: 12 violations in 1000 iterations, 2 distinct signatures [... seed=1]
//   ERROR x: internal error: nondeterminism: ...
std::string SummaryLine(const std::string& name, const RunSummary& summary, uint64_t seed);

// "  trace:" and the formatted trace, each line indented by four spaces.
void PrintTrace(std::FILE* out, const Scenario& scenario, const Trace& trace);

// A scenario's run as a case: its SummaryLine, and per failure (summary.failures) its signature
// and message, location and iteration. Status: pass, fail (a violation), error (internal error).
CaseResult MakeRunCase(const std::string& suite, const std::string& group, const std::string& name,
                       const Scenario& scenario, const RunSummary& summary, uint64_t seed);

// Prints each case's summary line, and after a failure's repro was written the lines that say
// what the reproduction gate did and where its reports are:
//   converted: <what the gate did>          (free mode only)
//   report: reports/<slug>/report.html
class ConsoleReporter final : public Reporter {
 public:
  explicit ConsoleReporter(std::FILE* out) : out_(out) {}
  std::string_view Name() const override { return "console"; }
  void ReportCase(const CaseResult& result) override;
  std::optional<InputError> ReportFailure(const FailureReport& report) override;

 private:
  std::FILE* out_;
};

}  // namespace gcs::reporters
