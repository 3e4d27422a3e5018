// gcstress cli — `gcstress check SCENARIO...`: every scenario's expect block, as a table.
#include <algorithm>
#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/interrupt.h"
#include "harness/cli/report_output.h"
#include "harness/cli/table.h"
#include "harness/runner/expect_check.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::cli {
namespace {

std::string JoinFaults(const std::vector<std::string>& faults) {
  std::string out;
  for (const std::string& f : faults)
    out += (out.empty() ? "" : ",") + f;
  return out.empty() ? "-" : out;
}

}  // namespace

ExitCode CheckCommand(const Invocation& inv) {
  Expected<RunConfig> config = MakeRunConfig(inv.flags, Command::kCheck);
  if (PrintIfError(config)) return ExitCode::kBadInput;
  // Validates target and strategy once, and gives the scenarios' load options.
  Expected<Runner> probe = Runner::Create(*config);
  if (PrintIfError(probe)) return ExitCode::kBadInput;
  Expected<std::vector<ScenarioInput>> inputs =
      LoadScenarioFiles(inv.inputs, probe->ScenarioLoadOptions());
  if (PrintIfError(inputs)) return ExitCode::kBadInput;
  RunHooks hooks;
  hooks.interrupt = InstallInterruptHandler();
  const FailureOutput output{inv.flags.reports, !inv.flags.no_repro, false};
  const TargetFactory factory = NamedTarget(config->target);
  ExitCode code = ExitCode::kPass;
  size_t entries = 0, mismatches = 0;
  for (const ScenarioInput& input : *inputs) {
    Expected<std::vector<ExpectationResult>> results =
        CheckExpectations(input.scenario, *config, factory, hooks);
    if (PrintIfError(results)) return ExitCode::kBadInput;
    // A target column only where some entry names a target.
    const bool targeted = std::any_of(results->begin(), results->end(),
                                      [](const auto& r) { return !r.expectation.target.empty(); });
    std::vector<TableRow> rows;
    for (const ExpectationResult& r : *results) {
      const RunSummary& s = r.summary;
      const std::string target = r.expectation.target.empty() ? "-" : r.expectation.target;
      auto add = [&](TableRow row) {
        if (targeted) row.insert(row.begin(), target);
        rows.push_back(std::move(row));
      };
      if (r.other_target) {
        add({JoinFaults(r.expectation.faults),
             r.expectation.violation ? std::string(ViolationName(*r.expectation.violation))
                                     : "pass",
             "-", "-", "skipped (another target's entry)"});
        continue;
      }
      const std::string expected =
          r.expectation.violation ? std::string(ViolationName(*r.expectation.violation)) : "pass";
      // What the run found: the expected kind if it did, else its first verdict.
      const std::string got = s.stop == StopReason::kInternalError ? "internal error"
                              : r.ok                               ? expected
                              : s.first_failure
                                  ? std::string(ViolationName(s.first_failure->violation.kind))
                                  : "pass";
      const std::string result = s.stop == StopReason::kInternalError ? "ERROR"
                                 : r.ok                               ? "ok"
                                                                      : "MISMATCH";
      add({JoinFaults(r.expectation.faults), expected + (r.implicit ? " (implicit)" : ""), got,
           std::to_string(s.iterations), result});
    }
    std::printf("check %s\n%s", input.path.c_str(),
                FormatTable(targeted ? std::vector<std::string>{"target", "faults", "expected",
                                                                "got", "iterations", "result"}
                                     : std::vector<std::string>{"faults", "expected", "got",
                                                                "iterations", "result"},
                            rows, false, "  ")
                    .c_str());
    for (const ExpectationResult& r : *results) {
      ++entries;
      const RunSummary& s = r.summary;
      if (s.stop == StopReason::kInternalError) {
        std::printf("  internal error: %s\n", s.internal_error.c_str());
        code = WorseExitCode(code, ExitCode::kInternalError);
        continue;
      }
      if (r.ok) continue;
      ++mismatches;
      code = WorseExitCode(code, ExitCode::kViolation);
      std::printf("  %s: %s\n", r.mismatch->Signature().c_str(), r.mismatch->message.c_str());
      if (s.first_failure) {
        // An unexpected violation: keep it.
        RunConfig entry_config = *config;
        entry_config.faults = r.expectation.faults;
        code = WorseExitCode(
            code, ReportFailure(stdout, input.scenario, entry_config, *s.first_failure, output));
      }
    }
    std::fflush(stdout);
    if (hooks.interrupt->load()) break;
  }
  std::printf("check: %zu scenario%s, %zu expectation%s, %zu mismatch%s\n", inputs->size(),
              inputs->size() == 1 ? "" : "s", entries, entries == 1 ? "" : "s", mismatches,
              mismatches == 1 ? "" : "es");
  std::fflush(stdout);
  return code;
}

}  // namespace gcs::cli
