// gcstress runner — InProcessExecutor: batches on worker threads of this process (--no-fork).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/isolation/execution_monitor.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/batch_executor.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"

namespace gcs {

// What a Runner keeps between in-process runs: an Executor (target, engine, judge) per worker,
// made on demand, and the watchdog's private page per worker.
struct InProcessWorkers {
  std::vector<std::unique_ptr<Executor>> executors;  // [0] exists from Runner::Create on
  std::vector<std::unique_ptr<isolation::MonitoredPage>> watches;
};

// A slot is a worker thread running RunBatch on its own Executor; what it reports is queued and
// handed to the policy in Poll, on the policy's thread. With a step timeout a watchdog watches
// every worker's page: a hung execution (threads stuck in the target cannot be unwound) goes to
// hooks.hang, or stderr, and the process exits with code 4.
class InProcessExecutor final : public BatchExecutor {
 public:
  InProcessExecutor(InProcessWorkers& workers, const TargetFactory& factory,
                    const Scenario& scenario, const RunConfig& config, bool free_mode,
                    const RunHooks& hooks, uint32_t slots);
  ~InProcessExecutor() override;
  InProcessExecutor(const InProcessExecutor&) = delete;
  InProcessExecutor& operator=(const InProcessExecutor&) = delete;

  uint32_t slots() const override { return static_cast<uint32_t>(threads_.size()); }
  std::optional<std::string> Start(uint32_t slot, const Batch& batch) override;
  void SetStop(uint64_t stop_at, bool halt) override;
  void Poll(std::chrono::milliseconds tick, BatchEvents& events) override;
  uint32_t Confirm(const Failure& failure, uint32_t times) override;

 private:
  class SlotSink;
  void Push(std::function<void(BatchEvents&)> event);

  InProcessWorkers& workers_;
  const Scenario& scenario_;
  const RunConfig& config_;
  const bool free_mode_;
  std::vector<std::thread> threads_;  // a slot each
  std::atomic<uint64_t> stop_at_;
  std::atomic<bool> halt_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void(BatchEvents&)>> queue_;  // under mu_
  std::optional<isolation::Watchdog> watchdog_;
};

// Runner::Confirm in process: `times` re-executions of the failure on `executor` (its schedule,
// or in free mode its seed), counting the verdicts with the same signature.
uint32_t ConfirmInProcess(Executor& executor, const Scenario& scenario, const RunConfig& config,
                          bool free_mode, const Failure& failure, uint32_t times);

}  // namespace gcs
