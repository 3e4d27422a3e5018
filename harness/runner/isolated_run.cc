// gcstress runner — fork mode's parent: hands out batches to child slots, reads their messages,
// watches their progress, turns their deaths into verdicts, keeps its children for the next batch.
#include "harness/runner/isolated_run.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <optional>
#include <utility>

#include "harness/isolation/child_process.h"
#include "harness/isolation/post_mortem.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/child_batch.h"
#include "harness/runner/isolated_replay.h"
#include "harness/runner/run_state.h"
#include "harness/scenario/scenario_encoder.h"

namespace gcs {
namespace {

using isolation::ChildProcess;
using isolation::PageRegion;
using isolation::WireReader;

// Without --batch, an unbounded run with several children still needs bounded shares to hand out.
constexpr uint64_t kUnboundedShare = 10000;

struct Range {
  uint64_t begin;
  uint64_t end;
};

// A job: its worker (child process and page) and the batch it runs.
struct Slot {
  Slot(BatchWorker& w, std::chrono::milliseconds timeout) : worker(&w), clock(timeout) {}
  PageRegion& region() const { return worker->region; }
  ChildProcess& child() const { return *worker->child; }

  BatchWorker* worker;
  bool busy = false;  // its child runs `batch`
  bool idle = false;  // the child sent kIdle: the batch ended, the child waits for the next
  Batch batch;
  isolation::StallClock clock;
  uint64_t next = 0;  // the lowest iteration of the batch not reported yet
  bool hung = false;
  bool errored = false;
  bool exhausted = false;
  bool reported = false;
  bool leaked = false;               // it sent kLeaked
  std::vector<uint64_t> violations;  // iterations it reported as violations (a hunt: those of
                                     // the hunted batch)
  Execution reported_execution;
  std::shared_ptr<isolation::TraceStrings> reported_strings;
};

// A batch whose end-of-batch leak check found a leak, to be run again as a hunt.
struct Hunt {
  Batch batch;
  std::vector<uint64_t> violations;  // of its iterations, those already counted as violations
};

enum class Phase { kCalibrate, kExplore, kSample, kFree, kDone };

class Supervisor {
 public:
  Supervisor(const RunPlan& plan, const Scenario& scenario, RunState& rs, RunMonitor& monitor,
             RunSummary& summary, uint64_t limit)
      : plan_(plan),
        config_(*plan.config),
        scenario_(scenario),
        rs_(rs),
        monitor_(monitor),
        summary_(summary),
        limit_(limit) {
    jobs_ = plan.explores ? 1 : config_.jobs;
    if (plan.free_mode) {
      phase_ = Phase::kFree;
      summary_.workers = jobs_;
    } else if (plan.explores) {
      phase_ = Phase::kExplore;
    } else {
      phase_ = Phase::kCalibrate;
      calibration_end_ = std::min(limit_, Runner::kCalibrationIterations);
      need_frozen_ = calibration_end_ < limit_;
    }
  }

  // An error if the pages could not be mapped.
  std::optional<std::string> Init() {
    std::vector<BatchWorker>& workers = *plan_.workers;
    while (workers.size() < jobs_) {
      Expected<PageRegion> region = PageRegion::Create(/*shared=*/true);
      if (!region) return region.error().Format();
      workers.emplace_back(std::move(region).value());
    }
    for (uint32_t i = 0; i < jobs_; ++i)
      slots_.emplace_back(workers[i], config_.step_timeout);
    return std::nullopt;
  }

  void Loop() {
    const auto tick = std::clamp<std::chrono::milliseconds>(monitor_.hooks.progress_interval,
                                                            std::chrono::milliseconds(1),
                                                            std::chrono::milliseconds(50));
    const auto interval = config_.step_timeout.count() > 0
                              ? std::min(tick, isolation::LookInterval(config_.step_timeout))
                              : tick;
    std::vector<isolation::Message> messages;
    for (;;) {
      Propagate();
      StartChildren();
      std::vector<ChildProcess*> live;
      for (Slot& s : slots_) {
        if (s.busy) live.push_back(&s.child());
      }
      if (live.empty()) break;
      isolation::PollChildren(live, interval);
      const auto now = isolation::WatchClock::now();
      for (Slot& s : slots_) {
        if (!s.busy) continue;
        messages.clear();
        s.child().Pump(&messages);
        for (isolation::Message& m : messages)
          Handle(s, m);
        if (s.idle) {
          Finish(s);
        } else if (s.child().drained()) {
          End(s);
        } else if (!s.hung && s.clock.Stalled(s.region().page(), now)) {
          s.child().Kill();
          s.hung = true;
        }
      }
      std::unique_lock<std::mutex> lock(rs_.mu);
      monitor_.Watch(lock);
    }
    std::unique_lock<std::mutex> lock(rs_.mu);
    if (config_.keep_going) monitor_.Drain(lock);
  }

