// gcstress runner — Runner: runs many executions of a scenario and reports what they found.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs {

// A failing execution worth a repro: the lowest iteration that produced its verdict.
struct Failure {
  uint64_t iteration = 0;
  Execution execution;  // execution.schedule replays it; execution.seed == IterationSeed(...)
  Violation violation;
  uint32_t confirmed = 0;  // of RunConfig::confirm re-executions, how many gave the same signature
  // Fork mode, an execution whose process died or hung: its stderr tail (the sanitizer report,
  // the GCS_CHECK line) and the file name to keep it under beside the repro ("sanitizer.txt",
  // "crash.txt"). Raw text with addresses and pids: never part of a result, compared by nobody.
  // The execution then has its seed and schedule (up to the death) but no trace.
  std::string evidence;
  std::string evidence_file;
  // Fork mode: where execution.trace's site and error texts live (they came from the child).
  std::shared_ptr<const std::deque<std::string>> trace_strings;
};

// Why a run ended.
enum class StopReason : uint8_t {
  kIterations,     // every requested iteration ran
  kFirstFailure,   // a violation, and keep_going was off (or one of kind stop_on_kind)
  kExhausted,      // the strategy has nothing left to explore (dfs covered its whole tree)
  kTimeBudget,     // the time budget ran out (checked between iterations)
  kInterrupted,    // RunHooks::interrupt was set (Ctrl-C)
  kInternalError,  // the harness itself failed: see RunSummary::internal_error
};
std::string_view StopReasonName(StopReason reason);

struct RunSummary {
  std::string strategy;     // the spec the last iterations ran with ("pct:depth=3,steps=21")
  uint64_t iterations = 0;  // executions that ran and count (see Runner, "Stopping")
  uint64_t violations = 0;  // of them, with a violation
  // The lowest failing iteration, and (keep_going) the lowest iteration of every distinct
  // signature, ordered by iteration; failures[0] is first_failure.
  std::optional<Failure> first_failure;
  std::vector<Failure> failures;
  StopReason stop = StopReason::kIterations;
  std::string internal_error;  // kInternalError: one line
  uint32_t workers = 1;        // worker threads used (dfs and the calibration run on one)
  uint32_t children = 0;       // fork mode: child processes this run started (the rest of its
                               // batches ran in children kept from earlier runs or batches)
  // Wall-clock measurements: progress output only, never part of a result.
  double seconds = 0;
  double exec_per_sec = 0;
};

// A snapshot for progress displays, taken on the thread that called Run.
struct RunProgress {
  uint64_t iterations = 0;
  uint64_t violations = 0;
  uint64_t distinct = 0;  // distinct signatures so far
  double seconds = 0;
  double exec_per_sec = 0;  // over the whole run so far
  std::string_view strategy;
};

// Everything Run reports while it runs. All callbacks are called on the thread that called Run.
struct RunHooks {
  std::function<void(const RunProgress&)> progress;
  std::chrono::milliseconds progress_interval{200};
  // A violation with a signature not seen before in this run (at most once per signature; under
  // jobs > 1 in the order found, which need not be iteration order).
  std::function<void(const Failure&)> new_signature;
  // Set (e.g. by a SIGINT handler) to stop between iterations.
  const std::atomic<bool>* interrupt = nullptr;
  // In-process runs with a step timeout: a hung execution (threads stuck in the target cannot be
  // unwound) is handed over on the watchdog thread — its verdict and schedule so far, no trace —
  // and then the process exits with code 4. Without this hook the verdict is printed to stderr.
  // Fork mode reports hangs as failures like any other.
  std::function<void(const Failure&)> hang;
};

