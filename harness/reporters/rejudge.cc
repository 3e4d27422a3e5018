// gcstress reporters — Rejudge: a replay on a private engine with an OracleSet attached.
#include "harness/reporters/rejudge.h"

#include "harness/oracles/oracle_set.h"
#include "harness/runner/judge.h"
#include "harness/scheduler/replay.h"

namespace gcs::reporters {

std::optional<Rejudged> Rejudge(const Scenario& scenario, const RunConfig& config,
                                const Failure& failure) {
  if (failure.execution.free_mode || !failure.evidence.empty() ||
      failure.execution.trace.entries.empty() ||
      failure.execution.outcome == sched::ExecutionResult::Outcome::kAborted) {
    return std::nullopt;
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(config.target);
  if (!target) return std::nullopt;
  Rejudged out;
  out.target = std::move(target).value();
  std::optional<size_t> diverged;
  {
    // The engine (and its thread pool) lives only for the replay: a caller about to fork
    // children must be back to one thread.
    Engine engine(*out.target);
    OracleSet oracles(*out.target, OracleOptions{.free_mode = false});
    oracles.Begin(scenario, *out.target);
    sched::ReplayStrategy replay(failure.execution.schedule);
    EngineOptions options;
    options.free_mode = false;
    options.yield_per_mille = config.yield_per_mille;
    out.execution = engine.Run(scenario, config.faults, replay, failure.execution.schedule.seed,
                               options, &oracles);
    diverged = replay.DivergedAt();
    out.violations = oracles.All();
  }
  if (out.execution.outcome == sched::ExecutionResult::Outcome::kDeadlock) {
    out.violations.push_back(DeadlockViolation(scenario, out.execution));
  }
  if (diverged) return std::nullopt;
  const std::optional<Violation> verdict = MostSevere(out.violations);
  if (!verdict || verdict->Signature() != failure.violation.Signature()) return std::nullopt;
  return out;
}

}  // namespace gcs::reporters