 private:
  // The run's stopping state, as each child reads it before every iteration.
  void Propagate() {
    const uint64_t stop_at = rs_.stop_at.load();
    const uint32_t halt = rs_.halt.load() || rs_.exhausted.load() ? 1 : 0;
    for (Slot& s : slots_) {
      s.region().page().stop_at.store(stop_at, std::memory_order_relaxed);
      s.region().page().halt.store(halt, std::memory_order_relaxed);
    }
  }

  bool Stopping() const { return monitor_.Stopping(); }

  std::optional<Batch> NextBatch(size_t slot, std::vector<uint64_t>* counted) {
    // Hunts first, even when stopping: the leak may be the lowest failure of the run.
    while (!hunts_.empty() && rs_.error_iteration == kNoIteration) {
      Hunt h = std::move(hunts_.front());
      hunts_.pop_front();
      if (h.batch.begin > rs_.stop_at.load()) continue;
      *counted = std::move(h.violations);
      return h.batch;
    }
    Batch b;
    b.spec = plan_.spec;
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

  uint64_t Share(uint64_t next) const {
    if (config_.batch > 0) return config_.batch;
    if (limit_ == kNoIteration) return jobs_ == 1 ? kNoIteration - next : kUnboundedShare;
    return std::max<uint64_t>(1, (limit_ - next + jobs_ - 1) / jobs_);
  }

  // Each free slot's next batch: to its worker's child if that is alive and may take it, else to
  // a fresh child.
  void StartChildren() {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.busy) continue;
      std::vector<uint64_t> counted;
      std::optional<Batch> batch = NextBatch(i, &counted);
      if (!batch) continue;
      BatchWorker& w = *s.worker;
      s.batch = std::move(*batch);
      s.next = s.batch.begin;
      s.idle = s.hung = s.errored = s.exhausted = s.reported = s.leaked = false;
      s.violations = std::move(counted);
      s.reported_strings.reset();
      // --batch bounds the iterations of a child, not only of a batch (a dfs batch is unbounded).
      const uint64_t size = s.batch.end - s.batch.begin;
      const bool full = config_.batch > 0 &&
                        (w.executions >= config_.batch || size > config_.batch - w.executions);
      if (w.child && full) Retire(w);
      // The page is reset while the child, if any, waits for its command and touches nothing.
      w.region.Reset();
      Propagate();
      if (w.child && !Resume(s)) Retire(w);
      if (!w.child && !Fork(s)) return;
      w.executions += std::min(size, kNoIteration - w.executions);
      s.busy = true;
      s.clock.Restart(w.region.page(), isolation::WatchClock::now());
    }
  }

  // Sends the slot's batch to its waiting child; false if the child cannot take it (it is gone,
  // or the scenario cannot travel as JSON).
  bool Resume(Slot& s) {
    BatchWorker& w = *s.worker;
    const uint64_t serial = plan_.scenario_serial;
    std::string_view text;
    if (w.scenario != serial) {
      const std::optional<std::string>& json = ScenarioText();
      if (!json) return false;
      text = *json;
    }
    isolation::WireWriter command;
    command.U64(serial);
    command.Str(text);
    PutBatch(command, s.batch);
    if (!w.child->SendCommand(static_cast<uint8_t>(BatchCommand::kRun), command.bytes())) {
      return false;
    }
    w.scenario = serial;
    return true;
  }

  // The scenario as the JSON a child reads it from, if reading it back gives exactly this
  // scenario (always, for a loaded or generated one); else a child must be forked with it.
  const std::optional<std::string>& ScenarioText() {
    if (!text_made_) {
      text_made_ = true;
      std::string text = ScenarioToJson(scenario_).dump();
      Expected<Scenario> back = LoadScenarioText(text, "<scenario>", *plan_.load_options);
      if (back && *back == scenario_) text_ = std::move(text);
    }
    return text_;
  }

