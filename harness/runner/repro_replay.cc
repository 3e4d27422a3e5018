// gcstress runner — replaying a Repro.
#include "harness/runner/repro_replay.h"

#include "core/check.h"
#include "harness/scheduler/strategy.h"

namespace gcs {

ReplayResult ReplayRepro(Executor& executor, const Repro& repro) {
  GCS_CHECK_MSG(executor.target().Name() == repro.target, "replaying on another target");
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

}  // namespace gcs
