// gcstress runner — running executions: the Executor (an engine and a judge around one target),
// the Judge (oracles fanned out over one execution, deadlocks, the pick), and RunBatch (a batch's
// iterations, one execution each, in process and in a child alike). One file, so that one
// iteration reads from its batch to its verdict here.
#include "harness/runner/executor.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"
#include "harness/runner/batch_loop.h"
#include "harness/runner/determinism_check.h"
#include "harness/runner/iteration_seed.h"
#include "harness/runner/judge.h"
#include "harness/runner/run_state.h"
#include "harness/scenario/scenario_encoder.h"
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

// -------------------------------------------------------------------------------------------------
// Judge: oracles fanned out over one execution, deadlocks, and the pick (judge.h).

namespace gcs {

Judge::Judge(const Target& target, const OracleOptions& options)
    : options_(options), oracles_(target, options) {}

void Judge::Begin(const Scenario& scenario, Target& target) {
  oracles_.Begin(scenario, target);
}

ExecutionObserver* Judge::Observer() {
  return oracles_.oracles().empty() ? nullptr : &oracles_;
}

std::optional<Violation> Judge::Verdict(const Scenario& scenario,
                                        const Execution& execution) const {
  std::vector<Violation> found = oracles_.All();
  if (execution.target_failure) {
    // What the oracles saw after the target failed is the failure's echo (every call answered
    // target-failed, threads stopped): only what they found before it competes with it.
    const Violation failure = TargetFailureViolation(execution);
    std::erase_if(found, [&](const Violation& v) { return v.trace_index >= failure.trace_index; });
    found.push_back(failure);
  }
  if (execution.outcome == sched::ExecutionResult::Outcome::kDeadlock) {
    found.push_back(DeadlockViolation(scenario, execution));
  }
  return MostSevere(found);
}

Violation TargetFailureViolation(const Execution& execution) {
  Violation v = execution.target_failure->violation;
  // At the first entry the failure marked: the step (or discard) it failed in, else the end.
  v.trace_index = execution.trace.entries.size();
  for (size_t i = 0; i < execution.trace.entries.size(); ++i) {
    if (execution.trace.entries[i].error == kTargetFailedError) {
      v.trace_index = i;
      break;
    }
  }
  return v;
}

namespace {

// What a blocked thread waits for, in words: "the vm-lock of main".
std::string DescribeResource(const Scenario& scenario, core::ResourceId resource,
                             std::string* kind_name) {
  const uint32_t index = core::ResourceIndexOf(resource);
  const std::string vm =
      index < scenario.vms.size() ? scenario.vms[index] : "vm" + std::to_string(index);
  switch (core::ResourceKindOf(resource)) {
    case core::ResourceKind::kVmLock:
      *kind_name = "vm-lock";
      return "the vm-lock of " + vm;
    case core::ResourceKind::kVmQuiesce:
      *kind_name = "vm-quiesce";
      return vm + " to quiesce";
  }
  *kind_name = "resource";
  return "resource " + std::to_string(resource);
}

// The step `thread` was in when the execution stopped: its last kStepBegin, if any.
const TraceEntry* LastStepBegin(const Trace& trace, uint32_t thread) {
  for (auto it = trace.entries.rbegin(); it != trace.entries.rend(); ++it) {
    if (it->kind == TraceEntry::Kind::kStepBegin && it->thread == thread) return &*it;
  }
  return nullptr;
}

}  // namespace

Violation DeadlockViolation(const Scenario& scenario, const Execution& execution) {
  Violation v;
  v.kind = ViolationKind::kDeadlock;
  v.phase = "deadlock";
  v.trace_index = execution.trace.entries.size();
  std::string message = "deadlock:";
  bool first = true;
  for (const sched::BlockedThread& b : execution.blocked) {
    const uint32_t t = b.thread;
    const std::string name =
        t < scenario.threads.size() ? scenario.threads[t].name : "thread " + std::to_string(t);
    std::string kind_name;
    const std::string waits_for = DescribeResource(scenario, b.resource, &kind_name);
    const TraceEntry* begin = LastStepBegin(execution.trace, t);
    message += std::string(first ? " " : "; ") + name;
    if (begin != nullptr && t < scenario.threads.size()) {
      const Step& step = scenario.threads[t].steps[begin->step];
      message +=
          " at step " + std::to_string(begin->step) + " (" + FormatStep(scenario, step) + ")";
    }
    message += " waits for " + waits_for;
    if (first) {
      v.thread = t;
      v.step = begin != nullptr ? begin->step : 0;
      if (begin != nullptr && t < scenario.threads.size()) {
        v.op = std::string(GetOpInfo(scenario.threads[t].steps[begin->step].op).json);
      }
      v.site = kind_name;
      first = false;
    }
  }
  if (first) message += " no thread can run";
  v.message = std::move(message);
  return v;
}

}  // namespace gcs

// -------------------------------------------------------------------------------------------------
// RunBatch: one strategy per batch mode, one execution per iteration, its result reported; the
// same loop in process and in a child (batch_loop.h).

