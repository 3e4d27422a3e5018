// gcstress runner — RunBatch: one strategy per batch mode, one execution per iteration, its
// result reported; the same loop in process and in a child.
#include "harness/runner/batch_loop.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/check.h"
#include "harness/runner/determinism_check.h"
#include "harness/runner/iteration_seed.h"
#include "harness/runner/run_state.h"

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
