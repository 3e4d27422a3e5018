// gcstress scheduler — the Strategy contract, and building strategies from "name:key=value" specs.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "harness/input_error.h"

namespace gcs::sched {

// A thread of the program under test, 0..n-1. Small and dense so strategies can index by it.
using ThreadIndex = uint32_t;

// "No thread": the `current` of the decision that picks the first thread of an execution.
inline constexpr ThreadIndex kNoThread = ~ThreadIndex{0};

// Picks who runs at each choice point. The controller owns the threads and the runnable set; a
// strategy only ever sees indices, so it is a pure function of its seed and of the sequence of
// questions it is asked — which is what makes a (strategy, seed) pair reproduce an execution.
//
// Call protocol for one execution:
//   BeginExecution(seed, n)  { NextThread(...) | NextU64() }*  EndExecution()
class Strategy {
 public:
  virtual ~Strategy() = default;

  // The canonical spec that rebuilds this strategy with MakeStrategy, parameters spelled out:
  // "pct:depth=3,steps=64", "random", "dfs:max-preemptions=2", "round-robin"; "replay" for
  // replay. Recorded into every Schedule.
  virtual std::string Spec() const = 0;

  // Before each execution of a program with `num_threads` threads (including ones that start
  // disabled).
  virtual void BeginExecution(uint64_t seed, uint32_t num_threads) = 0;

  // Called only at a real choice: runnable.size() >= 2, sorted ascending, no duplicates.
  // `current` is the thread that reached the point; `current_runnable` is false if it just
  // blocked or finished (then current is not in `runnable`). Returns a member of `runnable`.
  // The start of an execution is a choice too when two or more threads start enabled: nobody
  // runs yet, so current == kNoThread and current_runnable == false (choosing is not a
  // preemption).
  virtual ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                                 bool current_runnable) = 0;

  // A random draw for the engine (which reduces it to the range it needs). Recorded like a
  // thread choice, so replay reproduces it.
  virtual uint64_t NextU64() = 0;

  // After each execution, before EndExecution: every schedule point it passed (Point and Wait
  // calls, choice or not). Unlike the choice points a strategy sees, this barely depends on the
  // schedule, so strategies that estimate a program's length (pct's k) measure it here.
  virtual void OnExecutionPoints(uint64_t points) { (void)points; }

  // The running thread `thread` has just run a yield op: the program offers to let the others
  // run there. Before the next choice point. A hint, not a decision (nothing is recorded): pct
  // demotes the thread below every other, as shuttle's PCT does at yield_now; the others ignore
  // it.
  virtual void OnYield(ThreadIndex thread) { (void)thread; }

  // After each execution. False when there is nothing left to explore (dfs exhausted, replay
  // done); random strategies never run out.
  virtual bool EndExecution() { return true; }
};

struct StrategyParamInfo {
  std::string_view key;
  uint64_t default_value = 0;
  uint64_t min = 0;
  uint64_t max = 0;
  std::string_view help;
};

struct StrategyInfo {
  std::string_view name;
  bool from_spec = false;  // MakeStrategy accepts it (replay does not: it needs a schedule)
  std::string_view help;
  std::span<const StrategyParamInfo> params;
};

// Every strategy, in strategies.def order.
std::span<const StrategyInfo> ListStrategies();

// A parameter's default, from strategies.def (GCS_CHECK: the strategy has the parameter).
uint64_t StrategyParamDefault(std::string_view strategy, std::string_view key);

// "name" or "name:key=value,key=value" -> a fresh strategy. Unset parameters take their default
// from strategies.def. Errors are InputError{"<flag>", "--strategy", ...}.
Expected<std::unique_ptr<Strategy>> MakeStrategy(std::string_view spec);

}  // namespace gcs::sched
