// gcstress cli — `gcstress minimize REPRO`: the repro shrunk, steps and schedule together, to the
// smallest that still gives its signature; and the same for a failure before `loop` writes it.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/report_output.h"
#include "harness/minimizer/isolated_predicate.h"
#include "harness/minimizer/minimizer.h"
#include "harness/runner/report_dir.h"
#include "harness/runner/repro_replay.h"

namespace gcs::cli {
namespace {

// --max-time 0: no time limit; the minimizer's candidate budget still ends it.
constexpr std::chrono::milliseconds kNoTimeLimit = std::chrono::hours(24 * 365);

MinimizeOptions OptionsFor(Target& target, std::string_view target_name) {
  MinimizeOptions o;
  o.load = ScenarioLoadOptionsFor(target);
  o.load.target = std::string(target_name);
  return o;
}

bool ReplaysToItsVerdict(Target& target, const Repro& repro) {
  if (target.SafeInProcess()) {
    Expected<std::unique_ptr<Target>> replay_target = MakeTarget(repro.target);
    if (!replay_target) return false;
    Executor executor(std::move(replay_target).value(), OracleOptions{});
    const ReplayResult check = ReplayRepro(executor, repro);
    return check.matches && !check.diverged_at;
  }
  bool ok = false;
  const auto error = ReplayReproIsolated(
      NamedTarget(repro.target), repro, 1, std::chrono::seconds(10),
      [&](uint64_t, ReplayResult&& r) { ok = r.matches && (r.died || !r.diverged_at); });
  return !error && ok;
}

// "reports/x/repro.json" -> "reports/x/repro.min.json".
std::string MinimizedPath(const std::string& path) {
  std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + ".min" + p.extension().string())).string();
}

void PrintSizes(std::FILE* out, const MinimizeResult& m) {
  std::fprintf(out, "  before: %s\n  after:  %s\n", FormatReproSize(m.before).c_str(),
               FormatReproSize(m.after).c_str());
}

}  // namespace

ExitCode MinimizeCommand(const Invocation& inv) {
  const std::string& path = inv.inputs.at(0);
  Expected<std::chrono::milliseconds> max_time = ParseDuration(inv.flags.max_time, "--max-time");
  if (PrintIfError(max_time)) return ExitCode::kBadInput;
  Expected<Repro> repro = LoadRepro(path);
  if (PrintIfError(repro)) return ExitCode::kBadInput;
  if (repro->free_mode) {
    PrintError(InputError{path, "/free_mode",
                          "a free mode repro has no schedule to minimize (re-find it with a "
                          "deterministic strategy)"});
    return ExitCode::kBadInput;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(repro->target);
  if (PrintIfError(target)) return ExitCode::kBadInput;
  const std::string signature = repro->verdict.Signature();
  MinimizeOptions options = OptionsFor(**target, repro->target);
  options.max_time = max_time->count() > 0 ? *max_time : kNoTimeLimit;
  const auto start = std::chrono::steady_clock::now();
  const MinimizeResult m =
      Minimize(repro->scenario, repro->schedule,
               MinimizerPredicateFor(**target, repro->target, repro->faults, signature), options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (m.stop == MinimizeResult::Stop::kNotReproduced) {
    PrintError(InputError{path, "/verdict",
                          "the repro does not give " + signature +
                              " in this build (gcstress replay " + path + " shows what it gives)"});
    return ExitCode::kBadInput;
  }
  Repro out = *repro;
  out.scenario = m.scenario;
  out.schedule = m.schedule;
  out.verdict = *m.violation;
  out.verdict.obj = core::kNoAlloc;
  out.verdict.trace_index = 0;

  // The minimizer promises a whole schedule; a repro file that does not replay is worse than
  // none, so check before writing (in a child, where a candidate would have run in one).
  if (!ReplaysToItsVerdict(**target, out)) {
    PrintError("minimize: internal error: the minimized repro does not replay to " + signature);
    return ExitCode::kInternalError;
  }

  const std::string out_path = inv.flags.out.empty() ? MinimizedPath(path) : inv.flags.out;
  if (auto error = WriteFileAtomically(out_path, FormatRepro(out))) {
    PrintError(*error);
    return ExitCode::kBadInput;
  }
  std::printf("minimize %s: %s, %llu candidates (%llu accepted) in %.2f s\n", path.c_str(),
              std::string(StopName(m.stop)).c_str(), static_cast<unsigned long long>(m.candidates),
              static_cast<unsigned long long>(m.accepted), seconds);
  PrintSizes(stdout, m);
  std::printf("  verdict: %s\n  repro: %s\n  replay: gcstress replay %s\n", signature.c_str(),
              out_path.c_str(), out_path.c_str());
  std::fflush(stdout);
  return ExitCode::kPass;
}

MinimizedFailure MinimizeFailure(std::FILE* out, const Scenario& scenario, const RunConfig& config,
                                 const Failure& failure) {
  MinimizedFailure result{scenario, failure};
  const char* why_not = nullptr;
  if (config.free_mode) {
    why_not = "free mode has no schedule";
  } else if (failure.execution.schedule.decisions.empty() &&
             failure.execution.trace.entries.empty()) {
    why_not = "the execution's process died before its schedule was read";
  }
  if (why_not != nullptr) {
    std::fprintf(out, "  not minimized: %s\n", why_not);
    return result;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(config.target);
  if (!target) {
    std::fprintf(out, "  not minimized: %s\n", target.error().Format().c_str());
    return result;
  }
  const std::string signature = failure.violation.Signature();
  // A died execution's candidates may die too: in children, whatever the target.
  const bool died = !failure.evidence.empty() || failure.execution.trace.entries.empty();
  const Predicate predicate =
      MinimizerPredicateFor(**target, config.target, config.faults, signature, died);
  const MinimizeResult m = Minimize(scenario, failure.execution.schedule, predicate,
                                    OptionsFor(**target, config.target));
  if (m.stop == MinimizeResult::Stop::kNotReproduced || !m.violation) {
    std::fprintf(out, "  not minimized: the failure did not reproduce in this process\n");
    return result;
  }
  result.scenario = m.scenario;
  result.failure.execution.schedule = m.schedule;
  result.failure.violation = *m.violation;
  // The original run's trace no longer matches the minimized scenario.
  result.failure.execution.trace = Trace{};
  std::fprintf(out, "  minimized (%s): %s -> %s\n", std::string(StopName(m.stop)).c_str(),
               FormatReproSize(m.before).c_str(), FormatReproSize(m.after).c_str());
  return result;
}

}  // namespace gcs::cli
