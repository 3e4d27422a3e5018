// gcstress engine — Engine: runs one execution of a scenario on a target under a scheduler.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/trace.h"
#include "harness/engine/var_table.h"
#include "harness/scenario/scenario.h"
#include "harness/scheduler/controller.h"
#include "harness/scheduler/free_runner.h"
#include "harness/scheduler/strategy.h"
#include "harness/target/target.h"

namespace gcs {

struct EngineOptions {
  bool free_mode = false;          // real parallel threads (FreeRunner) instead of the controller
  uint32_t yield_per_mille = 100;  // free mode: chance of a sched_yield at each point
  std::chrono::milliseconds step_timeout{0};  // passed to the target (TargetExecution)
};

// One execution's record.
struct Execution {
  uint64_t seed = 0;
  bool free_mode = false;
  sched::ExecutionResult::Outcome outcome = sched::ExecutionResult::Outcome::kCompleted;
  sched::Schedule schedule;  // deterministic mode: replays this execution
  std::vector<sched::BlockedThread> blocked;
  bool strategy_exhausted = false;
  Trace trace;
  bool torn_down = false;  // teardown ran (not after a deadlock)
  std::vector<core::AllocId> live_after_teardown;
  uint64_t steps = 0;  // steps begun (skipped ones included)
  // The target failed as a whole (Target::Failure): the verdict unless an oracle found something
  // before it (Judge).
  std::optional<TargetFailure> target_failure;
};

// Oracles (and tests) watch an execution through this. OnEntry sees every trace entry as it is
// appended — in deterministic mode on the one running thread, in free mode under the recorder's
// lock. AfterTeardown runs single-threaded once teardown is done and the target can be queried.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void OnEntry(const TraceEntry& entry) { (void)entry; }
  virtual void AfterTeardown(Target& target, const Execution& execution) {
    (void)target;
    (void)execution;
  }
};

// The site name of the schedule point between two steps of a thread.
inline constexpr const char* kStepPointSite = "engine.step";

class Engine {
 public:
  // Scenario threads run as fibers if the target allows it (Target::NeedsOsThreads), else on OS
  // threads; the second form chooses (tests compare the two).
  explicit Engine(Target& target);
  Engine(Target& target, sched::Threading threading);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs `scenario` once: the target's Begin, one body per scenario thread (in deterministic
  // mode one at a time under `strategy` and `seed`; in free mode in parallel), then — unless the
  // execution deadlocked — teardown: every variable's value let go in variable order, the
  // target's Teardown, the live objects read, observer->AfterTeardown, and the target's End.
  Execution Run(const Scenario& scenario, const std::vector<std::string>& faults,
                sched::Strategy& strategy, uint64_t seed, const EngineOptions& options,
                ExecutionObserver* observer = nullptr);

  // Takes back a finished execution's trace storage: the next Run appends into the same buffer
  // instead of growing a new one entry by entry (a fuzzer or a loop runs thousands of executions,
  // and under ASan every regrowth is an allocation, a copy and a quarantined free).
  void Recycle(Execution&& spent);

  Target& target() { return target_; }

 private:
  class Hooks;
  class Recorder;
  struct Context;
  void Body(Context& ctx, uint32_t thread);
  void RunStep(Context& ctx, uint32_t thread, uint32_t index);
  void LetGo(Context& ctx, uint32_t thread, const VarTable::Released& released);

  Target& target_;
  sched::Controller controller_;
  sched::FreeRunner free_runner_;
  std::vector<TraceEntry> spare_entries_;  // empty, with the capacity of a recycled trace
  // Per-execution state kept from run to run for its storage (Run resets it): a fuzzer or a
  // loop runs thousands of executions, and under ASan every allocation costs.
  VarTable vars_;
  std::vector<VarTable::Released> released_;  // teardown's unbound values
};

}  // namespace gcs
