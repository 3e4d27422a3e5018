// gcstress runner — fork mode: the parent's side of Runner::Run and Runner::Confirm.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/isolation/child_process.h"
#include "harness/isolation/progress_page.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs {

// A fork-mode child process kept between batches and between Run calls (ServeBatches,
// child_batch.h), and the page it shares with the parent. The Runner keeps one per job: a child
// per batch would cost a fork, a target and a page for every few iterations, and a generated
// search runs only a few per scenario.
struct BatchWorker {
  explicit BatchWorker(isolation::PageRegion r) : region(std::move(r)) {}
  isolation::PageRegion region;
  std::optional<isolation::ChildProcess> child;  // between batches: alive, waiting for the next
  uint64_t scenario = 0;                         // the serial of the scenario the child holds
  uint64_t executions = 0;  // iterations the child was given (at most RunConfig::batch)
};

// What Runner::Create worked out, for a fork-mode run.
struct RunPlan {
  const RunConfig* config = nullptr;
  const TargetFactory* factory = nullptr;
  std::string spec;  // canonical, or "free"
  bool free_mode = false;
  bool explores = false;
  const LoadOptions* load_options = nullptr;    // how a child reads a scenario sent to it
  std::vector<BatchWorker>* workers = nullptr;  // kept by the Runner
  uint64_t scenario_serial = 0;                 // numbers this run's scenario, from 1 per Runner
};

// Runner::Run with config.isolate (runner.h, "Isolation"). Forks from the calling thread.
RunSummary RunIsolated(const RunPlan& plan, const Scenario& scenario, const RunHooks& hooks);

// Runner::Confirm with config.isolate: each re-execution in a child process.
uint32_t ConfirmIsolated(const RunPlan& plan, const Scenario& scenario, const Failure& failure,
                         uint32_t times);

}  // namespace gcs
