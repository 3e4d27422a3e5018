// gcstress cli — `gcstress replay REPRO`: the recorded execution again, and whether its verdict
// came back. In a child process unless --no-fork, so that replaying a crash reports the crash.
#include <cstdio>
#include <optional>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/report_output.h"
#include "harness/isolation/post_mortem.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/repro_replay.h"

namespace gcs::cli {
namespace {

std::string VerdictName(const std::optional<Violation>& v) {
  return v ? v->Signature() : "pass";
}

// Prints the first replay in full; the others only count.
class ReplayReport {
 public:
  ReplayReport(const std::string& path, const Repro& repro, bool trace)
      : path_(path), repro_(repro), trace_(trace) {}

  void Add(uint64_t k, const ReplayResult& r) {
    code_ = WorseExitCode(code_, ExitCodeForVerdict(r.run.verdict));
    if (r.matches) ++reproduced_;
    if (k > 0) return;
    std::printf("replay %s: %s", path_.c_str(), VerdictName(r.run.verdict).c_str());
    if (r.matches) {
      std::printf(" (matches the recorded verdict)\n");
    } else {
      std::printf(" (the recorded verdict was %s)\n", repro_.verdict.Signature().c_str());
    }
    if (r.run.verdict) {
      std::printf("  %s\n  at %s\n", r.run.verdict->message.c_str(),
                  FormatLocation(repro_.scenario, *r.run.verdict).c_str());
    }
    if (r.diverged_at) {
      std::printf(
          "  note: the schedule stopped fitting at decision %zu: the scenario, target or build "
          "differs from the recording\n",
          *r.diverged_at);
    }
    if (r.died && !r.evidence.empty()) {
      // The raw report, as the child wrote it: what a person replaying a crash wants to read.
      std::fprintf(stderr, "%s", r.evidence.c_str());
    }
    if (trace_) PrintTrace(stdout, repro_.scenario, r.run.execution.trace);
  }

  ExitCode Finish(uint64_t repeat) const {
    std::printf("reproduced %llu/%llu\n", static_cast<unsigned long long>(reproduced_),
                static_cast<unsigned long long>(repeat));
    std::fflush(stdout);
    return code_;
  }

 private:
  const std::string& path_;
  const Repro& repro_;
  const bool trace_;
  ExitCode code_ = ExitCode::kPass;
  uint64_t reproduced_ = 0;
};

// --no-fork: replays in this process, under the in-process watchdog.
void ReplayInProcess(const Repro& repro, std::unique_ptr<Target> target,
                     std::chrono::milliseconds step_timeout, uint64_t repeat,
                     ReplayReport& report) {
  Executor executor(std::move(target), OracleOptions{.free_mode = repro.free_mode});
  std::optional<isolation::MonitoredPage> page;
  std::optional<isolation::Watchdog> watchdog;
  if (step_timeout.count() > 0) {
    Expected<isolation::PageRegion> r = isolation::PageRegion::Create(/*shared=*/false);
    if (r) {
      page.emplace(std::move(r).value());
      executor.SetMonitor(&page->monitor);
      watchdog.emplace(
          std::vector<const isolation::PageRegion*>{&page->region}, step_timeout,
          [&](size_t) {
            const isolation::DeathReport death =
                isolation::HangPostMortem(repro.scenario, page->region, step_timeout);
            std::printf("replay: %s\n  %s\n", death.verdict.Signature().c_str(),
                        death.verdict.message.c_str());
          },
          static_cast<int>(ExitCode::kHang));
    }
  }
  for (uint64_t k = 0; k < repeat; ++k) {
    if (page) page->monitor.SetIteration(k);
    report.Add(k, ReplayRepro(executor, repro));
  }
}

}  // namespace

ExitCode ReplayCommand(const Invocation& inv) {
  const std::string& path = inv.inputs.at(0);
  if (inv.flags.repeat < 1) {
    PrintError(InputError{"<flag>", "--repeat", "expected at least 1"});
    return ExitCode::kBadInput;
  }
  Expected<std::chrono::milliseconds> step_timeout =
      ParseDuration(inv.flags.step_timeout, "--step-timeout");
  if (PrintIfError(step_timeout)) return ExitCode::kBadInput;
  Expected<Repro> repro = LoadRepro(path);
  if (PrintIfError(repro)) return ExitCode::kBadInput;
  Expected<std::unique_ptr<Target>> target = MakeTarget(repro->target);
  if (PrintIfError(target)) return ExitCode::kBadInput;
  ReplayReport report(path, *repro, inv.flags.trace);
  if (inv.flags.no_fork) {
    ReplayInProcess(*repro, std::move(target).value(), *step_timeout, inv.flags.repeat, report);
    return report.Finish(inv.flags.repeat);
  }
  const std::optional<std::string> error =
      ReplayReproIsolated(NamedTarget(repro->target), *repro, inv.flags.repeat, *step_timeout,
                          [&](uint64_t k, ReplayResult&& r) { report.Add(k, r); });
  if (error) {
    PrintError("replay: " + *error);
    return ExitCode::kInternalError;
  }
  return report.Finish(inv.flags.repeat);
}

}  // namespace gcs::cli
