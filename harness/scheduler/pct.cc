// gcstress scheduler — PctStrategy: priorities, change points, and the adaptive step estimate.
#include "harness/scheduler/pct.h"

#include <algorithm>
#include <numeric>

#include "core/check.h"

namespace gcs::sched {

namespace {
constexpr uint64_t kChoiceStream = 1;
constexpr uint64_t kDrawStream = 2;
}  // namespace

PctStrategy::PctStrategy(uint32_t depth, uint64_t initial_steps, bool yields)
    : depth_(depth), yields_(yields), step_estimate_(initial_steps) {
  GCS_CHECK(depth >= 1);
  GCS_CHECK(initial_steps >= 1);
}

std::string PctStrategy::Spec() const {
  // yields at its default goes unsaid, so specs recorded before the parameter read the same.
  const bool said = yields_ != (StrategyParamDefault("pct", "yields") != 0);
  return "pct:depth=" + std::to_string(depth_) + ",steps=" + std::to_string(step_estimate_) +
         (said ? ",yields=" + std::string(yields_ ? "1" : "0") : "");
}

void PctStrategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  // Fold in the execution that just ended: its schedule points if the controller reported them,
  // else (a strategy driven directly, as in tests) its choice points.
  if (started_) max_steps_seen_ = std::max(max_steps_seen_, std::max(points_, steps_));
  points_ = 0;
  started_ = true;
  if (max_steps_seen_ > 0) step_estimate_ = max_steps_seen_;
  steps_ = 0;
  choices_.Seed(DeriveSeed(seed, kChoiceStream));
  draws_.Seed(DeriveSeed(seed, kDrawStream));

  // Initial priorities: a uniformly random permutation of d .. d+n-1 (Fisher-Yates).
  priorities_.resize(num_threads);
  std::iota(priorities_.begin(), priorities_.end(), int64_t{depth_});
  next_low_ = int64_t{depth_} - 1;
  for (uint32_t i = num_threads; i > 1; --i) {
    std::swap(priorities_[i - 1], priorities_[choices_.Below(i)]);
  }

  // d-1 distinct change points in [1, k] (fewer if k is smaller: a step holds at most one).
  change_points_.clear();
  const uint64_t wanted = std::min<uint64_t>(depth_ - 1, step_estimate_);
  while (change_points_.size() < wanted) {
    const uint64_t step = 1 + choices_.Below(step_estimate_);
    if (std::find(change_points_.begin(), change_points_.end(), step) == change_points_.end()) {
      change_points_.push_back(step);
    }
  }
  std::sort(change_points_.begin(), change_points_.end());
  next_change_ = 0;
}

ThreadIndex PctStrategy::NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                                    bool /*current_runnable*/) {
  GCS_CHECK(!runnable.empty());
  GCS_CHECK_MSG(current == kNoThread || current < priorities_.size(),
                "NextThread before BeginExecution");
  if (current != kNoThread) ++steps_;
  if (current != kNoThread && next_change_ < change_points_.size() &&
      change_points_[next_change_] == steps_) {
    ++next_change_;
    Demote(current);
  }
  ThreadIndex best = runnable.front();
  for (ThreadIndex t : runnable) {
    GCS_CHECK(t < priorities_.size());
    if (priorities_[t] > priorities_[best]) best = t;
  }
  return best;
}

void PctStrategy::OnYield(ThreadIndex thread) {
  GCS_CHECK_MSG(thread < priorities_.size(), "OnYield before BeginExecution");
  if (yields_) Demote(thread);
}

// Without yields the j-th change point demotes to d-j, as in the paper: below every initial
// priority (>= d) and below every thread demoted earlier (d-1 .. d-j+1). A yield demotes the same
// way, so the priorities go on down past 0.
void PctStrategy::Demote(ThreadIndex thread) {
  priorities_[thread] = next_low_--;
}

}  // namespace gcs::sched
