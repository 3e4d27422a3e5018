// gcstress minimizer — PrefixReplayStrategy: the recorded prefix, then the fallback.
#include "harness/minimizer/prefix_replay.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace gcs {

PrefixReplayStrategy::PrefixReplayStrategy(std::vector<sched::Decision> decisions,
                                           ReplayFallback fallback)
    : decisions_(std::move(decisions)), fallback_(fallback) {}

void PrefixReplayStrategy::BeginExecution(uint64_t /*seed*/, uint32_t /*num_threads*/) {
  cursor_ = 0;
  ended_at_.reset();
  choices_.clear();
}

const sched::Decision* PrefixReplayStrategy::Take(sched::Decision::Kind kind) {
  if (ended_at_) return nullptr;
  if (cursor_ >= decisions_.size() || decisions_[cursor_].kind != kind) {
    ended_at_ = cursor_;
    return nullptr;
  }
  return &decisions_[cursor_++];
}

sched::ThreadIndex PrefixReplayStrategy::NextThread(std::span<const sched::ThreadIndex> runnable,
                                                    sched::ThreadIndex current,
                                                    bool current_runnable) {
  GCS_CHECK(!runnable.empty());
  ChoicePoint choice{current, current_runnable, runnable.front(), false};
  if (trace_entries_ != nullptr) choice.trace_size = *trace_entries_;
  const size_t at = cursor_;
  if (const sched::Decision* d = Take(sched::Decision::Kind::kThread)) {
    if (std::binary_search(runnable.begin(), runnable.end(), d->value)) {
      choice.chosen = static_cast<sched::ThreadIndex>(d->value);
      choice.replayed = true;
    } else {
      ended_at_ = at;
    }
  }
  if (!choice.replayed && fallback_ == ReplayFallback::kKeepCurrent && current_runnable) {
    choice.chosen = current;
  }
  choices_.push_back(choice);
  return choice.chosen;
}

bool PrefixReplayStrategy::EndExecution() {
  if (!ended_at_ && cursor_ != decisions_.size()) ended_at_ = cursor_;
  return false;
}

uint64_t PrefixReplayStrategy::NextU64() {
  if (const sched::Decision* d = Take(sched::Decision::Kind::kDraw)) return d->value;
  return 0;
}

}  // namespace gcs
