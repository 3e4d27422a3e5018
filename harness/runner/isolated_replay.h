// gcstress runner — re-executing one recorded execution N times, each in a child process: what
// `gcstress replay` and fork mode's --confirm do, so that replaying a crash reports the crash.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/isolation/wire.h"
#include "harness/runner/executor.h"

namespace gcs {

// One recorded execution: deterministic (its schedule is followed decision by decision) or free
// (re-run free with its seed).
struct ReExecution {
  const Scenario* scenario = nullptr;
  std::vector<std::string> faults;
  bool free_mode = false;
  uint32_t yield_per_mille = 0;
  sched::Schedule schedule;  // free mode: only its seed is used
  // Deterministic mode: when set, a first execution rather than a re-execution — it runs under a
  // fresh strategy from this (with seed schedule.seed) instead of following schedule's decisions.
  // Made in the child, so it may refer to the caller's memory. (import-crash: a fuzz case's
  // byte-steered strategy, whose schedule exists only once it has run.)
  std::function<std::unique_ptr<sched::Strategy>()> strategy;
};

struct ReExecutionResult {
  JudgedExecution run;                // a death's: its verdict, seed and schedule; no trace
  std::optional<size_t> diverged_at;  // ReplayStrategy::DivergedAt; unknown after a death
  bool died = false;                  // the child crashed, hung or reported (Failure::evidence)
  std::string evidence;
  std::string evidence_file;
  std::shared_ptr<const isolation::TraceStrings> trace_strings;
};

// Runs `times` re-executions in child processes — one child until one of them dies, then a fresh
// one for the rest — calling each(k, result) for k = 0, 1, ... in order on this thread. A hang
// (no progress for step_timeout; 0 = never) is a death like any other. Errors: a child could not
// be started, or the harness failed in one (the message says why).
std::optional<std::string> ReExecuteIsolated(
    const TargetFactory& factory, const ReExecution& what, uint64_t times,
    std::chrono::milliseconds step_timeout,
    const std::function<void(uint64_t, ReExecutionResult&&)>& each);

}  // namespace gcs
