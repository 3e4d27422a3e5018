// gcstress cli — `gcstress import-crash FILE`: a scenario_fuzzer crash input, decoded and run
// again, written as a repro that `gcstress replay` reproduces.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/report_output.h"
#include "harness/fuzzing/byte_strategy.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/fuzzing/fuzz_faults.h"
#include "harness/runner/isolated_replay.h"
#include "harness/runner/report_dir.h"
#include "harness/runner/repro_replay.h"

namespace gcs::cli {
namespace {

Expected<std::vector<uint8_t>> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError{path, "", "cannot open the file"};
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return InputError{path, "", "cannot read the file"};
  return bytes;
}

// A scenario_json_fuzzer input is JSON text; a scenario_fuzzer input only starts like it by chance.
bool LooksLikeJson(const std::vector<uint8_t>& bytes) {
  for (uint8_t b : bytes) {
    if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
    return b == '{' || b == '[';
  }
  return false;
}

std::string JoinFaults(const std::vector<std::string>& faults) {
  std::string out;
  for (const std::string& f : faults)
    out += (out.empty() ? "" : ",") + f;
  return out;
}

// The fuzz case run once, as scenario_fuzzer ran it. In a child process unless --no-fork, so that
// what only a sanitizer sees (the asan preset's build) or a crash becomes the verdict, with the
// schedule up to it, instead of ending gcstress. Errors: the child could not run.
Expected<FuzzRun> RunCase(FuzzExecutor& executor, const FuzzCase& fuzz_case, bool no_fork,
                          std::chrono::milliseconds step_timeout) {
  if (no_fork) return executor.Run(fuzz_case);
  ReExecution what;
  what.scenario = &fuzz_case.scenario;
  what.faults = executor.faults();
  what.schedule.seed = FuzzExecutionSeed();
  what.strategy = [&fuzz_case] { return std::make_unique<ByteStrategy>(fuzz_case.schedule_bytes); };
  FuzzRun run;
  const std::optional<std::string> error = ReExecuteIsolated(
      NamedTarget(kFuzzTarget), what, 1, step_timeout, [&](uint64_t, ReExecutionResult&& r) {
        run.execution = std::move(r.run.execution);
        run.execution.trace.entries.clear();  // its strings live in r.trace_strings
        run.verdict = std::move(r.run.verdict);
      });
  if (error) return InputError{"<child process>", "", *error};
  return run;
}

// The repro replayed on a fresh target (in a child unless --no-fork): true if it reproduces.
Expected<bool> Replays(const Repro& repro, bool no_fork, std::chrono::milliseconds step_timeout) {
  auto good = [](const ReplayResult& r) { return r.matches && !r.diverged_at; };
  if (no_fork) {
    Expected<std::unique_ptr<Target>> target = MakeTarget(repro.target);
    if (!target) return target.error();
    Executor replayer(std::move(target).value(), OracleOptions{});
    return good(ReplayRepro(replayer, repro));
  }
  bool ok = false;
  const std::optional<std::string> error =
      ReplayReproIsolated(NamedTarget(repro.target), repro, 1, step_timeout,
                          [&](uint64_t, ReplayResult&& r) { ok = good(r); });
  if (error) return InputError{"<child process>", "", *error};
  return ok;
}

}  // namespace

ExitCode ImportCrashCommand(const Invocation& inv) {
  const std::string& path = inv.inputs.at(0);
  Expected<std::vector<uint8_t>> bytes = ReadBytes(path);
  if (PrintIfError(bytes)) return ExitCode::kBadInput;
  Expected<std::unique_ptr<Target>> target = MakeTarget(kFuzzTarget);
  if (PrintIfError(target)) return ExitCode::kBadInput;
  Expected<std::vector<std::string>> faults =
      ParseFaultList(JoinFaults(inv.flags.faults), (*target)->FaultNames(), "--fault");
  if (!faults) {
    PrintError(InputError{"<flag>", "--fault", faults.error().message});
    return ExitCode::kBadInput;
  }
  Expected<std::chrono::milliseconds> step_timeout =
      ParseDuration(inv.flags.step_timeout, "--step-timeout");
  if (PrintIfError(step_timeout)) return ExitCode::kBadInput;
  FuzzExecutor executor(std::move(target).value(), *faults);
  const FuzzCase fuzz_case =
      DecodeFuzzInput(bytes->data(), bytes->size(), executor.decode_options());
  const Expected<FuzzRun> ran = RunCase(executor, fuzz_case, inv.flags.no_fork, *step_timeout);
  if (!ran) {
    PrintError("import-crash: internal error: " + ran.error().Format());
    return ExitCode::kInternalError;
  }
  const FuzzRun& run = *ran;
  if (!run.verdict) {
    std::string why =
        "decodes to scenario " + fuzz_case.scenario.name + ", which passes under [" +
        JoinFaults(*faults) +
        "]: nothing to import (a scenario_fuzzer crash needs the --fault flags of "
        "its GCS_FUZZ_FAULTS; one only a sanitizer saw needs the asan preset's build)";
    if (LooksLikeJson(*bytes)) {
      why =
          "looks like a scenario_json_fuzzer input, and decodes to a scenario that passes: a "
          "loader crash has no schedule to replay (reproduce it with scenario_json_fuzzer " +
          path + ", or gcstress check " + path + ")";
    }
    PrintError(InputError{path, "", why});
    return ExitCode::kBadInput;
  }
  const Repro repro = executor.MakeRepro(fuzz_case, run);

  // A repro file that does not replay is worse than none: replay it on a fresh target first.
  const Expected<bool> replays = Replays(repro, inv.flags.no_fork, *step_timeout);
  if (!replays) {
    PrintError("import-crash: internal error: " + replays.error().Format());
    return ExitCode::kInternalError;
  }
  if (!*replays) {
    PrintError("import-crash: internal error: the repro of " + path + " does not replay to " +
               repro.verdict.Signature());
    return ExitCode::kInternalError;
  }

  std::string out_path = inv.flags.out;
  if (out_path.empty()) {
    Expected<std::string> written = WriteRepro(inv.flags.reports, repro);
    if (PrintIfError(written)) return ExitCode::kBadInput;
    out_path = *written;
  } else if (auto error = WriteFileAtomically(out_path, FormatRepro(repro))) {
    PrintError(*error);
    return ExitCode::kBadInput;
  }
  std::printf("import-crash %s: %s\n  %s\n  at %s\n", path.c_str(),
              repro.verdict.Signature().c_str(), repro.verdict.message.c_str(),
              FormatLocation(repro.scenario, repro.verdict).c_str());
  std::printf(
      "  scenario %s: %zu steps, %zu threads; schedule: %zu decisions (the input has %zu "
      "schedule bytes)\n",
      repro.scenario.name.c_str(), repro.scenario.TotalSteps(), repro.scenario.threads.size(),
      repro.schedule.decisions.size(), fuzz_case.schedule_bytes.size());
  std::printf("  repro: %s\n  replay: gcstress replay %s\n", out_path.c_str(), out_path.c_str());
  std::fflush(stdout);
  return ExitCodeForVerdict(repro.verdict);
}

}  // namespace gcs::cli
