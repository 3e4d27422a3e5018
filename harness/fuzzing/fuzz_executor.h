// gcstress fuzzing — FuzzExecutor: runs decoded fuzz cases on a target, judged as `gcstress run`
// judges; and the repro of a failing one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/fuzzing/fuzz_input.h"
#include "harness/runner/executor.h"
#include "harness/runner/repro.h"
#include "harness/target/target.h"

namespace gcs {

// Every fuzz case runs as iteration 0 of base seed kFuzzBaseSeed (the CLI's default --seed): its
// execution seed, which only seeds ByteStrategy's random fallback, is IterationSeed(1, 0). So a
// fuzz case's run is also a valid repro's, with "seed": 1, "iteration": 0.
inline constexpr uint64_t kFuzzBaseSeed = 1;
uint64_t FuzzExecutionSeed();

// The target scenario_fuzzer runs on (a ListTargets() name): the one with the full event stream,
// so every oracle sees everything. `gcstress import-crash` decodes for the same target, since the
// decoding depends on the target's ops.
inline constexpr const char* kFuzzTarget = "core";

// What inputs decode with for `target`: the generator's defaults, limited to the target's ops.
FuzzDecodeOptions DecodeOptionsFor(const Target& target);

struct FuzzRun {
  Execution execution;               // execution.schedule replays it
  std::optional<Violation> verdict;  // the runner's Judge: oracles, then deadlock
  size_t schedule_bytes_used = 0;    // of the case's schedule bytes
};

// One target, its engine (whose thread pool is reused from case to case: an OS thread per
// scenario thread per case would cost more than the case) and its judge. Not thread-safe; one per
// fuzzer process.
class FuzzExecutor {
 public:
  // `faults` must be among target->FaultNames() (ParseFaultList checks; GCS_CHECK here).
  FuzzExecutor(std::unique_ptr<Target> target, std::vector<std::string> faults);

  // DecodeOptionsFor(target), without the generator's per-scenario load: Run loads the scenario
  // of a case with a verdict instead, and GCS_CHECKs that it loads as itself.
  const FuzzDecodeOptions& decode_options() const { return decode_options_; }
  const std::vector<std::string>& faults() const { return faults_; }
  Target& target() { return executor_.target(); }

  // DecodeFuzzInput with decode_options(), into this executor's own case: the same case, in the
  // memory the previous input's left (DecodeFuzzInputInto). Valid until the next Decode.
  const FuzzCase& Decode(const uint8_t* data, size_t size);

  FuzzRun Run(const FuzzCase& fuzz_case);
  // Gives a finished run's storage back: the next Run records into it (Executor::Recycle).
  void Recycle(FuzzRun&& spent);

  // The repro of a run with a verdict (GCS_CHECK): the case's scenario, the recorded schedule,
  // this executor's target and faults, seed kFuzzBaseSeed, iteration 0. `gcstress replay`
  // reproduces it in any build whose core behaves the same.
  Repro MakeRepro(const FuzzCase& fuzz_case, const FuzzRun& run) const;

 private:
  std::string target_name_;
  std::vector<std::string> faults_;
  FuzzDecodeOptions decode_options_;
  FuzzCase case_;  // Decode's
  GeneratorScratch scratch_;
  Executor executor_;
};

}  // namespace gcs
