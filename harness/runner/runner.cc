// gcstress runner — Runner: iterations claimed by workers, calibration, stopping, the summary.
#include "harness/runner/runner.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "harness/runner/child_executor.h"
#include "harness/runner/in_process_executor.h"
#include "harness/runner/run_policy.h"
#include "harness/scheduler/dfs.h"

namespace gcs {

std::string_view StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kIterations:
      return "iterations";
    case StopReason::kFirstFailure:
      return "first-failure";
    case StopReason::kExhausted:
      return "exhausted";
    case StopReason::kTimeBudget:
      return "time-budget";
    case StopReason::kInterrupted:
      return "interrupted";
    case StopReason::kInternalError:
      return "internal-error";
  }
  return "?";
}

namespace {

InputError FlagError(std::string flag, std::string message) {
  return InputError{"<flag>", std::move(flag), std::move(message)};
}

// The strategy that carries a search across executions and so cannot be split among workers.
bool Explores(const sched::Strategy& strategy) {
  return dynamic_cast<const sched::DfsStrategy*>(&strategy) != nullptr;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

struct Runner::State {
  RunConfig config;
  TargetFactory factory;
  LoadOptions load_options;
  std::string spec;  // canonical, or "free"
  bool free_mode = false;
  bool explores = false;
  InProcessWorkers in_process;  // executors[0] exists from Create on

  // Fork mode: the children kept between runs, a job each, and the runs so far (which number
  // their scenarios for the children).
  std::vector<BatchWorker> workers;
  uint64_t runs = 0;

  ChildPlan Plan() {
    return ChildPlan{&config, &factory, free_mode, &load_options, &workers, runs};
  }
};

Expected<Runner> Runner::Create(RunConfig config) {
  TargetFactory factory = NamedTarget(config.target);
  return Create(std::move(config), std::move(factory));
}

Expected<Runner> Runner::Create(RunConfig config, TargetFactory factory) {
  auto state = std::make_unique<State>();
  if (config.jobs < 1) return FlagError("--jobs", "expected at least 1 worker");
  if (config.yield_per_mille > 1000) {
    return FlagError("--yield-per-mille",
                     "expected at most 1000, got " + std::to_string(config.yield_per_mille));
  }
  Expected<std::unique_ptr<Target>> target = factory();
  if (!target) return target.error();
  // Repros and reports name the version that ran ("comlink@4.4.1"), whatever the default is.
  if (!config.target.empty()) config.target = TargetSpec(**target);
  const std::vector<std::string> known = (*target)->FaultNames();
  for (size_t i = 0; i < config.faults.size(); ++i) {
    const std::string& f = config.faults[i];
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      return FlagError("--fault", "unknown fault \"" + f + "\" for target \"" +
                                      std::string((*target)->Name()) +
                                      "\" (known: " + JoinNames(known) + ")");
    }
    if (std::find(config.faults.begin(), config.faults.begin() + static_cast<ptrdiff_t>(i), f) !=
        config.faults.begin() + static_cast<ptrdiff_t>(i)) {
      return FlagError("--fault", "fault \"" + f + "\" given twice");
    }
  }
  state->free_mode = config.free_mode || config.strategy == "free";
  if (state->free_mode) {
    if (config.check_determinism) {
      return FlagError("--check-determinism",
                       "free mode executions have no schedule to replay; drop --free or this flag");
    }
    state->spec = "free";
  } else {
    auto strategy = sched::MakeStrategy(config.strategy);
    if (!strategy) return strategy.error();
    state->spec = (*strategy)->Spec();
    state->explores = Explores(**strategy);
  }
  // A scenario's expect block may name any target's faults; runs use only their own.
  state->load_options = ScenarioLoadOptionsFor(**target);
  state->in_process.executors.push_back(std::make_unique<Executor>(
      std::move(target).value(), OracleOptions{.free_mode = state->free_mode}));
  state->config = std::move(config);
  state->factory = std::move(factory);
  return Runner(std::move(state));
}

Runner::Runner(std::unique_ptr<State> state) : state_(std::move(state)) {}
Runner::Runner(Runner&&) noexcept = default;
Runner& Runner::operator=(Runner&&) noexcept = default;
Runner::~Runner() = default;

const LoadOptions& Runner::ScenarioLoadOptions() const {
  return state_->load_options;
}
const RunConfig& Runner::config() const {
  return state_->config;
}
bool Runner::free_mode() const {
  return state_->free_mode;
}
const std::string& Runner::strategy_spec() const {
  return state_->spec;
}

RunSummary Runner::Run(const Scenario& scenario, const RunHooks& hooks) {
  State& st = *state_;
  const RunConfig& config = st.config;
  RunPolicy policy(scenario, config, st.spec, st.free_mode, st.explores, hooks);
  const uint32_t jobs = st.explores ? 1 : config.jobs;
  if (!config.isolate) {
    InProcessExecutor executor(st.in_process, st.factory, scenario, config, st.free_mode, hooks,
                               jobs);
    return policy.Run(executor);
  }
  ++st.runs;
  const ChildPlan plan = st.Plan();
  ChildExecutor executor(plan, scenario, jobs);
  RunSummary summary = policy.Run(executor);
  summary.children = executor.children();
  return summary;
}

uint32_t Runner::Confirm(const Scenario& scenario, const Failure& failure, uint32_t times) {
  State& st = *state_;
  if (st.config.isolate) return ConfirmInChildren(st.Plan(), scenario, failure, times);
  return ConfirmInProcess(*st.in_process.executors[0], scenario, st.config, st.free_mode, failure,
                          times);
}

}  // namespace gcs
