// gcstress fuzzing — FuzzExecutor: a fuzz case through the runner's Executor.
#include "harness/fuzzing/fuzz_executor.h"

#include <algorithm>
#include <utility>

#include "core/check.h"
#include "harness/fuzzing/byte_strategy.h"
#include "harness/generator/generator.h"
#include "harness/runner/iteration_seed.h"

namespace gcs {

uint64_t FuzzExecutionSeed() {
  return IterationSeed(kFuzzBaseSeed, 0);
}

FuzzDecodeOptions DecodeOptionsFor(const Target& target) {
  FuzzDecodeOptions o;
  o.generator.supported_ops = target.SupportedOps();
  return o;
}

FuzzExecutor::FuzzExecutor(std::unique_ptr<Target> target, std::vector<std::string> faults)
    : target_name_(target->Name()),
      faults_(std::move(faults)),
      executor_(std::move(target), OracleOptions{}) {
  const std::vector<std::string> known = executor_.target().FaultNames();
  for (const std::string& f : faults_) {
    GCS_CHECK_MSG(std::find(known.begin(), known.end(), f) != known.end(),
                  "FuzzExecutor: a fault the target does not have");
  }
  decode_options_ = DecodeOptionsFor(executor_.target());
  // Checked in Run instead, when a case finds something (GeneratorOptions::check_with_loader).
  decode_options_.generator.check_with_loader = false;
}

const FuzzCase& FuzzExecutor::Decode(const uint8_t* data, size_t size) {
  DecodeFuzzInputInto(case_, scratch_, data, size, decode_options_);
  return case_;
}

FuzzRun FuzzExecutor::Run(const FuzzCase& fuzz_case) {
  ByteStrategy strategy(fuzz_case.schedule_bytes);
  JudgedExecution judged = executor_.Execute(fuzz_case.scenario, faults_, strategy,
                                             FuzzExecutionSeed(), EngineOptions{});
  FuzzRun run;
  run.execution = std::move(judged.execution);
  run.verdict = std::move(judged.verdict);
  run.schedule_bytes_used = strategy.BytesUsed();
  if (run.verdict) {
    // What is reported must be what `gcstress import-crash` and a replay load: a generator that
    // wrote anything else is the finding.
    if (auto problem =
            LoaderDisagreement(fuzz_case.scenario, decode_options_.generator.supported_ops)) {
      GCS_CHECK_MSG(false, problem->c_str());
    }
  }
  return run;
}

void FuzzExecutor::Recycle(FuzzRun&& spent) {
  executor_.Recycle(std::move(spent.execution));
}

Repro FuzzExecutor::MakeRepro(const FuzzCase& fuzz_case, const FuzzRun& run) const {
  GCS_CHECK_MSG(run.verdict.has_value(), "MakeRepro of a fuzz run without a verdict");
  Repro r;
  r.scenario = fuzz_case.scenario;
  r.target = target_name_;
  r.faults = faults_;
  r.schedule = run.execution.schedule;
  r.strategy = r.schedule.strategy;
  r.seed = kFuzzBaseSeed;
  r.iteration = 0;
  r.free_mode = false;
  r.yield_per_mille = 0;
  r.verdict = *run.verdict;
  // As MakeRepro(runner) keeps them: allocation ids and trace positions are not part of a repro.
  r.verdict.obj = core::kNoAlloc;
  r.verdict.trace_index = 0;
  return r;
}

}  // namespace gcs
