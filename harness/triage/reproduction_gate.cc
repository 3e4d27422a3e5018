// gcstress triage — the reproduction-rate gate: confirm, and convert free failures.
#include "harness/triage/reproduction_gate.h"

#include <atomic>
#include <optional>

namespace gcs::triage {
namespace {

// Searches `scenario` under `strategy` until `signature` shows or the budget ends.
std::optional<GatedFailure> Search(const Scenario& scenario, const RunConfig& base,
                                   const std::string& strategy, const std::string& signature,
                                   std::chrono::milliseconds budget) {
  RunConfig c = base;
  c.free_mode = false;
  c.strategy = strategy;
  c.iterations = 0;
  c.time_budget = budget;
  c.keep_going = true;
  c.stop_on_kind.reset();
  c.check_determinism = false;
  c.confirm = 0;  // only the match is confirmed, below
  Expected<Runner> runner = Runner::Create(c);
  if (!runner) return std::nullopt;
  std::atomic<bool> found{false};
  RunHooks hooks;
  hooks.interrupt = &found;
  hooks.new_signature = [&](const Failure& f) {
    if (f.violation.Signature() == signature) found = true;
  };
  const RunSummary summary = runner->Run(scenario, hooks);
  for (const Failure& f : summary.failures) {
    if (f.violation.Signature() != signature) continue;
    GatedFailure out;
    out.config = c;
    out.config.confirm = base.confirm;
    out.config.time_budget = base.time_budget;
    out.failure = f;
    out.failure.confirmed = base.confirm > 0 ? runner->Confirm(scenario, f, base.confirm) : 0;
    return out;
  }
  return std::nullopt;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

GatedFailure GateFailure(const Scenario& scenario, const RunConfig& config, const Failure& failure,
                         const GateOptions& options) {
  GatedFailure out{config, failure, {}};
  out.reproduction.runs = config.confirm;
  out.reproduction.reproduced = failure.confirmed;
  out.reproduction.deterministic = !failure.execution.free_mode;
  // A death reported in this process (--no-fork: a hang handed over by the watchdog) leaves a
  // process about to exit, not one to search in; in child processes a search is safe.
  const bool died = failure.execution.outcome == sched::ExecutionResult::Outcome::kAborted ||
                    !failure.evidence.empty();
  if (!failure.execution.free_mode || options.convert_budget.count() <= 0 ||
      options.strategies.empty() || (died && !config.isolate)) {
    return out;
  }
  const std::string signature = failure.violation.Signature();
  const auto share = options.convert_budget / static_cast<int64_t>(options.strategies.size());
  for (const std::string& strategy : options.strategies) {
    std::optional<GatedFailure> found = Search(scenario, config, strategy, signature, share);
    if (!found) continue;
    found->reproduction.runs = config.confirm;
    found->reproduction.reproduced = found->failure.confirmed;
    found->reproduction.deterministic = true;
    found->reproduction.converted = true;
    found->reproduction.free_iteration = failure.iteration;
    found->reproduction.conversion =
        "the free-mode failure (iteration " + std::to_string(failure.iteration) +
        ") was found again by " + found->failure.execution.schedule.strategy + " at iteration " +
        std::to_string(found->failure.iteration) +
        "; this repro is that deterministic one and replays bit for bit";
    return *found;
  }
  out.reproduction.conversion = "no deterministic schedule with this signature within " +
                                std::to_string(options.convert_budget.count()) + " ms (" +
                                Join(options.strategies) +
                                "); the repro re-runs free mode and may not reproduce";
  return out;
}

}  // namespace gcs::triage
