// gcstress minimizer — PrefixReplayStrategy: replays a schedule while it fits the program, then
// keeps running the current thread; records every choice it makes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"

namespace gcs {

// What the strategy does once the recorded decisions no longer fit.
//
// A shrunk scenario asks different questions than the one the schedule was recorded on, so a
// replay of the old decisions diverges sooner or later; the minimizer also cuts schedules short
// on purpose. Whatever answers the rest decides how many context switches the candidate has.
// sched::ReplayStrategy falls back to the lowest runnable thread, which switches to thread 0
// every time it becomes runnable again; "keep running the current thread" switches only when the
// current one blocks or finishes, so the failing interleaving's essential preemptions are the
// only ones left. tests/harness/minimizer measures both on the seed scenarios.
enum class ReplayFallback : uint8_t {
  kKeepCurrent,     // the current thread if runnable, else the lowest runnable
  kLowestRunnable,  // as sched::ReplayStrategy
};

// "Not known" for ChoicePoint::step.
inline constexpr uint32_t kNoStep = ~uint32_t{0};

// One choice point of an execution (a NextThread call).
struct ChoicePoint {
  sched::ThreadIndex current = sched::kNoThread;  // kNoThread at the start
  bool current_runnable = false;
  sched::ThreadIndex chosen = 0;
  bool replayed = false;  // the choice came from the schedule, not from the fallback
  // Trace entries recorded before the choice (when the strategy was given a counter), and the
  // step of `current` the choice belongs to: the one it was about to begin (before_step) or was
  // in the middle of. Filled in from the trace by MakeTrial; kNoStep when there is none (the
  // start, a thread that ends right after).
  size_t trace_size = 0;
  uint32_t step = kNoStep;
  bool before_step = false;

  // Switching away from a thread that could have continued.
  bool Preemption() const { return current_runnable && chosen != current; }
  friend bool operator==(const ChoicePoint&, const ChoicePoint&) = default;
};

// Follows `decisions` in order: a thread decision is taken if that thread is runnable, a draw is
// returned as recorded. The first decision that does not fit (a thread that is not runnable, a
// draw where a thread choice was recorded or the reverse, or the end of the list) ends the
// replay; from there on the fallback answers thread choices and draws return 0. Deterministic:
// the same program and decisions give the same choices.
class PrefixReplayStrategy final : public sched::Strategy {
 public:
  PrefixReplayStrategy(std::vector<sched::Decision> decisions, ReplayFallback fallback);

  std::string Spec() const override { return "replay"; }
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  sched::ThreadIndex NextThread(std::span<const sched::ThreadIndex> runnable,
                                sched::ThreadIndex current, bool current_runnable) override;
  uint64_t NextU64() override;
  // Always false: a schedule describes one execution.
  bool EndExecution() override;

  // Where ChoicePoint::trace_size is read from: a count of the trace entries so far, kept by
  // the caller's ExecutionObserver (in deterministic mode the strategy and the observer run on
  // the one running thread, one after the other). nullptr: trace_size stays 0.
  void SetTraceCounter(const size_t* entries) { trace_entries_ = entries; }

  // The choices of the last execution, in order (draws are not choice points).
  const std::vector<ChoicePoint>& choices() const { return choices_; }
  // Index into the decisions of the first one that was not used as recorded (== their number
  // when the execution wanted more); nullopt if the execution used exactly all of them.
  std::optional<size_t> EndedAt() const { return ended_at_; }

 private:
  const sched::Decision* Take(sched::Decision::Kind kind);

  std::vector<sched::Decision> decisions_;
  ReplayFallback fallback_;
  size_t cursor_ = 0;
  std::optional<size_t> ended_at_;
  std::vector<ChoicePoint> choices_;
  const size_t* trace_entries_ = nullptr;
};

}  // namespace gcs