// Runs iterations of a scenario.
//
// Iterations. Iteration i executes with seed IterationSeed(config.seed, i) (iteration_seed.h).
// Strategies that sample (pct, random, round-robin) make each iteration a pure function of
// (scenario, config, i):
//   - iterations [0, kCalibrationIterations) run in order on one strategy object, so that
//     adaptive strategies calibrate (pct learns the number of steps an execution has: its k);
//   - every later iteration runs on a fresh strategy built from the spec the calibrated object
//     reports next ("pct:depth=3,steps=57") — its recorded spec — and its own seed.
// Workers (config.jobs) take batches of consecutive iterations (shares of what is left, at most
// config.batch) from one counter; since no iteration depends on which worker runs it or what ran
// before it (past calibration), the results do not depend on jobs. The exploring strategy (dfs)
// carries its search tree from one execution to the next, so it runs on one worker, in order, until
// its tree is covered ("explored all N schedules") or the iteration limit. Free mode runs every
// iteration on real parallel threads; nothing there is reproducible but the per-thread yield draws.
//
// Stopping. At the first violation (unless keep_going; with keep_going and stop_on_kind, at the
// first violation of that kind): iterations above it are not started, the ones below it all
// finish (a worker stops at its own stopping violation, and the others hear of it between
// iterations), and the reported failure is the lowest such iteration — the one jobs = 1 reports;
// the summary counts exactly the iterations up to it, and the failures among them. The time budget
// and the interrupt are looked at between iterations only; an execution always finishes. The wall
// clock decides when to stop and what progress says, never what an execution does or reports.
//
// Determinism check (config.check_determinism): every execution is replayed from its schedule on
// the same executor and compared (determinism_check.h); a difference ends the run with
// kInternalError.
//
// How. One policy (RunPolicy, run_policy.h) decides all of the above and hands out batches to one
// of two executors behind one interface (batch_executor.h): worker threads in this process
// (InProcessExecutor), or child processes (ChildExecutor, below). Both run a batch's iterations
// with the same loop (RunBatch, batch_loop.h).
//
// Isolation (config.isolate, "fork mode"). The calling thread forks child processes and runs
// nothing itself: each child builds its own target and executor and runs a batch of iterations
// (at most config.batch), streaming a result per iteration through a pipe, and keeps a
// ProgressPage (harness/isolation/progress_page.h) in memory shared with the parent: the
// iteration it runs, its progress counter, each thread's step, and the schedule decisions as they
// are taken. When a child dies (a signal, an abort, a failed GCS_CHECK, a sanitizer report) or
// stops making progress for config.step_timeout (the parent SIGKILLs it), the parent reads the
// page and the child's stderr and records a verdict for the iteration it was running — crash,
// hang, or the sanitizer report's kind (post_mortem.h) — with its seed and its schedule up to
// the death, which `gcstress replay` reproduces. A fresh child then takes the rest of the batch.
// A child that ends its batch cleanly is kept (BatchWorker, child_executor.h): it waits for the
// next batch — of this run, or of the next Run call's scenario, which it is sent as JSON — and
// names on the page the scenario it runs, so that a search over many short scenarios (run
// --generate) pays a fork per crash, not per scenario, and each death stays its scenario's. A
// child runs at most config.batch iterations in all, then a fresh one follows.
// Iteration numbers, seeds, stopping and "the lowest failing iteration" are exactly as above, and
// nothing depends on config.batch or jobs (jobs children run at once). Two rules are new, for
// executions that die: an execution that dies during calibration contributes nothing to it (the
// next child re-runs the calibration iterations before it, without it, to rebuild the
// strategy's state); and dfs, whose search tree dies with its child, ends the run at such an
// execution, with or without keep_going. The process calling Run should run no other gcstress
// threads then: a child inherits no threads, and TSan cannot watch a child forked from a
// multi-threaded process.
class Runner {
 public:
  static constexpr uint64_t kCalibrationIterations = 16;

  // Validates the config: the target exists (built by `factory`, default NamedTarget), every
  // fault is one of its FaultNames, the strategy spec parses, jobs >= 1, free mode has no
  // determinism check. Errors name the flag: InputError{"<flag>", "--fault", ...}.
  static Expected<Runner> Create(RunConfig config);
  static Expected<Runner> Create(RunConfig config, TargetFactory factory);

  Runner(Runner&&) noexcept;
  Runner& operator=(Runner&&) noexcept;
  ~Runner();

  // How to load scenarios for this runner's target (its faults and supported ops).
  const LoadOptions& ScenarioLoadOptions() const;
  const RunConfig& config() const;
  bool free_mode() const;
  // The strategy spec in canonical form ("pct:depth=3,steps=64"), or "free".
  const std::string& strategy_spec() const;

  // Runs the scenario (loaded with ScenarioLoadOptions). Callable repeatedly; the workers'
  // targets and thread pools are kept between calls.
  RunSummary Run(const Scenario& scenario, const RunHooks& hooks = {});

  // Re-executes a failure `times` times (its schedule, or in free mode its seed) and counts the
  // executions whose verdict has the same signature.
  uint32_t Confirm(const Scenario& scenario, const Failure& failure, uint32_t times);

 private:
  struct State;
  explicit Runner(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace gcs
