// gcstress cli — `gcstress replay REPRO`: the recorded execution again, and whether its verdict
// came back.
#include <cstdio>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/runner/repro_replay.h"

namespace gcs::cli {
namespace {

std::string VerdictName(const std::optional<Violation>& v) {
  return v ? v->Signature() : "pass";
}

}  // namespace

ExitCode ReplayCommand(const Invocation& inv) {
  const std::string& path = inv.inputs.at(0);
  if (inv.flags.repeat < 1) {
    PrintError(InputError{"<flag>", "--repeat", "expected at least 1"});
    return ExitCode::kBadInput;
  }
  Expected<Repro> repro = LoadRepro(path);
  if (!repro) {
    PrintError(repro.error());
    return ExitCode::kBadInput;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(repro->target);
  if (!target) {
    PrintError(target.error());
    return ExitCode::kBadInput;
  }
  Executor executor(std::move(target).value(), OracleOptions{.free_mode = repro->free_mode});
  const std::string recorded = repro->verdict.Signature();
  ExitCode code = ExitCode::kPass;
  uint64_t reproduced = 0;
  for (uint64_t k = 0; k < inv.flags.repeat; ++k) {
    const ReplayResult r = ReplayRepro(executor, *repro);
    code = WorseExitCode(code, ExitCodeForVerdict(r.run.verdict));
    if (r.matches) ++reproduced;
    if (k > 0) continue;
    // The first replay is shown in full; the others only count.
    const std::string got = VerdictName(r.run.verdict);
    std::printf("replay %s: %s", path.c_str(), got.c_str());
    if (r.matches) {
      std::printf(" (matches the recorded verdict)\n");
    } else {
      std::printf(" (the recorded verdict was %s)\n", recorded.c_str());
    }
    if (r.run.verdict) {
      std::printf("  %s\n  at %s\n", r.run.verdict->message.c_str(),
                  FormatLocation(repro->scenario, *r.run.verdict).c_str());
    }
    if (r.diverged_at) {
      std::printf(
          "  note: the schedule stopped fitting at decision %zu: the scenario, target or build "
          "differs from the recording\n",
          *r.diverged_at);
    }
    if (inv.flags.trace) PrintTrace(stdout, repro->scenario, r.run.execution.trace);
  }
  std::printf("reproduced %llu/%llu\n", static_cast<unsigned long long>(reproduced),
              static_cast<unsigned long long>(inv.flags.repeat));
  std::fflush(stdout);
  return code;
}

}  // namespace gcs::cli
