// gcstress fuzz — scenario_fuzzer: bytes -> a generated scenario and a byte-steered schedule, run
// in-process on the core target and judged by the oracles; a violation is a crash.
//
// Faults: GCS_FUZZ_FAULTS=a,b in the environment, or -gcs_faults=a,b on the command line (a
// .options file's `gcs_faults = a,b`), read once at start; none = the fixed core, where any
// crash is a finding. fuzz/README.md has the input layout and how to turn a crash-* file into a
// repro (`gcstress import-crash`).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <utility>

#include "harness/fuzzing/fuzz_executor.h"
#include "harness/fuzzing/fuzz_faults.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/target/target.h"

namespace {

// libFuzzer's C interface leaves no other place for the state of a run than a static; it is built
// once in LLVMFuzzerInitialize and intentionally never destroyed (its pool threads are parked).
gcs::FuzzExecutor* executor = nullptr;

}  // namespace

// ASan's defaults for this fuzzer; ASAN_OPTIONS (an [asan] section of a .options file on
// OSS-Fuzz) still overrides each. quarantine_size_mb: ASan keeps freed memory poisoned in a FIFO
// of this many megabytes before reusing it. Its default, 256, is wider than a case by four orders
// of magnitude (a case frees tens of kilobytes: the scenario, the trace, the core's objects), so
// every case ran on memory that had left the cache long ago or gone back to the kernel — fresh
// pages to fault in and fill, a fifth of the fuzzer's CPU time. 16 MB still holds the frees of the
// last several hundred cases: a use after free within a case, which is what the seed faults do,
// is reported exactly as before.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=16";
}

// Called once by libFuzzer before any input: reads the fault set, builds the executor. A bad fault
// list is bad input: one line, exit 2.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  gcs::Expected<std::unique_ptr<gcs::Target>> made = gcs::MakeTarget(gcs::kFuzzTarget);
  if (!made) {
    std::fprintf(stderr, "scenario_fuzzer: error: %s\n", made.error().Format().c_str());
    std::exit(2);
  }
  std::unique_ptr<gcs::Target> target = std::move(made).value();
  const gcs::FuzzFaultSetting setting = gcs::FindFuzzFaultSetting(
      std::getenv(gcs::kFuzzFaultsEnv), std::span<char* const>(*argv, static_cast<size_t>(*argc)));
  gcs::Expected<std::vector<std::string>> faults =
      gcs::ParseFaultList(setting.text, target->FaultNames(), setting.source);
  if (!faults) {
    std::fprintf(stderr, "scenario_fuzzer: error: %s\n", faults.error().Format().c_str());
    std::exit(2);
  }
  std::string shown;
  for (const std::string& f : *faults)
    shown += (shown.empty() ? "" : ",") + f;
  std::fprintf(stderr, "scenario_fuzzer: target %s, faults [%s]\n", gcs::kFuzzTarget,
               shown.c_str());
  executor = new gcs::FuzzExecutor(std::move(target), std::move(faults).value());
  return 0;
}

// One input: decode, run once, judge. A verdict aborts, so that libFuzzer keeps the input as
// crash-<sha1>; the lines before it say what was found and how to import it.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const gcs::FuzzCase& fuzz_case = executor->Decode(data, size);
  gcs::FuzzRun run = executor->Run(fuzz_case);
  if (run.verdict) {
    std::fprintf(stderr,
                 "scenario_fuzzer: violation %s\n  %s\n  import: gcstress import-crash "
                 "<crash file>%s\n  scenario:\n%s",
                 run.verdict->Signature().c_str(), run.verdict->message.c_str(),
                 executor->faults().empty() ? "" : " --fault ...",
                 gcs::FormatScenario(fuzz_case.scenario).c_str());
    std::abort();
  }
  executor->Recycle(std::move(run));
  return 0;
}
