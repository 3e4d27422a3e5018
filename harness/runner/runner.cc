// gcstress runner — Runner (the config checked, the executor chosen) and the one run policy it
// runs (RunPolicy, run_policy.h): iterations in batches, calibration, stopping, the summary.
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

// -------------------------------------------------------------------------------------------------
// RunPolicy: phases, shares, retries after deaths, leak hunts, the stop (run_policy.h).

namespace gcs {
namespace {

// Without --batch, an unbounded run with several slots still needs bounded shares to hand out.
constexpr uint64_t kUnboundedShare = 10000;

}  // namespace

RunPolicy::RunPolicy(const Scenario& scenario, const RunConfig& config, std::string spec,
                     bool free_mode, bool explores, const RunHooks& hooks)
    : config_(config),
      spec_(std::move(spec)),
      limit_(config.iterations == 0 ? kNoIteration : config.iterations),
      monitor_{rs_, hooks, RunClock::now(), RunClock::now(), config.time_budget} {
  rs_.scenario = &scenario;
  rs_.config = &config;
  rs_.track_violating = config.stop_on_kind.has_value() || explores;
  summary_.strategy = spec_;
  summary_.workers = 1;
  monitor_.strategy = spec_;
  if (free_mode) {
    phase_ = Phase::kFree;
  } else if (explores) {
    phase_ = Phase::kExplore;
  } else {
    phase_ = Phase::kCalibrate;
    calibration_end_ = std::min(limit_, Runner::kCalibrationIterations);
    need_frozen_ = calibration_end_ < limit_;
  }
}

RunSummary RunPolicy::Run(BatchExecutor& executor) {
  executor_ = &executor;
  jobs_ = executor.slots();
  running_.assign(jobs_, Running{});
  if (phase_ == Phase::kFree) summary_.workers = jobs_;
  const auto tick = std::clamp<std::chrono::milliseconds>(monitor_.hooks.progress_interval,
                                                          std::chrono::milliseconds(1),
                                                          std::chrono::milliseconds(50));
  for (;;) {
    // The run's stopping state, as each slot reads it before every iteration.
    executor.SetStop(rs_.stop_at.load(), rs_.halt.load() || rs_.exhausted.load());
    StartBatches();
    if (std::none_of(running_.begin(), running_.end(), [](const Running& r) { return r.busy; })) {
      break;
    }
    executor.Poll(tick, *this);
    std::unique_lock<std::mutex> lock(rs_.mu);
    monitor_.Watch(lock);
  }
  {
    std::unique_lock<std::mutex> lock(rs_.mu);
    if (config_.keep_going) monitor_.Drain(lock);
  }
  return Summarize(rs_, monitor_, std::move(summary_),
                   [&](const Failure& f) { return executor.Confirm(f, config_.confirm); });
}

void RunPolicy::StartBatches() {
  for (uint32_t slot = 0; slot < jobs_; ++slot) {
    Running& r = running_[slot];
    if (r.busy) continue;
    std::vector<uint64_t> counted;
    std::optional<Batch> batch = NextBatch(slot, &counted);
    if (!batch) continue;
    r = Running{};
    r.batch = std::move(*batch);
    r.next = r.batch.begin;
    r.violations = std::move(counted);
    if (std::optional<std::string> error = executor_->Start(slot, r.batch)) {
      rs_.InternalError(r.batch.begin, std::move(*error));
      return;
    }
    r.busy = true;
  }
}

std::optional<Batch> RunPolicy::NextBatch(uint32_t slot, std::vector<uint64_t>* counted) {
  // Hunts first, even when stopping: the leak may be the lowest failure of the run.
  while (!hunts_.empty() && rs_.error_iteration == kNoIteration) {
    Hunt h = std::move(hunts_.front());
    hunts_.pop_front();
    if (h.batch.begin > rs_.stop_at.load()) continue;
    *counted = std::move(h.violations);
    return h.batch;
  }
  Batch b;
  b.spec = spec_;
  switch (phase_) {
    case Phase::kCalibrate: {
      if (slot != 0 || Stopping()) return std::nullopt;
      if (calibration_next_ >= calibration_end_ && (!need_frozen_ || frozen_)) {
        return std::nullopt;
      }
      b.mode = Batch::Mode::kCalibrate;
      b.begin = calibration_next_;
      b.end = calibration_end_;
      b.skip = died_in_calibration_;
      b.send_frozen = need_frozen_;
      rs_.next = calibration_end_;
      return b;
    }
    case Phase::kExplore:
      if (slot != 0 || explore_started_ || Stopping()) return std::nullopt;
      explore_started_ = true;
      b.mode = Batch::Mode::kExplore;
      b.begin = 0;
      b.end = limit_;
      return b;
    case Phase::kSample:
    case Phase::kFree: {
      if (Stopping()) return std::nullopt;
      b.mode = phase_ == Phase::kFree ? Batch::Mode::kFree : Batch::Mode::kSample;
      if (phase_ == Phase::kSample) b.spec = *frozen_;
      while (!retry_.empty()) {
        const Range r = retry_.front();
        retry_.pop_front();
        if (r.begin > rs_.stop_at.load()) continue;
        b.begin = r.begin;
        b.end = r.end;
        return b;
      }
      const uint64_t next = rs_.next.load();
      if (next >= limit_ || next > rs_.stop_at.load()) return std::nullopt;
      b.begin = next;
      b.end = next + std::min(limit_ - next, Share(next));
      rs_.next = b.end;
      return b;
    }
    case Phase::kDone:
      return std::nullopt;
  }
  return std::nullopt;
}

uint64_t RunPolicy::Share(uint64_t next) const {
  if (config_.batch > 0) return config_.batch;
  if (limit_ == kNoIteration) return jobs_ == 1 ? kNoIteration - next : kUnboundedShare;
  return std::max<uint64_t>(1, (limit_ - next + jobs_ - 1) / jobs_);
}

// A report about iteration i of a slot: in its batch, never below what it reported before.
bool RunPolicy::InBatch(Running& r, uint64_t i) {
  if (i >= r.next && i < r.batch.end) return true;
  rs_.InternalError(i, "a child process reported iteration " + std::to_string(i) +
                           " out of order (its batch is " + std::to_string(r.batch.begin) + ".." +
                           std::to_string(r.batch.end) + ")");
  r.errored = true;
  return false;
}

void RunPolicy::Reported(Running& r, uint64_t i) {
  r.next = i + 1;
  if (r.batch.mode == Batch::Mode::kCalibrate && !r.batch.hunt_leaks) calibration_next_ = i + 1;
}

void RunPolicy::Passed(uint32_t slot, uint64_t iteration) {
  Running& r = running_[slot];
  if (!InBatch(r, iteration)) return;
  rs_.RecordPass(iteration);
  Reported(r, iteration);
}

void RunPolicy::Failed(uint32_t slot, Failure&& failure) {
  Running& r = running_[slot];
  const uint64_t i = failure.iteration;
  if (!InBatch(r, i)) return;
  rs_.RecordFailure(std::move(failure));
  r.violations.push_back(i);
  Reported(r, i);
}

void RunPolicy::Violated(uint32_t slot, uint64_t iteration, ViolationKind kind,
                         const std::string& signature) {
  Running& r = running_[slot];
  if (!InBatch(r, iteration)) return;
  rs_.RecordViolation(iteration, kind, signature);
  r.violations.push_back(iteration);
  Reported(r, iteration);
}

void RunPolicy::Errored(uint32_t slot, std::optional<uint64_t> iteration, std::string message) {
  Running& r = running_[slot];
  rs_.InternalError(iteration.value_or(r.next), std::move(message));
  r.errored = true;
}

void RunPolicy::Exhausted(uint32_t slot) {
  rs_.exhausted = true;
  running_[slot].exhausted = true;
}

void RunPolicy::Calibrated(uint32_t, std::string frozen_spec) {
  frozen_ = std::move(frozen_spec);
}

void RunPolicy::Leaked(uint32_t slot, uint64_t begin, uint64_t end) {
  const Running& r = running_[slot];
  Hunt h;
  h.batch = r.batch;
  h.batch.hunt_leaks = true;
  h.batch.send_frozen = false;
  h.batch.begin = r.batch.mode == Batch::Mode::kExplore ? 0 : begin;  // a tree, from its root
  h.batch.end = end;
  for (uint64_t i : r.violations) {
    if (i >= h.batch.begin && i < h.batch.end) h.violations.push_back(i);
  }
  hunts_.push_back(std::move(h));
}

void RunPolicy::Died(uint32_t slot, Failure&& failure) {
  Running& r = running_[slot];
  const uint64_t i = failure.iteration;
  if (i < r.next || i >= r.batch.end) {
    // A calibration re-run that died where it passed before: the target is not deterministic.
    rs_.InternalError(i, "iteration " + std::to_string(i) +
                             " died when re-run in a fresh child process, but passed before: "
                             "the target is not deterministic (" +
                             failure.violation.Signature() + ")");
    return;
  }
  if (r.batch.hunt_leaks) {
    // The iteration was recorded when its batch ran; this is a second verdict on it.
    const bool counted =
        std::find(r.violations.begin(), r.violations.end(), i) != r.violations.end();
    rs_.RecordLateFailure(std::move(failure), counted);
    return;
  }
  rs_.RecordFailure(std::move(failure));
  Reported(r, i);
  switch (r.batch.mode) {
    case Batch::Mode::kCalibrate:
      died_in_calibration_.push_back(i);
      break;
    case Batch::Mode::kExplore: {
      // The search tree died with the child: the run ends here.
      std::lock_guard<std::mutex> guard(rs_.mu);
      if (i < rs_.stop_at.load()) rs_.stop_at = i;
      break;
    }
    case Batch::Mode::kSample:
    case Batch::Mode::kFree:
      if (i + 1 < r.batch.end) retry_.push_front(Range{i + 1, r.batch.end});
      break;
  }
}

void RunPolicy::Ended(uint32_t slot, bool clean) {
  Running& r = running_[slot];
  if (clean) CheckEnd(r);
  r.busy = false;
  AfterBatch(r);
}

// A batch that ended without a death ran to its end or had a reason to stop.
void RunPolicy::CheckEnd(const Running& r) {
  const bool stopped = r.errored || r.exhausted || r.batch.hunt_leaks || rs_.halt.load() ||
                       r.next > rs_.stop_at.load() || r.next >= r.batch.end;
  if (!stopped) {
    rs_.InternalError(r.next, "a child process ended before iteration " + std::to_string(r.next) +
                                  " of its batch");
  }
}

// Phase changes once the calibrating or exploring batch is over.
void RunPolicy::AfterBatch(const Running& r) {
  if (r.batch.hunt_leaks) return;
  if (r.batch.mode == Batch::Mode::kExplore) phase_ = Phase::kDone;
  if (r.batch.mode != Batch::Mode::kCalibrate) return;
  if (calibration_next_ < calibration_end_ || (need_frozen_ && !frozen_)) return;
  if (!need_frozen_ || Stopping() || rs_.next.load() >= limit_) {
    phase_ = Phase::kDone;
    return;
  }
  // From here on each iteration gets a fresh strategy from the frozen spec, and so depends on
  // nothing but its own seed.
  phase_ = Phase::kSample;
  summary_.strategy = *frozen_;
  summary_.workers = jobs_;
  std::lock_guard<std::mutex> guard(rs_.mu);
  monitor_.strategy = *frozen_;
}

}  // namespace gcs
