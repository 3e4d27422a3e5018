// gcstress isolation — the watchdog: stall clocks, and the in-process watchdog thread.
#include "harness/isolation/watchdog.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace gcs::isolation {

std::chrono::milliseconds LookInterval(std::chrono::milliseconds timeout) {
  return std::clamp<std::chrono::milliseconds>(timeout / 10, std::chrono::milliseconds(5),
                                               std::chrono::milliseconds(250));
}

void StallClock::Restart(const ProgressPage& page, WatchClock::time_point now) {
  last_progress_ = page.progress.load(std::memory_order_relaxed);
  last_change_ = now;
  last_look_ = now;
}

bool StallClock::Stalled(const ProgressPage& page, WatchClock::time_point now) {
  const uint64_t progress = page.progress.load(std::memory_order_relaxed);
  const bool running =
      page.state.load(std::memory_order_relaxed) != static_cast<uint32_t>(ExecState::kIdle);
  const bool watcher_was_away = now - last_look_ > timeout_ / 2;
  last_look_ = now;
  if (progress != last_progress_ || !running || watcher_was_away) {
    last_progress_ = progress;
    last_change_ = now;
    return false;
  }
  return timeout_.count() > 0 && now - last_change_ >= timeout_;
}

Watchdog::Watchdog(std::vector<const PageRegion*> regions, std::chrono::milliseconds timeout,
                   std::function<void(size_t)> on_hang, int exit_code)
    : regions_(std::move(regions)),
      timeout_(timeout),
      on_hang_(std::move(on_hang)),
      exit_code_(exit_code) {
  if (timeout_.count() > 0 && !regions_.empty()) thread_ = std::thread([this] { Loop(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::Loop() {
  std::vector<StallClock> clocks(regions_.size(), StallClock(timeout_));
  const auto start = WatchClock::now();
  for (size_t i = 0; i < clocks.size(); ++i)
    clocks[i].Restart(regions_[i]->page(), start);
  const auto interval = LookInterval(timeout_);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
    const auto now = WatchClock::now();
    for (size_t i = 0; i < regions_.size(); ++i) {
      if (!clocks[i].Stalled(regions_[i]->page(), now)) continue;
      lock.unlock();
      if (on_hang_) on_hang_(i);
      std::fflush(nullptr);
      ::_exit(exit_code_);
    }
  }
}

}  // namespace gcs::isolation
