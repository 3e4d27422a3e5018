// gcstress tests — the shared failing run.
#include "tests/harness/reporters/report_fixture.h"

#include <gtest/gtest.h>

#include "core/check.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::reporters::testing {

std::unique_ptr<FailingRun> RunSeedBug(const std::string& scenario_path, const std::string& fault,
                                       ViolationKind kind, uint32_t confirm) {
  auto run = std::make_unique<FailingRun>();
  run->config.target = "core";
  run->config.faults = {fault};
  run->config.strategy = "pct";
  run->config.seed = 1;
  run->config.iterations = 20000;
  run->config.keep_going = true;
  run->config.stop_on_kind = kind;
  run->config.confirm = confirm;
  Expected<Runner> runner = Runner::Create(run->config);
  GCS_CHECK_MSG(runner.ok(), "the fixture's config is valid");
  Expected<Scenario> scenario = LoadScenarioFile(
      std::string(GCS_SOURCE_DIR) + "/scenarios/" + scenario_path, runner->ScenarioLoadOptions());
  GCS_CHECK_MSG(scenario.ok(), "the fixture's scenario loads");
  run->scenario = std::move(scenario).value();
  const RunSummary summary = runner->Run(run->scenario);
  for (const Failure& f : summary.failures) {
    if (f.violation.kind == kind) run->failure = f;
  }
  GCS_CHECK_MSG(run->failure.violation.kind == kind, "pct finds the seed bug's violation");
  run->rejudged = Rejudge(run->scenario, run->config, run->failure);
  ReportInput in;
  in.scenario = &run->scenario;
  in.config = &run->config;
  in.failure = &run->failure;
  in.trace = run->rejudged ? &run->rejudged->execution.trace : &run->failure.execution.trace;
  if (run->rejudged) in.violations = run->rejudged->violations;
  in.repro_path = "reports/" + std::string(ViolationName(kind)) + "/repro.json";
  in.reproduction.runs = confirm;
  in.reproduction.reproduced = run->failure.confirmed;
  in.timing.found_at = "2024-05-01T12:00:00Z";
  in.timing.run_seconds = 0.25;
  run->report = MakeFailureReport(in);
  return run;
}

const FailingRun& RefpoolDoubleFree() {
  static const std::unique_ptr<FailingRun> run = RunSeedBug(
      "refpool/refpool-minimal.json", "refpool-deferred-incref", ViolationKind::kDoubleFree, 5);
  return *run;
}

}  // namespace gcs::reporters::testing
