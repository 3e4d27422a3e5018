// gcstress runner — InProcessExecutor: worker threads, their queued reports, the watchdog.
#include "harness/runner/in_process_executor.h"

#include <cstdio>
#include <utility>

#include "core/check.h"
#include "harness/isolation/post_mortem.h"
#include "harness/runner/batch_loop.h"
#include "harness/runner/exit_code.h"
#include "harness/runner/run_state.h"

namespace gcs {
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

// A worker's reports, queued for Poll; and the stop it reads between iterations.
class InProcessExecutor::SlotSink final : public BatchEvents, public BatchControl {
 public:
  explicit SlotSink(InProcessExecutor& owner) : owner_(owner) {}

  bool Stopped(uint64_t i, bool hunt) const override {
    return i > owner_.stop_at_.load() || (!hunt && owner_.halt_.load());
  }
  bool Survived(uint64_t, const Execution&, bool) override { return true; }

  void Passed(uint32_t slot, uint64_t i) override {
    owner_.Push([slot, i](BatchEvents& e) { e.Passed(slot, i); });
  }
  void Failed(uint32_t slot, Failure&& failure) override {
    auto f = std::make_shared<Failure>(std::move(failure));
    owner_.Push([slot, f](BatchEvents& e) { e.Failed(slot, std::move(*f)); });
  }
  void Violated(uint32_t slot, uint64_t i, ViolationKind kind,
                const std::string& signature) override {
    owner_.Push([=](BatchEvents& e) { e.Violated(slot, i, kind, signature); });
  }
  void Died(uint32_t, Failure&&) override { GCS_CHECK_MSG(false, "an in-process execution died"); }
  void Errored(uint32_t slot, std::optional<uint64_t> i, std::string message) override {
    owner_.Push([=](BatchEvents& e) { e.Errored(slot, i, message); });
  }
  void Exhausted(uint32_t slot) override {
    owner_.Push([slot](BatchEvents& e) { e.Exhausted(slot); });
  }
  void Calibrated(uint32_t slot, std::string spec) override {
    owner_.Push([slot, spec](BatchEvents& e) { e.Calibrated(slot, spec); });
  }
  void Leaked(uint32_t, uint64_t, uint64_t) override {
    GCS_CHECK_MSG(false, "in-process batches do not check for leaks");
  }
  void Ended(uint32_t slot, bool clean) override {
    owner_.Push([slot, clean](BatchEvents& e) { e.Ended(slot, clean); });
  }

 private:
  InProcessExecutor& owner_;
};

InProcessExecutor::InProcessExecutor(InProcessWorkers& workers, const TargetFactory& factory,
                                     const Scenario& scenario, const RunConfig& config,
                                     bool free_mode, const RunHooks& hooks, uint32_t slots)
    : workers_(workers),
      scenario_(scenario),
      config_(config),
      free_mode_(free_mode),
      threads_(slots),
      stop_at_(kNoIteration) {
  // Every worker beyond the first gets its own target; made on demand and kept.
  std::vector<std::unique_ptr<Executor>>& executors = workers.executors;
  while (executors.size() < slots) {
    Expected<std::unique_ptr<Target>> target = factory();
    GCS_CHECK_MSG(target.ok(), "the target factory failed after succeeding once");
    executors.push_back(std::make_unique<Executor>(std::move(target).value(),
                                                   OracleOptions{.free_mode = free_mode}));
  }
  // The watchdog: each executor keeps a (private) page it reads.
  for (std::unique_ptr<Executor>& ex : executors)
    ex->SetMonitor(nullptr);
  if (config.step_timeout.count() == 0) return;
  std::vector<const isolation::PageRegion*> regions;
  for (size_t w = 0; w < slots; ++w) {
    if (workers.watches.size() <= w) {
      Expected<isolation::PageRegion> region = isolation::PageRegion::Create(/*shared=*/false);
      GCS_CHECK_MSG(region.ok(), "cannot map the watchdog's progress page");
      workers.watches.push_back(
          std::make_unique<isolation::MonitoredPage>(std::move(region).value()));
    }
    workers.watches[w]->region.Reset();
    executors[w]->SetMonitor(&workers.watches[w]->monitor);
    regions.push_back(&workers.watches[w]->region);
  }
  watchdog_.emplace(
      regions, config.step_timeout,
      [this, &hooks](size_t w) {
        ReportInProcessHang(scenario_, config_, workers_.watches[w]->region, hooks);
      },
      static_cast<int>(ExitCode::kHang));
}

InProcessExecutor::~InProcessExecutor() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  watchdog_.reset();
}

std::optional<std::string> InProcessExecutor::Start(uint32_t slot, const Batch& batch) {
  // The slot's last batch has ended (the policy heard its Ended): its thread is done.
  if (threads_[slot].joinable()) threads_[slot].join();
  threads_[slot] = std::thread([this, slot, batch] {
    SlotSink sink(*this);
    RunBatch(*workers_.executors[slot], scenario_, config_, free_mode_, batch, slot, sink, sink);
    sink.Ended(slot, true);
  });
  return std::nullopt;
}

void InProcessExecutor::SetStop(uint64_t stop_at, bool halt) {
  stop_at_ = stop_at;
  halt_ = halt;
}

void InProcessExecutor::Push(std::function<void(BatchEvents&)> event) {
  std::lock_guard<std::mutex> guard(mu_);
  queue_.push_back(std::move(event));
  cv_.notify_all();
}

void InProcessExecutor::Poll(std::chrono::milliseconds tick, BatchEvents& events) {
  std::vector<std::function<void(BatchEvents&)>> ready;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (queue_.empty()) cv_.wait_for(lock, tick);
    ready.swap(queue_);
  }
  for (std::function<void(BatchEvents&)>& event : ready)
    event(events);
}

uint32_t InProcessExecutor::Confirm(const Failure& failure, uint32_t times) {
  // After the run: the watchdog watched the run's executions only.
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  watchdog_.reset();
  return ConfirmInProcess(*workers_.executors[0], scenario_, config_, free_mode_, failure, times);
}

uint32_t ConfirmInProcess(Executor& executor, const Scenario& scenario, const RunConfig& config,
                          bool free_mode, const Failure& failure, uint32_t times) {
  EngineOptions options;
  options.free_mode = free_mode;
  options.step_timeout = config.step_timeout;
  options.yield_per_mille = config.yield_per_mille;
  const std::string signature = failure.violation.Signature();
  uint32_t same = 0;
  for (uint32_t k = 0; k < times; ++k) {
    JudgedExecution again;
    if (free_mode) {
      auto unused = sched::MakeStrategy("round-robin");
      GCS_CHECK_MSG(unused.ok(), "a canonical strategy spec failed to parse");
      again = executor.Execute(scenario, config.faults, **unused, failure.execution.seed, options);
    } else {
      again =
          executor.Replay(scenario, config.faults, failure.execution.schedule, options, nullptr);
    }
    if (again.verdict && again.verdict->Signature() == signature) ++same;
  }
  return same;
}

}  // namespace gcs
