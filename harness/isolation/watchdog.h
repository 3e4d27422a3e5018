// gcstress isolation — the watchdog: no schedule progress within the step timeout is a hang.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "harness/isolation/progress_page.h"

// The wall clock enters here and only here: it decides *that* an execution hung, never what an
// execution does or what its verdict says (the hang verdict names where each thread stood, not
// how long anything took).

namespace gcs::isolation {

using WatchClock = std::chrono::steady_clock;

// Successive looks at one page. Stalled() is true once an execution is under way and the
// progress counter has not moved for `timeout`. A watcher that itself was away (a look more than
// half a timeout after the previous one — a slow callback, a suspended machine) restarts the
// clock instead of blaming the execution for time nobody watched.
class StallClock {
 public:
  explicit StallClock(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  bool Stalled(const ProgressPage& page, WatchClock::time_point now);
  // Starts watching `page` afresh (a new child, a new run): its progress as of `now`.
  void Restart(const ProgressPage& page, WatchClock::time_point now);

 private:
  std::chrono::milliseconds timeout_;
  uint64_t last_progress_ = ~uint64_t{0};
  WatchClock::time_point last_change_{};
  WatchClock::time_point last_look_{};
};

// How often a watcher looks: often enough to call a hang within a tenth of the timeout.
std::chrono::milliseconds LookInterval(std::chrono::milliseconds timeout);

// In-process watching (--no-fork): a thread that looks at the pages of this process's executors;
// when one stalls it calls on_hang(index of the region) — which prints the verdict — and ends the
// process with _exit(exit_code): threads stuck in a target cannot be unwound. A timeout of 0
// starts no thread.
class Watchdog {
 public:
  Watchdog(std::vector<const PageRegion*> regions, std::chrono::milliseconds timeout,
           std::function<void(size_t)> on_hang, int exit_code);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void Loop();

  std::vector<const PageRegion*> regions_;
  std::chrono::milliseconds timeout_;
  std::function<void(size_t)> on_hang_;
  int exit_code_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gcs::isolation
