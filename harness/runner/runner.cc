// gcstress runner — Runner: iterations claimed by workers, calibration, stopping, the summary.
#include "harness/runner/runner.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "core/check.h"
#include "harness/isolation/post_mortem.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/exit_code.h"
#include "harness/runner/isolated_run.h"
#include "harness/runner/iteration_seed.h"
#include "harness/runner/run_state.h"
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

std::unique_ptr<sched::Strategy> MakeValidStrategy(std::string_view spec) {
  auto s = sched::MakeStrategy(spec);
  GCS_CHECK_MSG(s.ok(), "a canonical strategy spec failed to parse");
  return std::move(s).value();
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
  std::vector<std::unique_ptr<Executor>> executors;  // [0] exists from Create on
  // In-process runs with a step timeout: a page and its monitor per executor, for the watchdog.
  std::vector<std::unique_ptr<isolation::MonitoredPage>> watches;

  // Fork mode: the children kept between runs, a job each, and the runs so far (which number
  // their scenarios for the children).
  std::vector<BatchWorker> workers;
  uint64_t runs = 0;

  RunPlan Plan() {
    return RunPlan{&config, &factory, spec, free_mode, explores, &load_options, &workers, runs};
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
  state->executors.push_back(std::make_unique<Executor>(
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

namespace {

// The in-process watchdog's verdict on a hung execution, handed to the hook (or printed) before
// the process exits with kHang.
void ReportInProcessHang(const Scenario& scenario, const RunConfig& config,
                         const isolation::PageRegion& region, const RunHooks& hooks) {
  isolation::DeathReport death = isolation::HangPostMortem(scenario, region, config.step_timeout);
  Failure f;
  f.iteration = death.iteration;
  f.violation = std::move(death.verdict);
  f.execution.seed = death.schedule.seed;
  f.execution.free_mode = death.schedule.strategy == "free";
  f.execution.outcome = sched::ExecutionResult::Outcome::kAborted;
  f.execution.schedule = std::move(death.schedule);
  if (hooks.hang) {
    hooks.hang(f);
    return;
  }
  std::fprintf(stderr, "gcstress: %s: %s (iteration %llu, seed %llu)\n",
               f.violation.Signature().c_str(), f.violation.message.c_str(),
               static_cast<unsigned long long>(f.iteration),
               static_cast<unsigned long long>(f.execution.seed));
}

}  // namespace

RunSummary Runner::Run(const Scenario& scenario, const RunHooks& hooks) {
  State& st = *state_;
  const RunConfig& config = st.config;
  if (config.isolate) {
    ++st.runs;
    return RunIsolated(st.Plan(), scenario, hooks);
  }

  RunState rs;
  rs.scenario = &scenario;
  rs.config = &config;
  rs.track_violating = config.stop_on_kind.has_value();
  rs.options.free_mode = st.free_mode;
  rs.options.yield_per_mille = config.yield_per_mille;
  rs.options.step_timeout = config.step_timeout;
  const uint64_t limit = config.iterations == 0 ? kNoIteration : config.iterations;

  RunSummary summary;
  summary.strategy = st.spec;
  RunMonitor monitor{rs, hooks, RunClock::now(), RunClock::now(), config.time_budget};
  monitor.strategy = st.spec;

  // Every worker beyond the first gets its own target; made on demand and kept.
  const uint32_t jobs = (st.explores ? 1 : config.jobs);
  while (st.executors.size() < jobs) {
    Expected<std::unique_ptr<Target>> target = st.factory();
    GCS_CHECK_MSG(target.ok(), "the target factory failed after succeeding once");
    st.executors.push_back(std::make_unique<Executor>(std::move(target).value(),
                                                      OracleOptions{.free_mode = st.free_mode}));
  }
  // The watchdog: each executor keeps a (private) page it reads.
  std::optional<isolation::Watchdog> watchdog;
  for (size_t w = 0; w < st.executors.size(); ++w)
    st.executors[w]->SetMonitor(nullptr);
  if (config.step_timeout.count() > 0) {
    std::vector<const isolation::PageRegion*> regions;
    for (size_t w = 0; w < jobs; ++w) {
      if (st.watches.size() <= w) {
        Expected<isolation::PageRegion> region = isolation::PageRegion::Create(/*shared=*/false);
        GCS_CHECK_MSG(region.ok(), "cannot map the watchdog's progress page");
        st.watches.push_back(std::make_unique<isolation::MonitoredPage>(std::move(region).value()));
      }
      st.watches[w]->region.Reset();
      st.executors[w]->SetMonitor(&st.watches[w]->monitor);
      regions.push_back(&st.watches[w]->region);
    }
    watchdog.emplace(
        regions, config.step_timeout,
        [&](size_t w) { ReportInProcessHang(scenario, config, st.watches[w]->region, hooks); },
        static_cast<int>(ExitCode::kHang));
  }
  summary.workers = 1;

  if (st.free_mode) {
    summary.workers = jobs;
    monitor.RunPhase(jobs, [&](uint32_t w) {
      // The engine ignores the strategy in free mode; any will do.
      auto unused = MakeValidStrategy("round-robin");
      uint64_t i = 0;
      while (rs.Claim(limit, &i))
        rs.RunIteration(*st.executors[w], *unused, i);
    });
  } else if (st.explores) {
    auto strategy = MakeValidStrategy(st.spec);
    monitor.RunPhase(1, [&](uint32_t) {
      uint64_t i = 0;
      while (!rs.exhausted.load() && rs.Claim(limit, &i))
        rs.RunIteration(*st.executors[0], *strategy, i);
    });
  } else {
    // Calibration: one strategy object over the first iterations, in order.
    auto calibrating = MakeValidStrategy(st.spec);
    const uint64_t calibration_end = std::min(limit, kCalibrationIterations);
    monitor.RunPhase(1, [&](uint32_t) {
      uint64_t i = 0;
      while (rs.Claim(calibration_end, &i))
        rs.RunIteration(*st.executors[0], *calibrating, i);
    });
    if (!monitor.Stopping() && rs.next.load() < limit) {
      // The spec the calibrated strategy would run the next execution with: from here on each
      // iteration gets a fresh strategy from it, and so depends on nothing but its own seed.
      calibrating->BeginExecution(IterationSeed(config.seed, calibration_end),
                                  static_cast<uint32_t>(scenario.threads.size()));
      const std::string frozen = calibrating->Spec();
      summary.strategy = frozen;
      {
        std::lock_guard<std::mutex> guard(rs.mu);
        monitor.strategy = frozen;
      }
      summary.workers = jobs;
      monitor.RunPhase(jobs, [&](uint32_t w) {
        uint64_t i = 0;
        while (rs.Claim(limit, &i)) {
          auto fresh = MakeValidStrategy(frozen);
          rs.RunIteration(*st.executors[w], *fresh, i);
        }
      });
    }
  }
  watchdog.reset();
  return Summarize(rs, monitor, std::move(summary),
                   [&](const Failure& f) { return Confirm(scenario, f, config.confirm); });
}

uint32_t Runner::Confirm(const Scenario& scenario, const Failure& failure, uint32_t times) {
  State& st = *state_;
  if (st.config.isolate) return ConfirmIsolated(st.Plan(), scenario, failure, times);
  Executor& ex = *st.executors[0];
  EngineOptions options;
  options.free_mode = st.free_mode;
  options.step_timeout = st.config.step_timeout;
  options.yield_per_mille = st.config.yield_per_mille;
  const std::string signature = failure.violation.Signature();
  uint32_t same = 0;
  for (uint32_t k = 0; k < times; ++k) {
    JudgedExecution again;
    if (st.free_mode) {
      auto unused = MakeValidStrategy("round-robin");
      again = ex.Execute(scenario, st.config.faults, *unused, failure.execution.seed, options);
    } else {
      again = ex.Replay(scenario, st.config.faults, failure.execution.schedule, options, nullptr);
    }
    if (again.verdict && again.verdict->Signature() == signature) ++same;
  }
  return same;
}

}  // namespace gcs
