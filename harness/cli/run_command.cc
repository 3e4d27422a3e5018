// gcstress cli — `gcstress run SCENARIO...`: iterations of each scenario, a line per scenario, a
// repro per failure.
#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/interrupt.h"
#include "harness/cli/report_output.h"
#include "harness/cli/scenario_inputs.h"
#include "harness/runner/runner.h"

namespace gcs::cli {

ExitCode RunCommand(const Invocation& inv) {
  Expected<RunConfig> config = MakeRunConfig(inv.flags, Command::kRun);
  if (!config) {
    PrintError(config.error());
    return ExitCode::kBadInput;
  }
  Expected<Runner> runner = Runner::Create(*config);
  if (!runner) {
    PrintError(runner.error());
    return ExitCode::kBadInput;
  }
  Expected<std::vector<ScenarioInput>> inputs =
      LoadScenarioInputs(inv.inputs, runner->ScenarioLoadOptions());
  if (!inputs) {
    PrintError(inputs.error());
    return ExitCode::kBadInput;
  }
  RunHooks hooks;
  hooks.interrupt = InstallInterruptHandler();
  const FailureOutput output{inv.flags.reports, !inv.flags.no_repro, inv.flags.trace};
  ExitCode code = ExitCode::kPass;
  for (const ScenarioInput& input : *inputs) {
    const RunSummary summary = runner->Run(input.scenario, hooks);
    std::printf("%s\n", SummaryLine(input.path, summary, config->seed).c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", TimingLine(summary).c_str());
    if (summary.stop == StopReason::kInternalError) {
      code = WorseExitCode(code, ExitCode::kInternalError);
      continue;
    }
    for (const Failure& failure : summary.failures) {
      code = WorseExitCode(code, ExitCodeForVerdict(failure.violation));
      code = WorseExitCode(code, ReportFailure(stdout, input.scenario, *config, failure, output));
    }
    if (summary.stop == StopReason::kInterrupted) break;
  }
  return code;
}

}  // namespace gcs::cli