  bool Fork(Slot& s) {
    BatchWorker& w = *s.worker;
    std::vector<int> others;
    for (const BatchWorker& o : *plan_.workers) {
      if (&o == &w || !o.child) continue;
      others.push_back(o.child->message_fd());
      others.push_back(o.child->stderr_fd());
      others.push_back(o.child->command_fd());
    }
    std::erase(others, -1);
    const Batch& b = s.batch;
    PageRegion& region = w.region;
    const uint64_t serial = plan_.scenario_serial;
    Expected<ChildProcess> child = ChildProcess::StartServer(
        [&](isolation::MessageSink& sink, isolation::CommandSource& commands) {
          return ServeBatches(sink, commands, region, config_, *plan_.factory, plan_.free_mode,
                              *plan_.load_options, serial, scenario_, b);
        },
        others);
    if (!child) {
      rs_.InternalError(b.begin, "cannot start a child process: " + child.error().Format());
      return false;
    }
    w.child = std::move(child).value();
    w.scenario = serial;
    w.executions = 0;
    ++summary_.children;
    return true;
  }

  // Ends a waiting (or dead) child.
  static void Retire(BatchWorker& w) {
    w.child->Kill();
    w.child->Wait();
    w.child.reset();
    w.scenario = 0;
  }

  // A message about iteration i of slot s: in the batch, never below what it reported before.
  bool InBatch(Slot& s, uint64_t i) {
    if (i >= s.next && i < s.batch.end) return true;
    rs_.InternalError(i, "a child process reported iteration " + std::to_string(i) +
                             " out of order (its batch is " + std::to_string(s.batch.begin) + ".." +
                             std::to_string(s.batch.end) + ")");
    s.errored = true;
    return false;
  }

  void Reported(Slot& s, uint64_t i) {
    s.next = i + 1;
    if (s.batch.mode == Batch::Mode::kCalibrate && !s.batch.hunt_leaks) calibration_next_ = i + 1;
  }

  void Handle(Slot& s, const isolation::Message& m) {
    WireReader r(m.payload);
    switch (static_cast<BatchMessage>(m.type)) {
      case BatchMessage::kPass: {
        const uint64_t i = r.U64();
        if (!InBatch(s, i)) return;
        rs_.RecordPass(i);
        Reported(s, i);
        return;
      }
      case BatchMessage::kFailure: {
        Failure f;
        f.iteration = r.U64();
        if (!GetFailure(r, &f)) {
          rs_.InternalError(f.iteration, "a malformed failure message from a child process");
          s.errored = true;
          return;
        }
        if (!InBatch(s, f.iteration)) return;
        const uint64_t i = f.iteration;
        rs_.RecordFailure(std::move(f));
        s.violations.push_back(i);
        Reported(s, i);
        return;
      }
      case BatchMessage::kViolation: {
        const uint64_t i = r.U64();
        const auto kind = static_cast<ViolationKind>(r.U8());
        const std::string signature = r.Str();
        if (!InBatch(s, i)) return;
        rs_.RecordViolation(i, kind, signature);
        s.violations.push_back(i);
        Reported(s, i);
        return;
      }
      case BatchMessage::kError: {
        const uint64_t i = r.U64();
        rs_.InternalError(i, r.Str());
        s.errored = true;
        return;
      }
      case BatchMessage::kExhausted:
        rs_.exhausted = true;
        s.exhausted = true;
        return;
      case BatchMessage::kCalibrated:
        frozen_ = r.Str();
        return;
      case BatchMessage::kReported: {
        const uint64_t i = r.U64();
        if (!InBatch(s, i)) return;
        s.reported = true;
        s.reported_strings = std::make_shared<isolation::TraceStrings>();
        s.reported_execution = isolation::GetExecution(r, *s.reported_strings);
        return;
      }
      case BatchMessage::kLeaked: {
        Hunt h;
        h.batch = s.batch;
        h.batch.hunt_leaks = true;
        h.batch.send_frozen = false;
        h.batch.begin = r.U64();
        h.batch.end = r.U64();
        if (s.batch.mode == Batch::Mode::kExplore) h.batch.begin = 0;  // its tree, from the root
        for (uint64_t i : s.violations) {
          if (i >= h.batch.begin && i < h.batch.end) h.violations.push_back(i);
        }
        s.leaked = true;
        hunts_.push_back(std::move(h));
        return;
      }
      case BatchMessage::kIdle:
        s.idle = true;
        return;
      case BatchMessage::kReplayed:
        break;
    }
    rs_.InternalError(s.next, "an unexpected message from a child process");
    s.errored = true;
  }

