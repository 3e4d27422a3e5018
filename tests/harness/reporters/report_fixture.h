// gcstress tests — a real failing execution and its report, shared by the reporter tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/reporters/failure_report.h"
#include "harness/reporters/rejudge.h"
#include "harness/runner/runner.h"

namespace gcs::reporters::testing {

// scenarios/<path> run under `fault` (in this process) with pct until the first violation of
// `kind`, confirmed `confirm` times, and its report built as the CLI builds it (re-judged).
struct FailingRun {
  Scenario scenario;
  RunConfig config;
  Failure failure;
  std::optional<Rejudged> rejudged;
  FailureReport report;
};

std::unique_ptr<FailingRun> RunSeedBug(const std::string& scenario_path, const std::string& fault,
                                       ViolationKind kind, uint32_t confirm = 0);

// The refpool seed bug's double free (SEED_BUGS.md #1), reported as if written to
// reports/double-free/repro.json. Built once per test binary.
const FailingRun& RefpoolDoubleFree();

}  // namespace gcs::reporters::testing
