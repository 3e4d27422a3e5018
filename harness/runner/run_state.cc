// gcstress runner — RunState and RunMonitor: claiming, recording, watching, summarizing.
#include "harness/runner/run_state.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

#include "harness/runner/determinism_check.h"
#include "harness/runner/iteration_seed.h"
#include "harness/scheduler/dfs.h"

namespace gcs {

bool RunState::Claim(uint64_t end, uint64_t* out) {
  uint64_t i = next.load();
  do {
    if (i >= end || i > stop_at.load() || halt.load()) return false;
  } while (!next.compare_exchange_weak(i, i + 1));
  *out = i;
  return true;
}

void RunState::InternalError(uint64_t iteration, std::string message) {
  std::lock_guard<std::mutex> guard(mu);
  if (iteration < error_iteration || error_iteration == kNoIteration) {
    error_iteration = iteration;
    error = std::move(message);
  }
  halt = true;
  cv.notify_all();
}

void RunState::RecordPass(uint64_t) {
  std::lock_guard<std::mutex> guard(mu);
  ++done;
  cv.notify_all();
}

void RunState::StopIfNeeded(uint64_t iteration, ViolationKind kind) {
  const bool stops = !config->keep_going || config->stop_on_kind == kind;
  if (stops && iteration < stop_at.load()) stop_at = iteration;
}

void RunState::CountViolation(uint64_t iteration, ViolationKind kind) {
  ++done;
  ++violations;
  if (track_violating) violating.push_back(iteration);
  StopIfNeeded(iteration, kind);
}

void RunState::KeepLowest(Failure&& failure) {
  const uint64_t iteration = failure.iteration;
  std::string signature = failure.violation.Signature();
  auto it = by_signature.find(signature);
  if (it == by_signature.end() || iteration < it->second.iteration) {
    if (it == by_signature.end()) to_announce.push_back(signature);
    by_signature[signature] = std::move(failure);
  }
}

void RunState::RecordFailure(Failure&& failure) {
  if (failure.evidence.empty() && failure.execution.target_failure) {
    // A target that failed as a whole left what it wrote (a remote adapter's standard error).
    failure.evidence = failure.execution.target_failure->evidence;
    failure.evidence_file = failure.execution.target_failure->evidence_file;
  }
  std::lock_guard<std::mutex> guard(mu);
  CountViolation(failure.iteration, failure.violation.kind);
  KeepLowest(std::move(failure));
  cv.notify_all();
}

void RunState::RecordLateFailure(Failure&& failure, bool counted) {
  std::lock_guard<std::mutex> guard(mu);
  if (!counted) {
    ++violations;
    if (track_violating) violating.push_back(failure.iteration);
  }
  StopIfNeeded(failure.iteration, failure.violation.kind);
  KeepLowest(std::move(failure));
  cv.notify_all();
}

void RunState::RecordViolation(uint64_t iteration, ViolationKind kind, const std::string&) {
  std::lock_guard<std::mutex> guard(mu);
  CountViolation(iteration, kind);
  cv.notify_all();
}

void RunState::RunIteration(Executor& ex, sched::Strategy& strategy, uint64_t i) {
  const uint64_t seed = IterationSeed(config->seed, i);
  if (ex.monitor() != nullptr) ex.monitor()->SetIteration(i);
  try {
    JudgedExecution judged = ex.Execute(*scenario, config->faults, strategy, seed, options);
    if (judged.execution.strategy_exhausted &&
        dynamic_cast<const sched::DfsStrategy*>(&strategy) != nullptr) {
      exhausted = true;
    }
    if (config->check_determinism) {
      std::optional<size_t> diverged;
      JudgedExecution replay =
          ex.Replay(*scenario, config->faults, judged.execution.schedule, options, &diverged);
      if (auto diff = CompareWithReplay(*scenario, judged, replay, diverged)) {
        InternalError(i, "nondeterminism: iteration " + std::to_string(i) + " (seed " +
                             std::to_string(seed) + ") replayed from its schedule: " + *diff);
        return;
      }
      ex.Recycle(std::move(replay.execution));
    }
    if (!judged.verdict) {
      ex.Recycle(std::move(judged.execution));
      RecordPass(i);
      return;
    }
    Failure f;
    f.iteration = i;
    f.execution = std::move(judged.execution);
    f.violation = std::move(*judged.verdict);
    RecordFailure(std::move(f));
  } catch (const std::exception& e) {
    InternalError(i, "iteration " + std::to_string(i) + ": the execution threw: " + e.what());
  }
}

void RunMonitor::Drain(std::unique_lock<std::mutex>& lock) {
  while (!rs.to_announce.empty()) {
    std::vector<std::string> batch;
    batch.swap(rs.to_announce);
    if (!hooks.new_signature) continue;
    for (const std::string& sig : batch) {
      const Failure failure = rs.by_signature.at(sig);  // a copy: the callback runs unlocked
      lock.unlock();
      hooks.new_signature(failure);
      lock.lock();
    }
  }
}

void RunMonitor::Watch(std::unique_lock<std::mutex>& lock) {
  const auto now = RunClock::now();
  if (hooks.interrupt != nullptr && hooks.interrupt->load()) {
    interrupted = true;
    rs.halt = true;
  }
  if (budget.count() > 0 && now - start >= budget) {
    out_of_time = true;
    rs.halt = true;
  }
  if (rs.config->keep_going) Drain(lock);
  if (hooks.progress && now - last_progress >= hooks.progress_interval) {
    last_progress = now;
    RunProgress p;
    p.iterations = rs.done;
    p.violations = rs.violations;
    p.distinct = rs.by_signature.size();
    p.seconds = std::chrono::duration<double>(now - start).count();
    p.exec_per_sec = p.seconds > 0 ? static_cast<double>(rs.done) / p.seconds : 0;
    p.strategy = strategy;
    lock.unlock();
    hooks.progress(p);
    lock.lock();
  }
}

void RunMonitor::RunPhase(uint32_t workers, const std::function<void(uint32_t)>& body) {
  {
    std::lock_guard<std::mutex> guard(rs.mu);
    rs.workers_running = workers;
  }
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (uint32_t w = 0; w < workers; ++w) {
    threads.emplace_back([this, w, &body] {
      body(w);
      std::lock_guard<std::mutex> guard(rs.mu);
      --rs.workers_running;
      rs.cv.notify_all();
    });
  }
  const auto tick = std::clamp<std::chrono::milliseconds>(
      hooks.progress_interval, std::chrono::milliseconds(1), std::chrono::milliseconds(50));
  std::unique_lock<std::mutex> lock(rs.mu);
  while (rs.workers_running > 0) {
    rs.cv.wait_for(lock, tick);
    Watch(lock);
  }
  if (rs.config->keep_going) Drain(lock);
  lock.unlock();
  for (std::thread& t : threads)
    t.join();
}

bool RunMonitor::Stopping() const {
  return rs.halt.load() || rs.stop_at.load() != kNoIteration || rs.exhausted.load();
}

RunSummary Summarize(RunState& rs, const RunMonitor& monitor, RunSummary summary,
                     const std::function<uint32_t(const Failure&)>& confirm) {
  const RunConfig& config = *rs.config;
  summary.seconds = std::chrono::duration<double>(RunClock::now() - monitor.start).count();
  std::lock_guard<std::mutex> guard(rs.mu);
  std::vector<Failure> failures;
  for (auto& [sig, failure] : rs.by_signature)
    failures.push_back(std::move(failure));
  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.iteration < b.iteration; });
  const uint64_t cut = rs.stop_at.load();
  if (cut != kNoIteration) {
    // Iterations above the one the run stopped at that were already running when it was found do
    // not count: the summary is the one a single worker would give.
    std::erase_if(failures, [cut](const Failure& f) { return f.iteration > cut; });
    summary.iterations = cut + 1;
    summary.violations =
        config.keep_going
            ? static_cast<uint64_t>(std::count_if(rs.violating.begin(), rs.violating.end(),
                                                  [cut](uint64_t i) { return i <= cut; }))
            : 1;
  } else {
    summary.iterations = rs.done;
    summary.violations = rs.violations;
  }
  for (Failure& f : failures) {
    if (config.confirm > 0) f.confirmed = confirm(f);
  }
  if (!failures.empty()) summary.first_failure = failures[0];
  summary.failures = std::move(failures);
  summary.exec_per_sec = summary.seconds > 0 ? static_cast<double>(rs.done) / summary.seconds : 0;

  if (rs.error_iteration != kNoIteration) {
    summary.stop = StopReason::kInternalError;
    summary.internal_error = rs.error;
  } else if (cut != kNoIteration) {
    summary.stop = StopReason::kFirstFailure;
  } else if (rs.exhausted.load()) {
    summary.stop = StopReason::kExhausted;
  } else if (monitor.interrupted) {
    summary.stop = StopReason::kInterrupted;
  } else if (monitor.out_of_time) {
    summary.stop = StopReason::kTimeBudget;
  } else {
    summary.stop = StopReason::kIterations;
  }
  return summary;
}

}  // namespace gcs
