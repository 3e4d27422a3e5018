// gcstress scheduler — DfsStrategy: replay the stack as a prefix, extend it, backtrack at the end.
#include "harness/scheduler/dfs.h"

#include <algorithm>

#include "core/check.h"
#include "harness/scheduler/prng.h"

namespace gcs::sched {

DfsStrategy::DfsStrategy(uint32_t max_preemptions) : max_preemptions_(max_preemptions) {}

std::string DfsStrategy::Spec() const {
  return "dfs:max-preemptions=" + std::to_string(max_preemptions_);
}

void DfsStrategy::BeginExecution(uint64_t /*seed*/, uint32_t /*num_threads*/) {
  if (exhausted_) {
    // A new exploration: the stack is already empty after the last backtrack.
    exhausted_ = false;
  }
  position_ = 0;
  draw_state_ = 0;
}

bool DfsStrategy::IsPreemption(const ChoicePoint& point, size_t alternative) {
  return point.current_runnable && point.alternatives[alternative] != point.current;
}

uint32_t DfsStrategy::PreemptionsAt(size_t depth) const {
  if (depth == 0) return 0;
  const ChoicePoint& parent = stack_[depth - 1];
  return parent.preemptions_before + (IsPreemption(parent, parent.taken) ? 1 : 0);
}

ThreadIndex DfsStrategy::NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                                    bool current_runnable) {
  GCS_CHECK(!runnable.empty());
  if (position_ < stack_.size()) {
    ChoicePoint& point = stack_[position_];
    if (point.current == current && point.current_runnable == current_runnable &&
        std::equal(point.runnable.begin(), point.runnable.end(), runnable.begin(),
                   runnable.end())) {
      ++position_;
      return point.alternatives[point.taken];
    }
    // The program did something else than last time at this prefix: forget the rest of the
    // path and treat this as a fresh choice point.
    nondeterministic_ = true;
    stack_.resize(position_);
  }

  ChoicePoint point;
  point.runnable.assign(runnable.begin(), runnable.end());
  point.current = current;
  point.current_runnable = current_runnable;
  point.preemptions_before = PreemptionsAt(position_);
  if (current_runnable) point.alternatives.push_back(current);
  for (ThreadIndex t : runnable) {
    if (!(current_runnable && t == current)) point.alternatives.push_back(t);
  }
  GCS_CHECK_MSG(!current_runnable || point.alternatives.size() == runnable.size(),
                "current_runnable but current is not in the runnable set");
  // Alternative 0 never preempts, so it always fits the bound.
  point.taken = 0;
  stack_.push_back(std::move(point));
  ++position_;
  return stack_.back().alternatives[0];
}

uint64_t DfsStrategy::NextU64() {
  return SplitMix64(draw_state_);
}

bool DfsStrategy::EndExecution() {
  ++executions_;
  if (position_ < stack_.size()) {
    // The execution ended before the prefix did: the program is not deterministic.
    nondeterministic_ = true;
    stack_.resize(position_);
  }
  while (!stack_.empty()) {
    ChoicePoint& point = stack_.back();
    while (++point.taken < point.alternatives.size()) {
      if (point.preemptions_before + (IsPreemption(point, point.taken) ? 1 : 0) <=
          max_preemptions_) {
        return true;
      }
    }
    stack_.pop_back();
  }
  exhausted_ = true;
  return false;
}

}  // namespace gcs::sched
