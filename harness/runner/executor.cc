// gcstress runner — Executor: an engine and a judge around one target.
#include "harness/runner/executor.h"

#include <utility>

#include "core/check.h"

#include "harness/scheduler/replay.h"

namespace gcs {

TargetFactory NamedTarget(std::string name) {
  return [name = std::move(name)] { return MakeTarget(name); };
}

Executor::Executor(std::unique_ptr<Target> target, const OracleOptions& oracle_options)
    : target_(std::move(target)), engine_(*target_), judge_(*target_, oracle_options) {}

Executor::~Executor() = default;

void Executor::SetMonitor(isolation::ExecutionMonitor* monitor) {
  monitor_ = monitor;
  judge_.SetSink(monitor);
}

JudgedExecution Executor::Execute(const Scenario& scenario, const std::vector<std::string>& faults,
                                  sched::Strategy& strategy, uint64_t seed,
                                  const EngineOptions& options) {
  return Run(scenario, faults, strategy, seed, options, options.free_mode ? "free" : "");
}

JudgedExecution Executor::Run(const Scenario& scenario, const std::vector<std::string>& faults,
                              sched::Strategy& strategy, uint64_t seed,
                              const EngineOptions& options, std::string_view spec_override) {
  GCS_CHECK_MSG(options.free_mode == judge_.options().free_mode,
                "an executor judges either free mode executions or controlled ones");
  judge_.Begin(scenario, *target_);
  JudgedExecution out;
  if (monitor_ == nullptr) {
    out.execution = engine_.Run(scenario, faults, strategy, seed, options, judge_.Observer());
    out.verdict = judge_.Verdict(scenario, out.execution);
    return out;
  }
  // The page goes back to idle however this ends (an exception from a body included), so that
  // a watcher never blames a later pause on this execution.
  struct Idle {
    isolation::ExecutionMonitor* monitor;
    ~Idle() { monitor->EndExecution(); }
  } idle{monitor_};
  monitor_->BeginExecution(seed, static_cast<uint32_t>(scenario.threads.size()), spec_override,
                           judge_.Observer());
  out.execution = engine_.Run(scenario, faults, monitor_->Wrap(strategy), seed, options, monitor_);
  monitor_->Judging();
  out.verdict = judge_.Verdict(scenario, out.execution);
  return out;
}

JudgedExecution Executor::Replay(const Scenario& scenario, const std::vector<std::string>& faults,
                                 const sched::Schedule& schedule, const EngineOptions& options,
                                 std::optional<size_t>* diverged_at) {
  sched::ReplayStrategy replay(schedule);
  // The page records the replayed schedule's spec, not "replay": a repro of a death during a
  // replay must name the strategy the schedule came from.
  JudgedExecution out = Run(scenario, faults, replay, schedule.seed, options, schedule.strategy);
  if (diverged_at != nullptr) *diverged_at = replay.DivergedAt();
  return out;
}

}  // namespace gcs