namespace gcs {
namespace {

std::unique_ptr<sched::Strategy> Strategy(const std::string& spec) {
  auto s = sched::MakeStrategy(spec);
  GCS_CHECK_MSG(s.ok(), "a canonical strategy spec failed to parse");
  return std::move(s).value();
}

class BatchRunner {
 public:
  BatchRunner(Executor& executor, const Scenario& scenario, const RunConfig& config, bool free_mode,
              const Batch& batch, uint32_t slot, BatchControl& control, BatchEvents& events)
      : ex_(executor),
        scenario_(scenario),
        config_(config),
        hunt_(batch.hunt_leaks),
        slot_(slot),
        control_(control),
        events_(events) {
    options_.free_mode = free_mode;
    options_.yield_per_mille = config.yield_per_mille;
    options_.step_timeout = config.step_timeout;
  }

  // A violation that stops the run stops its batch at once: nothing above it is started.
  bool Stopped(uint64_t i) const { return stopped_ || control_.Stopped(i, hunt_); }

  // One iteration. `report`: report its result (a silent one re-establishes a calibrating
  // strategy's state). False: the batch must end (Errored, or the control said so).
  bool RunOne(sched::Strategy& strategy, uint64_t i, bool report) {
    const uint64_t seed = IterationSeed(config_.seed, i);
    if (ex_.monitor() != nullptr) ex_.monitor()->SetIteration(i);
    JudgedExecution judged;
    try {
      judged = ex_.Execute(scenario_, config_.faults, strategy, seed, options_);
      if (report && !hunt_ && config_.check_determinism) {
        std::optional<size_t> diverged;
        JudgedExecution replay =
            ex_.Replay(scenario_, config_.faults, judged.execution.schedule, options_, &diverged);
        if (auto diff = CompareWithReplay(scenario_, judged, replay, diverged)) {
          return Error(i, "nondeterminism: iteration " + std::to_string(i) + " (seed " +
                              std::to_string(seed) + ") replayed from its schedule: " + *diff);
        }
        ex_.Recycle(std::move(replay.execution));
      }
    } catch (const std::exception& e) {
      return Error(i, "iteration " + std::to_string(i) + ": the execution threw: " + e.what());
    }
    // What the process saw outranks the oracles.
    if (!control_.Survived(i, judged.execution, report)) return false;
    if (!report || hunt_) return true;
    if (judged.execution.strategy_exhausted) exhausted_ = true;
    if (!judged.verdict) {
      ex_.Recycle(std::move(judged.execution));
      events_.Passed(slot_, i);
      return true;
    }
    if (StopsRun(config_, judged.verdict->kind)) stopped_ = true;
    if (const std::string sig = judged.verdict->Signature(); sent_.insert(sig).second) {
      Failure f;
      f.iteration = i;
      f.execution = std::move(judged.execution);
      f.violation = std::move(*judged.verdict);
      events_.Failed(slot_, std::move(f));
    } else {
      // Later in this batch's (ascending) range than the one sent: never the lowest.
      events_.Violated(slot_, i, judged.verdict->kind, sig);
      ex_.Recycle(std::move(judged.execution));
    }
    return true;
  }

  bool exhausted() const { return exhausted_; }
  bool hunt() const { return hunt_; }

 private:
  bool Error(uint64_t i, std::string message) {
    events_.Errored(slot_, i, std::move(message));
    return false;
  }

  Executor& ex_;
  const Scenario& scenario_;
  const RunConfig& config_;
  const bool hunt_;
  const uint32_t slot_;
  BatchControl& control_;
  BatchEvents& events_;
  EngineOptions options_;
  std::set<std::string> sent_;
  bool exhausted_ = false;
  bool stopped_ = false;
};

}  // namespace

bool RunBatch(Executor& executor, const Scenario& scenario, const RunConfig& config, bool free_mode,
              const Batch& batch, uint32_t slot, BatchControl& control, BatchEvents& events) {
  BatchRunner runner(executor, scenario, config, free_mode, batch, slot, control, events);
  switch (batch.mode) {
    case Batch::Mode::kCalibrate: {
      auto calibrating = Strategy(batch.spec);
      for (uint64_t i = 0; i < batch.begin; ++i) {
        if (std::find(batch.skip.begin(), batch.skip.end(), i) != batch.skip.end()) continue;
        if (!runner.RunOne(*calibrating, i, /*report=*/false)) return false;
      }
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*calibrating, i, true)) return false;
      }
      if (batch.send_frozen && !runner.hunt()) {
        // The spec the calibrated strategy would run the next execution with.
        calibrating->BeginExecution(IterationSeed(config.seed, batch.end),
                                    static_cast<uint32_t>(scenario.threads.size()));
        events.Calibrated(slot, calibrating->Spec());
      }
      return true;
    }
    case Batch::Mode::kExplore: {
      auto exploring = Strategy(batch.spec);
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*exploring, i, true)) return false;
        if (runner.exhausted()) {
          if (!runner.hunt()) events.Exhausted(slot);
          return true;
        }
      }
      return true;
    }
    case Batch::Mode::kSample:
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        auto fresh = Strategy(batch.spec);
        if (!runner.RunOne(*fresh, i, true)) return false;
      }
      return true;
    case Batch::Mode::kFree: {
      auto unused = Strategy("round-robin");  // the engine ignores it in free mode
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*unused, i, true)) return false;
      }
      return true;
    }
  }
  return true;
}

}  // namespace gcs
