// gcstress runner — Runner: iterations claimed by workers, calibration, stopping, the summary.
#include "harness/runner/runner.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "core/check.h"
#include "harness/runner/determinism_check.h"
#include "harness/runner/iteration_seed.h"
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

using Clock = std::chrono::steady_clock;
constexpr uint64_t kNoIteration = std::numeric_limits<uint64_t>::max();

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
};

// The shared state of one Run call. Workers touch the atomics freely and the rest under mu.
struct RunState {
  const Scenario* scenario = nullptr;
  const RunConfig* config = nullptr;
  EngineOptions options;
  std::atomic<uint64_t> next{0};                // the next iteration to claim
  std::atomic<uint64_t> stop_at{kNoIteration};  // !keep_going: lowest failing iteration so far
  std::atomic<bool> halt{false};                // start no further iteration
  std::atomic<bool> exhausted{false};

  std::mutex mu;
  std::condition_variable cv;
  uint32_t workers_running = 0;
  uint64_t done = 0;
  uint64_t violations = 0;
  std::map<std::string, Failure> by_signature;  // lowest iteration per signature
  std::vector<std::string> to_announce;         // signatures first seen since the last drain
  std::vector<uint64_t> violating;              // stop_on_kind: every failing iteration
  uint64_t error_iteration = kNoIteration;      // internal error: the lowest iteration's
  std::string error;

  // Claims the next iteration below `end`, unless the run is stopping. A claim that fails takes
  // nothing, so [0, next) is exactly the set of iterations that ran or are running.
  bool Claim(uint64_t end, uint64_t* out) {
    uint64_t i = next.load();
    do {
      if (i >= end || i > stop_at.load() || halt.load()) return false;
    } while (!next.compare_exchange_weak(i, i + 1));
    *out = i;
    return true;
  }

  void InternalError(uint64_t iteration, std::string message) {
    std::lock_guard<std::mutex> guard(mu);
    if (iteration < error_iteration) {
      error_iteration = iteration;
      error = std::move(message);
    }
    halt = true;
    cv.notify_all();
  }

  void Record(uint64_t iteration, JudgedExecution&& judged) {
    std::lock_guard<std::mutex> guard(mu);
    ++done;
    if (judged.verdict) {
      ++violations;
      const ViolationKind judged_kind = judged.verdict->kind;
      std::string signature = judged.verdict->Signature();
      auto it = by_signature.find(signature);
      if (it == by_signature.end() || iteration < it->second.iteration) {
        if (it == by_signature.end()) to_announce.push_back(signature);
        by_signature[signature] =
            Failure{iteration, std::move(judged.execution), std::move(*judged.verdict), 0};
      }
      if (config->stop_on_kind) violating.push_back(iteration);
      const bool stops = !config->keep_going || config->stop_on_kind == judged_kind;
      if (stops && iteration < stop_at.load()) stop_at = iteration;
    }
    cv.notify_all();
  }