  // The batch ended and its child waits for the next (kIdle).
  void Finish(Slot& s) {
    std::vector<isolation::Message> late;
    s.child().Pump(&late);  // what it wrote to stderr before kIdle
    if (!late.empty()) {
      rs_.InternalError(s.next, "a child process sent a message after the end of its batch");
      s.errored = true;
    }
    BatchEnded(s);
    s.child().ClearStderr();
    // A child the watchdog fired at as it finished is not worth keeping.
    if (s.hung || s.errored || s.child().drained()) Retire(*s.worker);
    s.busy = false;
    AfterChild(s);
  }

  // The child exited.
  void End(Slot& s) {
    const isolation::ChildExit exit = s.child().Wait();
    const bool clean = exit.exited && exit.code == 0 && !s.hung && !s.reported;
    if (clean) {
      BatchEnded(s);
    } else if (s.reported || isolation::DiedInExecution(s.region())) {
      Died(s, exit);
    } else {
      const std::string& err = s.child().stderr_text();
      const size_t last = err.rfind('\n', err.size() > 1 ? err.size() - 2 : 0);
      rs_.InternalError(s.next, "a child process died between executions (" + exit.Describe() +
                                    ")" + (err.empty() ? "" : ": " + err.substr(last + 1)));
    }
    s.worker->child.reset();
    s.worker->scenario = 0;
    s.busy = false;
    AfterChild(s);
  }

  // A batch that ended without a death: its child waits for the next, or exited cleanly.
  void BatchEnded(Slot& s) {
    // Output nobody claimed is passed on; a batch-end leak report is the hunt's to show.
    const std::string& err = s.child().stderr_text();
    if (!err.empty() && !s.leaked) std::fwrite(err.data(), 1, err.size(), stderr);
    if (s.batch.hunt_leaks) {
      std::fprintf(stderr,
                   "gcstress: LeakSanitizer found a leak in iterations %llu..%llu that no "
                   "single one of them repeated when re-run\n",
                   static_cast<unsigned long long>(s.batch.begin),
                   static_cast<unsigned long long>(s.batch.end - 1));
    }
    const bool stopped = s.errored || s.exhausted || s.batch.hunt_leaks || rs_.halt.load() ||
                         s.next > rs_.stop_at.load() || s.next >= s.batch.end;
    if (!stopped) {
      rs_.InternalError(s.next, "a child process ended before iteration " + std::to_string(s.next) +
                                    " of its batch");
    }
  }

  void Died(Slot& s, const isolation::ChildExit& exit) {
    // The child names on the page the scenario it runs: the death is this run's only if it is
    // this run's scenario.
    if (s.region().page().scenario.load() != plan_.scenario_serial) {
      rs_.InternalError(s.next, "a child process died running scenario \"" +
                                    s.region().ScenarioName() + "\", not \"" + scenario_.name +
                                    "\" as it was told");
      return;
    }
    isolation::DeathInput in;
    in.scenario = &scenario_;
    in.region = &s.region();
    in.exit = exit;
    in.hung = s.hung;
    in.step_timeout = config_.step_timeout;
    in.stderr_text = s.child().stderr_text();
    isolation::DeathReport death = isolation::PostMortem(in);
    const uint64_t i = death.iteration;
    if (i < s.next || i >= s.batch.end) {
      // A calibration re-run that died where it passed before: the target is not deterministic.
      rs_.InternalError(i, "iteration " + std::to_string(i) +
                               " died when re-run in a fresh child process, but passed before: "
                               "the target is not deterministic (" +
                               death.verdict.Signature() + ")");
      return;
    }
    Failure f;
    f.iteration = i;
    f.violation = std::move(death.verdict);
    if (s.reported) {
      f.execution = std::move(s.reported_execution);
      f.trace_strings = std::move(s.reported_strings);
    } else {
      f.execution.seed = death.schedule.seed;
      f.execution.free_mode = plan_.free_mode;
      f.execution.outcome = sched::ExecutionResult::Outcome::kAborted;
      f.execution.schedule = std::move(death.schedule);
      if (!death.schedule_complete) {
        f.violation.message += " (schedule truncated: longer than the progress page holds)";
      }
    }
    f.evidence = std::move(death.evidence);
    f.evidence_file = std::move(death.evidence_file);
    if (s.batch.hunt_leaks) {
      // The iteration was recorded when its batch ran; this is a second verdict on it.
      const bool counted =
          std::find(s.violations.begin(), s.violations.end(), i) != s.violations.end();
      rs_.RecordLateFailure(std::move(f), counted);
      return;
    }
    rs_.RecordFailure(std::move(f));
    Reported(s, i);
    switch (s.batch.mode) {
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
        if (i + 1 < s.batch.end) retry_.push_front(Range{i + 1, s.batch.end});
        break;
    }
  }

