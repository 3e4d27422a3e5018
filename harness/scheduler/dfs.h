// gcstress scheduler — DfsStrategy: exhaustive depth-first search of schedules, preemption-bounded.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// Systematic exploration across executions (CHESS-style iterative context bounding, depth-first).
//
// The schedules of a deterministic program form a tree: a node per choice point, an edge per
// runnable thread that may run there. One execution walks one root-to-leaf path. The strategy
// keeps that path as a stack of choice points, each with its alternatives in exploration order
// (the current thread first when it is still runnable — continuing costs nothing — then the
// others ascending) and the index of the one taken. An execution replays the stack as a prefix;
// past its end every new choice point takes its first alternative. EndExecution() then
// backtracks: it pops exhausted choice points off the top and advances the deepest one that has
// an alternative left within the bound, which becomes the prefix of the next execution. When the
// stack empties the tree is covered: EndExecution() returns false and Exhausted() is true.
//
// The bound: a preemption is choosing a thread other than `current` while current is runnable
// (a switch at a block or a finish is free). A path may carry at most `max_preemptions` of them;
// most concurrency bugs need very few (Musuvathi & Qadeer, PLDI'07), and the bound turns an
// exponential tree into a polynomial one.
//
// Draws (NextU64) are not explored: they come from a fixed stream restarted every execution, so
// the tree is the same in every execution. The seed is ignored for the same reason.
//
// If the program is not deterministic — a replayed choice point offers a different runnable set —
// the stack is cut there and exploration continues from what the program did; Nondeterministic()
// records it, because coverage claims no longer hold.
class DfsStrategy final : public Strategy {
 public:
  explicit DfsStrategy(uint32_t max_preemptions);

  std::string Spec() const override;
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override;
  bool EndExecution() override;

  // The whole tree within the bound has been explored. A BeginExecution() after that starts a
  // new exploration from scratch.
  bool Exhausted() const { return exhausted_; }
  // Executions finished (EndExecution calls), over every exploration.
  uint64_t Executions() const { return executions_; }
  bool Nondeterministic() const { return nondeterministic_; }
  uint32_t max_preemptions() const { return max_preemptions_; }

 private:
  struct ChoicePoint {
    std::vector<ThreadIndex> runnable;      // as offered, to detect nondeterminism on replay
    std::vector<ThreadIndex> alternatives;  // exploration order
    size_t taken = 0;                       // index into alternatives
    ThreadIndex current = 0;
    bool current_runnable = false;
    uint32_t preemptions_before = 0;  // on the path from the root to this point
  };

  static bool IsPreemption(const ChoicePoint& point, size_t alternative);
  uint32_t PreemptionsAt(size_t depth) const;

  uint32_t max_preemptions_;
  std::vector<ChoicePoint> stack_;
  size_t position_ = 0;  // choice points passed in the current execution
  uint64_t draw_state_ = 0;
  uint64_t executions_ = 0;
  bool exhausted_ = false;
  bool nondeterministic_ = false;
};

}  // namespace gcs::sched
