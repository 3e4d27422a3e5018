// gcstress runner — ChildExecutor: batches in child processes (fork mode), whose deaths and
// hangs become verdicts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/isolation/child_process.h"
#include "harness/isolation/progress_page.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/batch_executor.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs {

// A fork-mode child process kept between batches and between Run calls (ServeBatches,
// child_batch.h), and the page it shares with the parent. The Runner keeps one per job: a child
// per batch would cost a fork, a target and a page for every few iterations, and a generated
// search runs only a few per scenario.
struct BatchWorker {
  explicit BatchWorker(isolation::PageRegion r) : region(std::move(r)) {}
  isolation::PageRegion region;
  std::optional<isolation::ChildProcess> child;  // between batches: alive, waiting for the next
  uint64_t scenario = 0;                         // the serial of the scenario the child holds
  uint64_t executions = 0;  // iterations the child was given (at most RunConfig::batch)
};

// What Runner::Create worked out, for a fork-mode run.
struct ChildPlan {
  const RunConfig* config = nullptr;
  const TargetFactory* factory = nullptr;
  bool free_mode = false;
  const LoadOptions* load_options = nullptr;    // how a child reads a scenario sent to it
  std::vector<BatchWorker>* workers = nullptr;  // kept by the Runner
  uint64_t scenario_serial = 0;                 // numbers this run's scenario, from 1 per Runner
};

// A slot is a BatchWorker: its batch goes to the child waiting from an earlier batch if that may
// take it, else to a fresh child (forked from the calling thread). Poll reads the children's
// messages, watches their pages (no progress for config.step_timeout: the child is killed, a
// hang) and turns a death into Died with the post-mortem's verdict (post_mortem.h), for the
// iteration the page says the child was running. The process that forks should run no other
// gcstress threads: a child inherits no threads, and TSan cannot watch a child forked from a
// multi-threaded process.
class ChildExecutor final : public BatchExecutor {
 public:
  ChildExecutor(const ChildPlan& plan, const Scenario& scenario, uint32_t slots);
  ~ChildExecutor() override;
  ChildExecutor(const ChildExecutor&) = delete;
  ChildExecutor& operator=(const ChildExecutor&) = delete;

  uint32_t slots() const override { return slots_count_; }
  std::optional<std::string> Start(uint32_t slot, const Batch& batch) override;
  void SetStop(uint64_t stop_at, bool halt) override;
  void Poll(std::chrono::milliseconds tick, BatchEvents& events) override;
  uint32_t Confirm(const Failure& failure, uint32_t times) override;

  uint32_t children() const { return children_; }  // child processes this run started

 private:
  struct Slot;
  void WriteStop(Slot& s) const;
  bool Resume(Slot& s);
  const std::optional<std::string>& ScenarioText();
  std::optional<std::string> Fork(Slot& s);
  void Handle(Slot& s, const isolation::Message& m, BatchEvents& events);
  void Finish(Slot& s, BatchEvents& events);
  void End(Slot& s, BatchEvents& events);
  void BatchEnded(Slot& s);
  void Died(Slot& s, const isolation::ChildExit& exit, BatchEvents& events);

  const ChildPlan& plan_;
  const RunConfig& config_;
  const Scenario& scenario_;
  const uint32_t slots_count_;
  std::vector<Slot> slots_;
  std::optional<std::string> init_error_;  // the pages could not be mapped
  uint64_t stop_at_;
  bool halt_ = false;
  uint32_t children_ = 0;
  bool text_made_ = false;
  std::optional<std::string> text_;  // ScenarioText()
};

// Runner::Confirm in fork mode: each re-execution in a child process.
uint32_t ConfirmInChildren(const ChildPlan& plan, const Scenario& scenario, const Failure& failure,
                           uint32_t times);

}  // namespace gcs
