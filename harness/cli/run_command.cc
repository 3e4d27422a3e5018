// gcstress cli — `gcstress run SCENARIO...`: iterations of each scenario, a line per scenario, a
// repro per failure.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/interrupt.h"
#include "harness/cli/report_output.h"
#include "harness/reporters/junit_reporter.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::cli {
namespace {

struct KeptFailure {
  const ScenarioInput* input;
  Failure failure;
};

size_t StepCount(const Scenario& scenario) {
  size_t steps = 0;
  for (const auto& thread : scenario.threads)
    steps += thread.steps.size();
  return steps;
}

// Keeps `failure` if its signature is new, or if its scenario is shorter than the kept one's
// (on equal length the first stays: the order is the generator seeds').
void Keep(std::vector<KeptFailure>& kept, const ScenarioInput& input, const Failure& failure) {
  const std::string signature = failure.violation.Signature();
  for (KeptFailure& k : kept) {
    if (k.failure.violation.Signature() != signature) continue;
    if (StepCount(input.scenario) < StepCount(k.input->scenario)) k = {&input, failure};
    return;
  }
  kept.push_back({&input, failure});
}

}  // namespace

ExitCode RunCommand(const Invocation& inv) {
  Expected<RunConfig> config = MakeRunConfig(inv.flags, Command::kRun);
  if (PrintIfError(config)) return ExitCode::kBadInput;
  Expected<Runner> runner = Runner::Create(*config);
  if (PrintIfError(runner)) return ExitCode::kBadInput;
  Expected<std::vector<ScenarioInput>> inputs =
      LoadScenarioFiles(inv.inputs, runner->ScenarioLoadOptions());
  if (PrintIfError(inputs)) return ExitCode::kBadInput;
  // --generate N: after the files, the scenarios `gcstress gen --seed S --count N` prints. All are
  // made before anything runs, like files are loaded, so N is bounded by memory: 100000 is about
  // 300 MB; more is a second run with the next --seed.
  constexpr uint64_t kMaxGenerate = 100000;
  if (inv.flags.generate > kMaxGenerate) {
    PrintError(InputError{"<flag>", "--generate",
                          "at most " + std::to_string(kMaxGenerate) + " scenarios per run"});
    return ExitCode::kBadInput;
  }
  if (inv.inputs.empty() && inv.flags.generate == 0) {
    PrintError(InputError{"<command line>", "", "run needs SCENARIO files or --generate N"});
    return ExitCode::kBadInput;
  }
  if (inv.flags.generate > 0) {
    Expected<std::vector<Scenario>> generated = GenerateScenarios(
        inv.flags, inv.flags.generate, runner->ScenarioLoadOptions().supported_ops);
    if (PrintIfError(generated)) return ExitCode::kBadInput;
    for (Scenario& s : *generated)
      inputs->push_back(ScenarioInput{s.name, std::move(s)});
  }
  RunHooks hooks;
  hooks.interrupt = InstallInterruptHandler();
  Expected<std::chrono::milliseconds> convert_budget =
      ParseDuration(inv.flags.convert_budget, "--convert-budget");
  if (PrintIfError(convert_budget)) return ExitCode::kBadInput;
  const FailureOutput output{inv.flags.reports, !inv.flags.no_repro, inv.flags.trace,
                             *convert_budget};
  // Each scenario is a case: its line on the console, and with --junit a testcase.
  reporters::ConsoleReporter console(stdout);
  std::optional<reporters::JUnitReporter> junit;
  if (!inv.flags.junit.empty()) junit.emplace(inv.flags.junit);
  ExitCode code = ExitCode::kPass;
  const ScenarioInput* current = nullptr;
  hooks.hang = [&](const Failure& failure) {
    ReportHang(stdout, current->path, current->scenario, *config, failure, output);
  };
  // Generated scenarios are a search: it stops at its first failure, and with --keep-going it
  // keeps one repro per distinct signature (of the shortest scenario that showed it) and counts
  // the rest, so that a night against a broken build writes a folder per bug, not per scenario.
  const size_t files = inputs->size() - inv.flags.generate;
  std::vector<KeptFailure> kept;  // generated failures, a signature each, in order of appearance
  uint64_t generated_failures = 0;
  for (size_t n = 0; n < inputs->size(); ++n) {
    const ScenarioInput& input = (*inputs)[n];
    current = &input;
    const RunSummary summary = runner->Run(input.scenario, hooks);
    const reporters::CaseResult result = reporters::MakeRunCase(
        "run", config->target, input.path, input.scenario, summary, config->seed);
    console.ReportCase(result);
    if (junit) junit->ReportCase(result);
    std::fprintf(stderr, "%s\n", TimingLine(summary).c_str());
    if (summary.stop == StopReason::kInternalError) {
      code = WorseExitCode(code, ExitCode::kInternalError);
      continue;
    }
    const bool generated = n >= files;
    for (const Failure& failure : summary.failures) {
      code = WorseExitCode(code, ExitCodeForVerdict(failure.violation));
      if (generated && config->keep_going) {
        ++generated_failures;
        Keep(kept, input, failure);
        continue;
      }
      code = WorseExitCode(code, ReportFailure(stdout, input.scenario, *config, failure, output));
    }
    if (summary.stop == StopReason::kInterrupted) break;
    if (generated && !config->keep_going && !summary.failures.empty()) {
      std::printf(
          "stopped at the first failing generated scenario (%zu of %llu; --keep-going: "
          "search on, a repro per distinct signature)\n",
          n - files + 1, static_cast<unsigned long long>(inv.flags.generate));
      break;
    }
  }
  for (const KeptFailure& k : kept) {
    code =
        WorseExitCode(code, ReportFailure(stdout, k.input->scenario, *config, k.failure, output));
  }
  if (generated_failures > 0) {
    std::printf(
        "generated: %llu failure(s) of %zu distinct signature(s); one repro each, of the "
        "shortest scenario; %llu not saved\n",
        static_cast<unsigned long long>(generated_failures), kept.size(),
        static_cast<unsigned long long>(generated_failures - kept.size()));
  }
  if (junit) {
    if (auto error = junit->Finish()) {
      PrintError(*error);
      code = WorseExitCode(code, ExitCode::kBadInput);
    }
  }
  return code;
}

}  // namespace gcs::cli
