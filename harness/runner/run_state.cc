// gcstress runner — RunState and RunMonitor: recording, watching, summarizing.
#include "harness/runner/run_state.h"

#include <algorithm>
#include <utility>

namespace gcs {

void RunState::InternalError(uint64_t iteration, std::string message) {
  std::lock_guard<std::mutex> guard(mu);
  if (iteration < error_iteration || error_iteration == kNoIteration) {
    error_iteration = iteration;
    error = std::move(message);
  }
  halt = true;
}

void RunState::RecordPass(uint64_t) {
  std::lock_guard<std::mutex> guard(mu);
  ++done;
}

void RunState::StopIfNeeded(uint64_t iteration, ViolationKind kind) {
  if (StopsRun(*config, kind) && iteration < stop_at.load()) stop_at = iteration;
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
}

void RunState::RecordLateFailure(Failure&& failure, bool counted) {
  std::lock_guard<std::mutex> guard(mu);
  if (!counted) {
    ++violations;
    if (track_violating) violating.push_back(failure.iteration);
  }
  StopIfNeeded(failure.iteration, failure.violation.kind);
  KeepLowest(std::move(failure));
}

void RunState::RecordViolation(uint64_t iteration, ViolationKind kind, const std::string&) {
  std::lock_guard<std::mutex> guard(mu);
  CountViolation(iteration, kind);
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
