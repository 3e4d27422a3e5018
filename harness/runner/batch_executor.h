// gcstress runner — the seam between the run policy and the executors: a Batch (what to run),
// BatchEvents (what comes back) and BatchExecutor (where it runs: in this process, or in child
// processes).
//
// One policy, two executors. The policy (RunPolicy, run_policy.h) decides what runs next and when
// the run stops: calibrate, freeze the spec, then sample, explore or run free; stop at the first
// violation or keep going; re-run a batch whose end-of-batch leak check fired as a hunt; carry on
// after an execution that died. An executor only runs batches and says what happened:
//
//   - Start(slot, batch): the slot (0 <= slot < slots()) runs `batch`; a slot runs one batch at a
//     time. An error (a child that cannot be started) leaves the slot free.
//   - SetStop(stop_at, halt): from now on no running batch starts an iteration above stop_at, and
//     with halt none at all (a leak hunt obeys stop_at only). Looked at between iterations.
//   - Poll(tick, events): waits about `tick` at most, then delivers on the calling thread what the
//     running batches produced, each slot's iterations in ascending order, and each batch's end
//     (Ended). An execution that died or hung (fork mode) comes back as Died with its verdict.
//   - Confirm(failure, times): re-executes a failure and counts the same signature.
//
// In-process (in_process_executor.h) a slot is a worker thread with its own target; in fork mode
// (child_executor.h) a slot is a child process that may crash or hang. Both run a batch's
// iterations with the same loop (RunBatch, batch_loop.h), so nothing the policy sees depends on
// which executor, how many slots, or which slot ran what.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner/runner.h"

namespace gcs {

// What one slot runs: iterations [begin, end) of a run, one way.
struct Batch {
  enum class Mode : uint8_t {
    // The first Runner::kCalibrationIterations iterations, on one strategy object built from
    // `spec`, in order. A child that takes over after a death first re-runs [0, begin) without
    // reporting — skipping the iterations in `skip`, whose executions died and so contributed
    // nothing — to bring the strategy to where the dead child had it. On reaching `end`, if
    // `send_frozen`, it reports the spec every later iteration runs with.
    kCalibrate,
    kExplore,  // dfs: one strategy object from `spec`, carried from execution to execution
    kSample,   // a fresh strategy from `spec` (the frozen one) per iteration
    kFree,     // free mode
  };
  Mode mode = Mode::kSample;
  uint64_t begin = 0;
  uint64_t end = 0;
  std::string spec;
  std::vector<uint64_t> skip;
  bool send_frozen = false;
  // A leak hunt. LeakSanitizer's check stops the world and scans the heap (milliseconds), so a
  // child runs it once, at the end of its batch; if it finds a leak, the batch is run again in a
  // fresh child as a hunt: the same executions, reporting nothing, the check after each, until
  // the first that leaks, which is reported. Only fork mode in ASan builds hunts.
  bool hunt_leaks = false;
};

// What running batches report, per slot. Implemented by the policy; called on one thread.
class BatchEvents {
 public:
  virtual ~BatchEvents() = default;
  virtual void Passed(uint32_t slot, uint64_t iteration) = 0;
  // A violation, with its execution: the first of its signature in this batch.
  virtual void Failed(uint32_t slot, Failure&& failure) = 0;
  // A violation of a signature this batch already reported in full (never the lowest of it).
  virtual void Violated(uint32_t slot, uint64_t iteration, ViolationKind kind,
                        const std::string& signature) = 0;
  // The execution of failure.iteration died (crash, failed check, sanitizer report, hang): the
  // verdict its post-mortem gave, its schedule up to the death, the evidence.
  virtual void Died(uint32_t slot, Failure&& failure) = 0;
  // The harness failed: at `iteration`, or (nullopt) at the first the batch has not reported.
  virtual void Errored(uint32_t slot, std::optional<uint64_t> iteration, std::string message) = 0;
  virtual void Exhausted(uint32_t slot) = 0;  // the exploring strategy has nothing left
  virtual void Calibrated(uint32_t slot, std::string frozen_spec) = 0;
  // The end-of-batch leak check found a leak in iterations [begin, end).
  virtual void Leaked(uint32_t slot, uint64_t begin, uint64_t end) = 0;
  // The slot's batch is over and the slot is free. `clean`: it ended as batches do (ran out, was
  // stopped, or stopped itself after Errored/Exhausted/Leaked), not by a death.
  virtual void Ended(uint32_t slot, bool clean) = 0;
};

class BatchExecutor {
 public:
  virtual ~BatchExecutor() = default;
  virtual uint32_t slots() const = 0;
  virtual std::optional<std::string> Start(uint32_t slot, const Batch& batch) = 0;
  virtual void SetStop(uint64_t stop_at, bool halt) = 0;
  virtual void Poll(std::chrono::milliseconds tick, BatchEvents& events) = 0;
  virtual uint32_t Confirm(const Failure& failure, uint32_t times) = 0;
};

}  // namespace gcs
