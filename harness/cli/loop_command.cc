// gcstress cli — `gcstress loop SCENARIO`: `while cargo test; do :; done`, deterministic. Seeds
// until a failure, a time limit or Ctrl-C, with a live status line.
#include <unistd.h>

#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/interrupt.h"
#include "harness/cli/progress_line.h"
#include "harness/cli/report_output.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::cli {

ExitCode LoopCommand(const Invocation& inv) {
  Expected<RunConfig> config = MakeRunConfig(inv.flags, Command::kLoop);
  if (PrintIfError(config)) return ExitCode::kBadInput;
  Expected<std::chrono::milliseconds> status_every =
      ParseDuration(inv.flags.status_every, "--status-every");
  if (PrintIfError(status_every)) return ExitCode::kBadInput;
  Expected<Runner> runner = Runner::Create(*config);
  if (PrintIfError(runner)) return ExitCode::kBadInput;
  Expected<std::vector<ScenarioInput>> inputs =
      LoadScenarioFiles(inv.inputs, runner->ScenarioLoadOptions());
  if (PrintIfError(inputs)) return ExitCode::kBadInput;
  const ScenarioInput& input = inputs->at(0);
  Expected<std::chrono::milliseconds> convert_budget =
      ParseDuration(inv.flags.convert_budget, "--convert-budget");
  if (PrintIfError(convert_budget)) return ExitCode::kBadInput;
  const FailureOutput output{inv.flags.reports, !inv.flags.no_repro, false, *convert_budget};
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  // Redrawn 10 times a second on a terminal; otherwise the runner's ticks are filtered down to
  // one line every --status-every.
  ProgressLine progress(stderr, terminal, *status_every);
  ExitCode code = ExitCode::kPass;

  RunHooks hooks;
  hooks.interrupt = InstallInterruptHandler();
  hooks.hang = [&](const Failure& failure) {
    ReportHang(stdout, input.path, input.scenario, *config, failure, output);
  };
  hooks.progress_interval = std::chrono::milliseconds(100);
  hooks.progress = [&](const RunProgress& p) { progress.Update(p); };
  // The repro a loop writes is minimized first (--no-minimize: the failing execution as found).
  auto report = [&](const Failure& failure) {
    if (inv.flags.no_minimize || !output.write_repro) {
      return ReportFailure(stdout, input.scenario, *config, failure, output);
    }
    const MinimizedFailure m = MinimizeFailure(stdout, input.scenario, *config, failure);
    return ReportFailure(stdout, m.scenario, *config, m.failure, output);
  };
  if (config->keep_going) {
    // Without --until-fail each new signature is reported (and its repro written) as soon as it
    // is found, so a loop left running overnight keeps what it found even if it is killed.
    hooks.new_signature = [&](const Failure& failure) {
      progress.Finish();
      std::printf("FAIL %s: %s at iteration %llu\n", input.path.c_str(),
                  std::string(ViolationName(failure.violation.kind)).c_str(),
                  static_cast<unsigned long long>(failure.iteration));
      code = WorseExitCode(code, ExitCodeForVerdict(failure.violation));
      code = WorseExitCode(code, report(failure));
    };
  }

  const RunSummary summary = runner->Run(input.scenario, hooks);
  progress.Finish();
  std::printf("loop %s\n", SummaryLine(input.path, summary, config->seed).c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", TimingLine(summary).c_str());
  if (summary.stop == StopReason::kInternalError) return ExitCode::kInternalError;
  if (!config->keep_going) {
    for (const Failure& failure : summary.failures) {
      code = WorseExitCode(code, ExitCodeForVerdict(failure.violation));
      code = WorseExitCode(code, report(failure));
    }
  }
  return code;
}

}  // namespace gcs::cli
