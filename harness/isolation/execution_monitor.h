// gcstress isolation — ExecutionMonitor: keeps a ProgressPage up to date while an execution runs.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "harness/engine/engine.h"
#include "harness/isolation/progress_page.h"
#include "harness/oracles/oracle.h"
#include "harness/scheduler/strategy.h"

namespace gcs::isolation {

// Sits between the engine and what it reports to, without the engine knowing:
//   - as the ExecutionObserver the engine is given (forwarding every call to the real one, the
//     judge's oracles): each trace entry bumps the page's progress counter and moves the thread
//     slots — a kThreadStart notes the OS tid (the entry is appended on that thread), a
//     kStepBegin puts the thread in that step, kStepEnd/kStepSkipped between steps, kThreadEnd
//     and kThreadStop finish it, a kDecision hands `running` to its target, kTeardown starts the
//     teardown state;
//   - as the Strategy the controller is given (forwarding to the real one): each thread choice
//     and random draw is appended to the page's decision log. The controller's RecordingStrategy
//     calls its inner strategy exactly once per decision, in schedule order, so the log is the
//     schedule the execution would have returned — up to the moment it died.
//
// The engine calls the observer in deterministic mode on the one running thread, in free mode
// under its recorder's lock, and the strategy only in deterministic mode: the page has one
// writer at a time. Cost: a few relaxed stores per trace entry and per decision.
class ExecutionMonitor final : public ExecutionObserver, public ViolationSink {
 public:
  explicit ExecutionMonitor(PageRegion& region) : region_(region) {}

  // Before Engine::Run. `spec_override`: the spec to record instead of the strategy's own (a
  // replay records the replayed schedule's spec, not "replay"). `inner` receives every observer
  // call (may be null).
  void BeginExecution(uint64_t seed, uint32_t num_threads, std::string_view spec_override,
                      ExecutionObserver* inner);
  // Which iteration of a run (or which re-execution) the next execution is.
  void SetIteration(uint64_t iteration) {
    region_.page().iteration.store(iteration, std::memory_order_relaxed);
  }
  // The strategy to hand the engine for this execution: `inner`, monitored.
  sched::Strategy& Wrap(sched::Strategy& inner);
  // After Engine::Run returned: the verdict is being computed.
  void Judging();
  // After the verdict: idle until the next execution.
  void EndExecution();

  void OnEntry(const TraceEntry& entry) override;
  // An oracle's violation, as it is found: kept in the page if the most severe so far.
  void OnViolation(const Violation& violation) override { region_.NoteFinding(violation); }
  void AfterTeardown(Target& target, const Execution& execution) override;

  PageRegion& region() { return region_; }

 private:
  class Strategy final : public sched::Strategy {
   public:
    explicit Strategy(ExecutionMonitor& monitor) : monitor_(monitor) {}
    std::string Spec() const override { return inner_->Spec(); }
    void BeginExecution(uint64_t seed, uint32_t num_threads) override;
    sched::ThreadIndex NextThread(std::span<const sched::ThreadIndex> runnable,
                                  sched::ThreadIndex current, bool current_runnable) override;
    uint64_t NextU64() override;
    // Every call the controller makes is forwarded: pct calibrates on this one.
    void OnExecutionPoints(uint64_t points) override { inner_->OnExecutionPoints(points); }
    void OnYield(sched::ThreadIndex thread) override { inner_->OnYield(thread); }
    bool EndExecution() override { return inner_->EndExecution(); }

    sched::Strategy* inner_ = nullptr;

   private:
    ExecutionMonitor& monitor_;
  };

  void SetState(ExecState state);

  PageRegion& region_;
  ExecutionObserver* inner_ = nullptr;
  Strategy strategy_{*this};
  bool override_spec_ = false;
};

// A progress page of this process's own with the monitor that writes it: what an in-process
// watchdog watches (the runner's --no-fork mode, `gcstress replay --no-fork`). Stays where it is
// built: the monitor holds the region.
struct MonitoredPage {
  explicit MonitoredPage(PageRegion r) : region(std::move(r)), monitor(region) {}
  MonitoredPage(const MonitoredPage&) = delete;
  MonitoredPage& operator=(const MonitoredPage&) = delete;

  PageRegion region;
  ExecutionMonitor monitor;
};

}  // namespace gcs::isolation