  void RunIteration(Executor& ex, sched::Strategy& strategy, uint64_t i) {
    const uint64_t seed = IterationSeed(config->seed, i);
    try {
      JudgedExecution judged = ex.Execute(*scenario, config->faults, strategy, seed, options);
      if (judged.execution.strategy_exhausted && Explores(strategy)) exhausted = true;
      if (config->check_determinism) {
        std::optional<size_t> diverged;
        JudgedExecution replay =
            ex.Replay(*scenario, config->faults, judged.execution.schedule, options, &diverged);
        if (auto diff = CompareWithReplay(*scenario, judged, replay, diverged)) {
          InternalError(i, "nondeterminism: iteration " + std::to_string(i) + " (seed " +
                               std::to_string(seed) + ") replayed from its schedule: " + *diff);
          return;
        }
      }
      Record(i, std::move(judged));
    } catch (const std::exception& e) {
      InternalError(i, "iteration " + std::to_string(i) + ": the execution threw: " + e.what());
    }
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
  state->load_options.known_faults = known;
  state->load_options.target = std::string((*target)->Name());
  state->load_options.supported_ops = (*target)->SupportedOps();
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

// Runs `phase_workers` threads over `body(worker index)` while the calling thread watches: the
// interrupt and the time budget (setting halt), progress, new signatures. Returns when every
// worker is done.
struct Monitor {
  RunState& rs;
  const RunHooks& hooks;
  Clock::time_point start;
  Clock::time_point last_progress;
  std::chrono::milliseconds budget;
  bool interrupted = false;
  bool out_of_time = false;
  std::string strategy;  // for progress

  void Drain(std::unique_lock<std::mutex>& lock) {
    while (!rs.to_announce.empty()) {
      std::vector<std::string> batch;
      batch.swap(rs.to_announce);
      if (!hooks.new_signature) continue;
      for (const std::string& sig : batch) {
        const Failure failure = rs.by_signature.at(sig);  // a copy: the callback runs unlocked
        lock.unlock();
        hooks.new_signature(failure);
        lock.lock();
      }
    }
  }

  void Watch(std::unique_lock<std::mutex>& lock) {
    const auto now = Clock::now();
    if (hooks.interrupt != nullptr && hooks.interrupt->load()) {
      interrupted = true;
      rs.halt = true;
    }
    if (budget.count() > 0 && now - start >= budget) {
      out_of_time = true;
      rs.halt = true;
    }
    if (rs.config->keep_going) Drain(lock);
    if (hooks.progress && now - last_progress >= hooks.progress_interval) {
      last_progress = now;
      RunProgress p;
      p.iterations = rs.done;
      p.violations = rs.violations;
      p.distinct = rs.by_signature.size();
      p.seconds = std::chrono::duration<double>(now - start).count();
      p.exec_per_sec = p.seconds > 0 ? static_cast<double>(rs.done) / p.seconds : 0;
      p.strategy = strategy;
      lock.unlock();
      hooks.progress(p);
      lock.lock();
    }
  }

  void RunPhase(uint32_t workers, const std::function<void(uint32_t)>& body) {
    {
      std::lock_guard<std::mutex> guard(rs.mu);
      rs.workers_running = workers;
    }
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (uint32_t w = 0; w < workers; ++w) {
      threads.emplace_back([this, w, &body] {
        body(w);
        std::lock_guard<std::mutex> guard(rs.mu);
        --rs.workers_running;
        rs.cv.notify_all();
      });
    }
    const auto tick = std::clamp<std::chrono::milliseconds>(
        hooks.progress_interval, std::chrono::milliseconds(1), std::chrono::milliseconds(50));
    std::unique_lock<std::mutex> lock(rs.mu);
    while (rs.workers_running > 0) {
      rs.cv.wait_for(lock, tick);
      Watch(lock);
    }
    if (rs.config->keep_going) Drain(lock);
    lock.unlock();
    for (std::thread& t : threads)
      t.join();
  }

  bool Stopping() const {
    return rs.halt.load() || rs.stop_at.load() != kNoIteration || rs.exhausted.load();
  }
};

}  // namespace

RunSummary Runner::Run(const Scenario& scenario, const RunHooks& hooks) {
  State& st = *state_;
  const RunConfig& config = st.config;
  RunState rs;
  rs.scenario = &scenario;
  rs.config = &config;
  rs.options.free_mode = st.free_mode;
  rs.options.yield_per_mille = config.yield_per_mille;
  const uint64_t limit = config.iterations == 0 ? kNoIteration : config.iterations;

  RunSummary summary;
  summary.strategy = st.spec;
  Monitor monitor{rs, hooks, Clock::now(), Clock::now(), config.time_budget};
  monitor.strategy = st.spec;

  // Every worker beyond the first gets its own target; made on demand and kept.
  const uint32_t jobs = (st.explores ? 1 : config.jobs);
  while (st.executors.size() < jobs) {
    Expected<std::unique_ptr<Target>> target = st.factory();
    GCS_CHECK_MSG(target.ok(), "the target factory failed after succeeding once");
    st.executors.push_back(std::make_unique<Executor>(std::move(target).value(),
                                                      OracleOptions{.free_mode = st.free_mode}));
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

  summary.seconds = std::chrono::duration<double>(Clock::now() - monitor.start).count();
  std::lock_guard<std::mutex> guard(rs.mu);
  std::vector<Failure> failures;
  for (auto& [sig, failure] : rs.by_signature)
    failures.push_back(std::move(failure));
  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.iteration < b.iteration; });
  const uint64_t cut = rs.stop_at.load();
  if (cut != kNoIteration) {
    // Iterations above the one the run stopped at that were already running when it was found do
    // not count: the summary is the one a single worker would give.
    std::erase_if(failures, [cut](const Failure& f) { return f.iteration > cut; });
    summary.iterations = cut + 1;
    summary.violations =
        config.keep_going
            ? static_cast<uint64_t>(std::count_if(rs.violating.begin(), rs.violating.end(),
                                                  [cut](uint64_t i) { return i <= cut; }))
            : 1;
  } else {
    summary.iterations = rs.done;
    summary.violations = rs.violations;
  }
  for (Failure& f : failures) {
    if (config.confirm > 0) f.confirmed = Confirm(scenario, f, config.confirm);
  }
  if (!failures.empty()) summary.first_failure = failures[0];
  summary.failures = std::move(failures);
  summary.exec_per_sec = summary.seconds > 0 ? static_cast<double>(rs.done) / summary.seconds : 0;

  if (rs.error_iteration != kNoIteration) {
    summary.stop = StopReason::kInternalError;
    summary.internal_error = rs.error;
  } else if (cut != kNoIteration) {
    summary.stop = StopReason::kFirstFailure;
  } else if (rs.exhausted.load()) {
    summary.stop = StopReason::kExhausted;
  } else if (monitor.interrupted) {
    summary.stop = StopReason::kInterrupted;
  } else if (monitor.out_of_time) {
    summary.stop = StopReason::kTimeBudget;
  } else {
    summary.stop = StopReason::kIterations;
  }
  return summary;
}

uint32_t Runner::Confirm(const Scenario& scenario, const Failure& failure, uint32_t times) {
  State& st = *state_;
  Executor& ex = *st.executors[0];
  EngineOptions options;
  options.free_mode = st.free_mode;
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
