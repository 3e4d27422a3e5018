// gcstress runner — fork mode: the parent's side of Runner::Run and Runner::Confirm.
#pragma once

#include <cstdint>
#include <string>

#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"

namespace gcs {

// What Runner::Create worked out, for a fork-mode run.
struct RunPlan {
  const RunConfig* config = nullptr;
  const TargetFactory* factory = nullptr;
  std::string spec;  // canonical, or "free"
  bool free_mode = false;
  bool explores = false;
};

// Runner::Run with config.isolate (runner.h, "Isolation"). Forks from the calling thread.
RunSummary RunIsolated(const RunPlan& plan, const Scenario& scenario, const RunHooks& hooks);

// Runner::Confirm with config.isolate: each re-execution in a child process.
uint32_t ConfirmIsolated(const RunPlan& plan, const Scenario& scenario, const Failure& failure,
                         uint32_t times);

}  // namespace gcs
