// gcstress scheduler — PortfolioStrategy: the variant draw and the forwarding.
#include "harness/scheduler/portfolio.h"

#include <algorithm>

#include "core/check.h"
#include "harness/scheduler/prng.h"

namespace gcs::sched {

namespace {
// Apart from the streams the variants seed from the same execution seed (1 and 2).
constexpr uint64_t kVariantStream = 3;
}  // namespace

PortfolioStrategy::PortfolioStrategy(uint32_t max_depth, uint32_t random_percent,
                                     uint64_t initial_steps, uint32_t yields_percent)
    : max_depth_(max_depth),
      random_percent_(random_percent),
      yields_percent_(yields_percent),
      step_estimate_(initial_steps) {
  GCS_CHECK(max_depth >= 2);
  GCS_CHECK(random_percent <= 100);
  GCS_CHECK(yields_percent <= 100);
  GCS_CHECK(initial_steps >= 1);
}

std::string PortfolioStrategy::Spec() const {
  return "portfolio:max-depth=" + std::to_string(max_depth_) +
         ",random=" + std::to_string(random_percent_) + ",steps=" + std::to_string(step_estimate_) +
         // At its default, yields goes unsaid, as in pct's spec.
         (yields_percent_ == StrategyParamDefault("portfolio", "yields")
              ? ""
              : ",yields=" + std::to_string(yields_percent_));
}

void PortfolioStrategy::BeginExecution(uint64_t seed, uint32_t num_threads) {
  max_points_seen_ = std::max(max_points_seen_, points_);
  points_ = 0;
  if (max_points_seen_ > 0) step_estimate_ = max_points_seen_;

  Xoshiro256 pick;
  pick.Seed(DeriveSeed(seed, kVariantStream));
  pct_.reset();
  if (pick.Below(100) < random_percent_) {
    random_.BeginExecution(seed, num_threads);
    return;
  }
  const uint64_t cap =
      std::max<uint64_t>(2, std::min<uint64_t>(max_depth_, 1 + step_estimate_ / 4));
  const auto depth = static_cast<uint32_t>(2 + pick.Below(cap - 1));
  const bool yields = pick.Below(100) < yields_percent_;
  pct_.emplace(depth, step_estimate_, yields);
  pct_->BeginExecution(seed, num_threads);
}

Strategy& PortfolioStrategy::Active() {
  if (pct_) return *pct_;
  return random_;
}

ThreadIndex PortfolioStrategy::NextThread(std::span<const ThreadIndex> runnable,
                                          ThreadIndex current, bool current_runnable) {
  return Active().NextThread(runnable, current, current_runnable);
}

uint64_t PortfolioStrategy::NextU64() {
  return Active().NextU64();
}

std::string PortfolioStrategy::Variant() const {
  return pct_ ? pct_->Spec() : random_.Spec();
}

}  // namespace gcs::sched
