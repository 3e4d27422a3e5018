// gcstress runner — RunState and RunMonitor: the bookkeeping of one Runner::Run, kept by the
// run policy (run_policy.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"

namespace gcs {

using RunClock = std::chrono::steady_clock;
inline constexpr uint64_t kNoIteration = std::numeric_limits<uint64_t>::max();

// Whether a violation of `kind` stops a run with `config` (Runner, "Stopping").
inline bool StopsRun(const RunConfig& config, ViolationKind kind) {
  return !config.keep_going || config.stop_on_kind == kind;
}

// The state of one Run call: what ran, what failed, when to stop. The policy is one thread and
// takes mu all the same (progress and new-signature hooks run with it released).
struct RunState {
  const Scenario* scenario = nullptr;
  const RunConfig* config = nullptr;
  std::atomic<uint64_t> next{0};                // the lowest iteration not handed out yet
  std::atomic<uint64_t> stop_at{kNoIteration};  // lowest stopping failure so far
  std::atomic<bool> halt{false};                // start no further iteration
  std::atomic<bool> exhausted{false};

  std::mutex mu;
  uint64_t done = 0;
  uint64_t violations = 0;
  std::map<std::string, Failure> by_signature;  // lowest iteration per signature
  std::vector<std::string> to_announce;         // signatures first seen since the last drain
  bool track_violating = false;                 // keep `violating` (a stop that keep_going
                                                // does not make: stop_on_kind, a dead dfs)
  std::vector<uint64_t> violating;              // every failing iteration, if tracked
  uint64_t error_iteration = kNoIteration;      // internal error: the lowest iteration's
  std::string error;

  void InternalError(uint64_t iteration, std::string message);
  // One finished iteration: passed, or failed with `failure` (its lowest-so-far candidate for
  // its signature). RecordViolation counts a failure whose details are not needed: a later
  // iteration of a signature the same worker already reported.
  void RecordPass(uint64_t iteration);
  void RecordFailure(Failure&& failure);
  void RecordViolation(uint64_t iteration, ViolationKind kind, const std::string& signature);
  // A failure found for an iteration after it was recorded (a leak hunt): `counted` if that
  // iteration already counts as a violation.
  void RecordLateFailure(Failure&& failure, bool counted);

 private:
  void CountViolation(uint64_t iteration, ViolationKind kind);
  void StopIfNeeded(uint64_t iteration, ViolationKind kind);
  void KeepLowest(Failure&& failure);
};

// The calling thread's duties while iterations run: the interrupt and the time budget (setting
// halt), progress, new signatures.
struct RunMonitor {
  RunState& rs;
  const RunHooks& hooks;
  RunClock::time_point start;
  RunClock::time_point last_progress;
  std::chrono::milliseconds budget;
  bool interrupted = false;
  bool out_of_time = false;
  std::string strategy;  // for progress

  void Drain(std::unique_lock<std::mutex>& lock);
  void Watch(std::unique_lock<std::mutex>& lock);
  bool Stopping() const;
};

// The summary of a finished run, as one worker would have given it: failures above the stopping
// iteration dropped, counts cut there, each failure confirmed with `confirm` (if config.confirm).
RunSummary Summarize(RunState& rs, const RunMonitor& monitor, RunSummary summary,
                     const std::function<uint32_t(const Failure&)>& confirm);

}  // namespace gcs
