// gcstress cli — `gcstress import-crash FILE`: a scenario_fuzzer crash input, decoded and run
// again, written as a repro that `gcstress replay` reproduces.
#include <cstdio>
#include <fstream>
#include <iterator>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/fuzzing/fuzz_faults.h"
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
  FuzzExecutor executor(std::move(target).value(), *faults);
  const FuzzCase fuzz_case =
      DecodeFuzzInput(bytes->data(), bytes->size(), executor.decode_options());
  const FuzzRun run = executor.Run(fuzz_case);
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
  Expected<std::unique_ptr<Target>> replay_target = MakeTarget(repro.target);
  if (PrintIfError(replay_target)) return ExitCode::kBadInput;
  Executor replayer(std::move(replay_target).value(), OracleOptions{});
  const ReplayResult check = ReplayRepro(replayer, repro);
  if (!check.matches || check.diverged_at) {
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
      "  scenario %s: %zu steps, %zu threads; schedule: %zu decisions (%zu of %zu "
      "schedule bytes used)\n",
      repro.scenario.name.c_str(), repro.scenario.TotalSteps(), repro.scenario.threads.size(),
      repro.schedule.decisions.size(), run.schedule_bytes_used, fuzz_case.schedule_bytes.size());
  std::printf("  repro: %s\n  replay: gcstress replay %s\n", out_path.c_str(), out_path.c_str());
  std::fflush(stdout);
  return ExitCodeForVerdict(repro.verdict);
}

}  // namespace gcs::cli
