// gcstress runner — Executor: one target, its engine and its judge; runs and judges executions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/input_error.h"
#include "harness/isolation/execution_monitor.h"
#include "harness/runner/judge.h"
#include "harness/scheduler/schedule.h"
#include "harness/target/target.h"

namespace gcs {

// Makes a fresh target for each worker. Tests pass their own (a fake target); everything else
// uses NamedTarget.
using TargetFactory = std::function<Expected<std::unique_ptr<Target>>()>;

// MakeTarget(name), as a factory.
TargetFactory NamedTarget(std::string name);

// One execution and what the judge made of it.
struct JudgedExecution {
  Execution execution;
  std::optional<Violation> verdict;
};

// A target with its own engine (and so its own controller and thread pool) and judge. Executions
// on one Executor run one after another; parallel workers each own one. Not thread-safe.
class Executor {
 public:
  // `oracle_options.free_mode` says which kind of executions this executor runs.
  explicit Executor(std::unique_ptr<Target> target, const OracleOptions& oracle_options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // One execution of `scenario`; options.free_mode must be the executor's. Engine::Run's
  // exceptions (a body that threw) propagate.
  JudgedExecution Execute(const Scenario& scenario, const std::vector<std::string>& faults,
                          sched::Strategy& strategy, uint64_t seed, const EngineOptions& options);

  // Re-executes a deterministic execution from its recorded schedule (ReplayStrategy). If the
  // execution asked for decisions the schedule could not answer, *diverged_at is set to the first
  // one (ReplayStrategy::DivergedAt).
  JudgedExecution Replay(const Scenario& scenario, const std::vector<std::string>& faults,
                         const sched::Schedule& schedule, const EngineOptions& options,
                         std::optional<size_t>* diverged_at);

  // Gives a finished execution's storage back for the next one to reuse (Engine::Recycle).
  void Recycle(Execution&& spent) { engine_.Recycle(std::move(spent)); }

  Target& target() { return *target_; }
  const Judge& judge() const { return judge_; }

  // Keeps `monitor`'s page up to date during every execution from now on (nullptr: none; not
  // owned): what fork mode's parent and the watchdog read.
  // The monitor also hears of each violation as it is found, for a death later in the execution.
  void SetMonitor(isolation::ExecutionMonitor* monitor);
  isolation::ExecutionMonitor* monitor() const { return monitor_; }

 private:
  JudgedExecution Run(const Scenario& scenario, const std::vector<std::string>& faults,
                      sched::Strategy& strategy, uint64_t seed, const EngineOptions& options,
                      std::string_view spec_override);

  std::unique_ptr<Target> target_;
  Engine engine_;
  Judge judge_;
  isolation::ExecutionMonitor* monitor_ = nullptr;
};

}  // namespace gcs
