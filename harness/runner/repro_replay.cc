// gcstress runner — replaying a Repro.
#include "harness/runner/repro_replay.h"

#include "core/check.h"
#include "harness/runner/isolated_replay.h"
#include "harness/scheduler/strategy.h"

namespace gcs {

ReplayResult ReplayRepro(Executor& executor, const Repro& repro) {
  GCS_CHECK_MSG(
      TargetSpec(executor.target()) == repro.target || executor.target().Name() == repro.target,
      "replaying on another target");
  EngineOptions options;
  options.free_mode = repro.free_mode;
  options.yield_per_mille = repro.yield_per_mille;
  ReplayResult out;
  if (repro.free_mode) {
    auto unused = sched::MakeStrategy("round-robin");  // the engine ignores it in free mode
    GCS_CHECK(unused.ok());
    out.run =
        executor.Execute(repro.scenario, repro.faults, **unused, repro.schedule.seed, options);
  } else {
    out.run =
        executor.Replay(repro.scenario, repro.faults, repro.schedule, options, &out.diverged_at);
  }
  out.matches = out.run.verdict && out.run.verdict->Signature() == repro.verdict.Signature();
  return out;
}

std::optional<std::string> ReplayReproIsolated(
    const TargetFactory& factory, const Repro& repro, uint64_t times,
    std::chrono::milliseconds step_timeout,
    const std::function<void(uint64_t, ReplayResult&&)>& each) {
  ReExecution what;
  what.scenario = &repro.scenario;
  what.faults = repro.faults;
  what.free_mode = repro.free_mode;
  what.yield_per_mille = repro.yield_per_mille;
  what.schedule = repro.schedule;
  const std::string recorded = repro.verdict.Signature();
  return ReExecuteIsolated(
      factory, what, times, step_timeout, [&](uint64_t k, ReExecutionResult&& r) {
        ReplayResult out;
        out.run = std::move(r.run);
        out.diverged_at = r.diverged_at;
        out.died = r.died;
        out.evidence = std::move(r.evidence);
        out.evidence_file = std::move(r.evidence_file);
        out.trace_strings = std::move(r.trace_strings);
        out.matches = out.run.verdict && out.run.verdict->Signature() == recorded;
        each(k, std::move(out));
      });
}

}  // namespace gcs
