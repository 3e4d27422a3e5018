// gcstress runner — RunPolicy: the one run policy, for either executor (batch_executor.h).
// Defined in harness/runner/runner.cc, beside the Runner that runs it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner/batch_executor.h"
#include "harness/runner/run_state.h"

namespace gcs {

// What runs next and when a run stops, as Runner (runner.h, "Iterations", "Stopping",
// "Isolation") specifies it, in batches handed to a BatchExecutor:
//
//   calibrate  slot 0 runs [0, kCalibrationIterations) on one strategy and reports the frozen
//              spec; a death there is skipped by the child that takes over (Batch::skip)
//   sample     then every slot takes shares of the rest, a fresh strategy from the frozen spec
//              per iteration; the rest of a batch whose execution died goes to another child
//   explore    dfs: slot 0 runs one batch to the limit or until its tree is covered; a death
//              ends the run there (the tree died with the child)
//   free       free mode: every slot takes shares from the start
//   hunt       (any phase) a batch whose end-of-batch leak check fired runs again, first
//
// Every result goes to RunState (lowest failure per signature, the stop, counts); the summary is
// the one a single worker in process would give. One thread (Run's caller) does everything: the
// executor delivers its results there (BatchExecutor::Poll).
class RunPolicy final : public BatchEvents {
 public:
  // `spec`: the canonical strategy spec, or "free".
  RunPolicy(const Scenario& scenario, const RunConfig& config, std::string spec, bool free_mode,
            bool explores, const RunHooks& hooks);

  // Runs the scenario on `executor` until the policy stops, then summarizes (confirming each
  // failure on the executor if config.confirm).
  RunSummary Run(BatchExecutor& executor);

  void Passed(uint32_t slot, uint64_t iteration) override;
  void Failed(uint32_t slot, Failure&& failure) override;
  void Violated(uint32_t slot, uint64_t iteration, ViolationKind kind,
                const std::string& signature) override;
  void Died(uint32_t slot, Failure&& failure) override;
  void Errored(uint32_t slot, std::optional<uint64_t> iteration, std::string message) override;
  void Exhausted(uint32_t slot) override;
  void Calibrated(uint32_t slot, std::string frozen_spec) override;
  void Leaked(uint32_t slot, uint64_t begin, uint64_t end) override;
  void Ended(uint32_t slot, bool clean) override;

 private:
  enum class Phase : uint8_t { kCalibrate, kExplore, kSample, kFree, kDone };
  struct Range {
    uint64_t begin;
    uint64_t end;
  };
  // A batch whose end-of-batch leak check found a leak, to be run again as a hunt.
  struct Hunt {
    Batch batch;
    std::vector<uint64_t> violations;  // of its iterations, those already counted as violations
  };
  // What a slot runs.
  struct Running {
    bool busy = false;
    Batch batch;
    uint64_t next = 0;  // the lowest iteration of the batch not reported yet
    bool errored = false;
    bool exhausted = false;
    std::vector<uint64_t> violations;  // iterations reported as violations (a hunt: of the
                                       // hunted batch)
  };

  bool Stopping() const { return monitor_.Stopping(); }
  void StartBatches();
  std::optional<Batch> NextBatch(uint32_t slot, std::vector<uint64_t>* counted);
  uint64_t Share(uint64_t next) const;
  bool InBatch(Running& r, uint64_t i);
  void Reported(Running& r, uint64_t i);
  void CheckEnd(const Running& r);
  void AfterBatch(const Running& r);

  const RunConfig& config_;
  const std::string spec_;
  const uint64_t limit_;
  RunState rs_;
  RunMonitor monitor_;
  RunSummary summary_;
  BatchExecutor* executor_ = nullptr;
  uint32_t jobs_ = 1;
  Phase phase_ = Phase::kDone;
  std::vector<Running> running_;  // a slot each
  std::deque<Range> retry_;
  std::deque<Hunt> hunts_;
  uint64_t calibration_end_ = 0;
  uint64_t calibration_next_ = 0;
  bool need_frozen_ = false;
  std::optional<std::string> frozen_;
  std::vector<uint64_t> died_in_calibration_;
  bool explore_started_ = false;
};

}  // namespace gcs