  // Phase changes once the calibrating or exploring child is gone.
  void AfterChild(const Slot& s) {
    if (s.batch.hunt_leaks) return;
    if (s.batch.mode == Batch::Mode::kExplore) phase_ = Phase::kDone;
    if (s.batch.mode != Batch::Mode::kCalibrate) return;
    if (calibration_next_ < calibration_end_ || (need_frozen_ && !frozen_)) return;
    if (!need_frozen_ || Stopping() || rs_.next.load() >= limit_) {
      phase_ = Phase::kDone;
      return;
    }
    phase_ = Phase::kSample;
    summary_.strategy = *frozen_;
    summary_.workers = jobs_;
    std::lock_guard<std::mutex> guard(rs_.mu);
    monitor_.strategy = *frozen_;
  }

  const RunPlan& plan_;
  const RunConfig& config_;
  const Scenario& scenario_;
  RunState& rs_;
  RunMonitor& monitor_;
  RunSummary& summary_;
  const uint64_t limit_;
  uint32_t jobs_ = 1;
  Phase phase_ = Phase::kDone;
  std::vector<Slot> slots_;
  std::deque<Range> retry_;
  std::deque<Hunt> hunts_;
  uint64_t calibration_end_ = 0;
  uint64_t calibration_next_ = 0;
  bool need_frozen_ = false;
  std::optional<std::string> frozen_;
  std::vector<uint64_t> died_in_calibration_;
  bool explore_started_ = false;
  bool text_made_ = false;
  std::optional<std::string> text_;  // ScenarioText()
};

}  // namespace

RunSummary RunIsolated(const RunPlan& plan, const Scenario& scenario, const RunHooks& hooks) {
  const RunConfig& config = *plan.config;
  RunState rs;
  rs.scenario = &scenario;
  rs.config = &config;
  rs.track_violating = config.stop_on_kind.has_value() || plan.explores;
  rs.options.free_mode = plan.free_mode;
  rs.options.yield_per_mille = config.yield_per_mille;
  const uint64_t limit = config.iterations == 0 ? kNoIteration : config.iterations;
  RunSummary summary;
  summary.strategy = plan.spec;
  summary.workers = 1;
  RunMonitor monitor{rs, hooks, RunClock::now(), RunClock::now(), config.time_budget};
  monitor.strategy = plan.spec;
  Supervisor supervisor(plan, scenario, rs, monitor, summary, limit);
  if (auto error = supervisor.Init()) {
    rs.InternalError(0, *error);
  } else {
    supervisor.Loop();
  }
  return Summarize(rs, monitor, std::move(summary), [&](const Failure& f) {
    return ConfirmIsolated(plan, scenario, f, config.confirm);
  });
}

uint32_t ConfirmIsolated(const RunPlan& plan, const Scenario& scenario, const Failure& failure,
                         uint32_t times) {
  ReExecution what;
  what.scenario = &scenario;
  what.faults = plan.config->faults;
  what.free_mode = plan.free_mode;
  what.yield_per_mille = plan.config->yield_per_mille;
  what.schedule = failure.execution.schedule;
  const std::string signature = failure.violation.Signature();
  uint32_t same = 0;
  const std::optional<std::string> error = ReExecuteIsolated(
      *plan.factory, what, times, plan.config->step_timeout, [&](uint64_t, ReExecutionResult&& r) {
        if (r.run.verdict && r.run.verdict->Signature() == signature) ++same;
      });
  if (error)
    std::fprintf(stderr, "gcstress: confirming %s: %s\n", signature.c_str(), error->c_str());
  return same;
}

}  // namespace gcs
