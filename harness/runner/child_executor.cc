// gcstress runner — fork mode, both ends: ChildExecutor hands batches to child processes, reads
// their messages, watches their progress, turns their deaths into verdicts and keeps them for the
// next batch; ServeBatches is the child's side (child_batch.h), which runs them and reports.
#include "harness/runner/child_executor.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "harness/isolation/fatal_events.h"
#include "harness/isolation/post_mortem.h"
#include "harness/runner/batch_loop.h"
#include "harness/runner/child_batch.h"
#include "harness/runner/isolated_replay.h"
#include "harness/runner/run_state.h"
#include "harness/scenario/scenario_encoder.h"

namespace gcs {

using isolation::ChildProcess;
using isolation::PageRegion;
using isolation::WireReader;

// A slot: its worker (child process and page) and the batch it runs.
struct ChildExecutor::Slot {
  Slot(uint32_t i, BatchWorker& w, std::chrono::milliseconds timeout)
      : index(i), worker(&w), clock(timeout) {}
  PageRegion& region() const { return worker->region; }
  ChildProcess& child() const { return *worker->child; }

  uint32_t index;
  BatchWorker* worker;
  bool busy = false;  // its child runs `batch`
  bool idle = false;  // the child sent kIdle: the batch ended, the child waits for the next
  Batch batch;
  isolation::StallClock clock;
  bool hung = false;
  bool errored = false;
  bool reported = false;  // it sent kReported: reported_execution is the one it was running
  bool leaked = false;    // it sent kLeaked
  Execution reported_execution;
  std::shared_ptr<isolation::TraceStrings> reported_strings;
};

namespace {

// Ends a waiting (or dead) child.
void Retire(BatchWorker& w) {
  w.child->Kill();
  w.child->Wait();
  w.child.reset();
  w.scenario = 0;
}

}  // namespace

ChildExecutor::ChildExecutor(const ChildPlan& plan, const Scenario& scenario, uint32_t slots)
    : plan_(plan),
      config_(*plan.config),
      scenario_(scenario),
      slots_count_(slots),
      stop_at_(kNoIteration) {
  std::vector<BatchWorker>& workers = *plan.workers;
  while (workers.size() < slots) {
    Expected<PageRegion> region = PageRegion::Create(/*shared=*/true);
    if (!region) {
      init_error_ = region.error().Format();
      return;
    }
    workers.emplace_back(std::move(region).value());
  }
  for (uint32_t i = 0; i < slots; ++i)
    slots_.emplace_back(i, workers[i], config_.step_timeout);
}

ChildExecutor::~ChildExecutor() = default;

void ChildExecutor::SetStop(uint64_t stop_at, bool halt) {
  stop_at_ = stop_at;
  halt_ = halt;
  for (Slot& s : slots_)
    WriteStop(s);
}

// The run's stopping state, as the slot's child reads it before every iteration.
void ChildExecutor::WriteStop(Slot& s) const {
  s.region().page().stop_at.store(stop_at_, std::memory_order_relaxed);
  s.region().page().halt.store(halt_ ? 1 : 0, std::memory_order_relaxed);
}

std::optional<std::string> ChildExecutor::Start(uint32_t slot, const Batch& batch) {
  if (init_error_) return init_error_;
  Slot& s = slots_[slot];
  BatchWorker& w = *s.worker;
  s.batch = batch;
  s.idle = s.hung = s.errored = s.reported = s.leaked = false;
  s.reported_strings.reset();
  // --batch bounds the iterations of a child, not only of a batch (a dfs batch is unbounded).
  const uint64_t size = s.batch.end - s.batch.begin;
  const bool full =
      config_.batch > 0 && (w.executions >= config_.batch || size > config_.batch - w.executions);
  if (w.child && full) Retire(w);
  // The page is reset while the child, if any, waits for its command and touches nothing.
  w.region.Reset();
  WriteStop(s);
  if (w.child && !Resume(s)) Retire(w);
  if (!w.child) {
    if (std::optional<std::string> error = Fork(s)) return error;
  }
  w.executions += std::min(size, kNoIteration - w.executions);
  s.busy = true;
  s.clock.Restart(w.region.page(), isolation::WatchClock::now());
  return std::nullopt;
}

// Sends the slot's batch to its waiting child; false if the child cannot take it (it is gone,
// or the scenario cannot travel as JSON).
bool ChildExecutor::Resume(Slot& s) {
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
const std::optional<std::string>& ChildExecutor::ScenarioText() {
  if (!text_made_) {
    text_made_ = true;
    std::string text = ScenarioToJson(scenario_).dump();
    Expected<Scenario> back = LoadScenarioText(text, "<scenario>", *plan_.load_options);
    if (back && *back == scenario_) text_ = std::move(text);
  }
  return text_;
}

std::optional<std::string> ChildExecutor::Fork(Slot& s) {
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
  if (!child) return "cannot start a child process: " + child.error().Format();
  w.child = std::move(child).value();
  w.scenario = serial;
  w.executions = 0;
  ++children_;
  return std::nullopt;
}

void ChildExecutor::Poll(std::chrono::milliseconds tick, BatchEvents& events) {
  const auto interval = config_.step_timeout.count() > 0
                            ? std::min(tick, isolation::LookInterval(config_.step_timeout))
                            : tick;
  std::vector<ChildProcess*> live;
  for (Slot& s : slots_) {
    if (s.busy) live.push_back(&s.child());
  }
  if (live.empty()) return;
  isolation::PollChildren(live, interval);
  const auto now = isolation::WatchClock::now();
  std::vector<isolation::Message> messages;
  for (Slot& s : slots_) {
    if (!s.busy) continue;
    messages.clear();
    s.child().Pump(&messages);
    for (isolation::Message& m : messages)
      Handle(s, m, events);
    if (s.idle) {
      Finish(s, events);
    } else if (s.child().drained()) {
      End(s, events);
    } else if (!s.hung && s.clock.Stalled(s.region().page(), now)) {
      s.child().Kill();
      s.hung = true;
    }
  }
}

void ChildExecutor::Handle(Slot& s, const isolation::Message& m, BatchEvents& events) {
  WireReader r(m.payload);
  switch (static_cast<BatchMessage>(m.type)) {
    case BatchMessage::kPass:
      events.Passed(s.index, r.U64());
      return;
    case BatchMessage::kFailure: {
      Failure f;
      f.iteration = r.U64();
      if (!GetFailure(r, &f)) {
        events.Errored(s.index, f.iteration, "a malformed failure message from a child process");
        s.errored = true;
        return;
      }
      events.Failed(s.index, std::move(f));
      return;
    }
    case BatchMessage::kViolation: {
      const uint64_t i = r.U64();
      const auto kind = static_cast<ViolationKind>(r.U8());
      const std::string signature = r.Str();
      events.Violated(s.index, i, kind, signature);
      return;
    }
    case BatchMessage::kError: {
      const uint64_t i = r.U64();
      events.Errored(s.index, i, r.Str());
      s.errored = true;
      return;
    }
    case BatchMessage::kExhausted:
      events.Exhausted(s.index);
      return;
    case BatchMessage::kCalibrated:
      events.Calibrated(s.index, r.Str());
      return;
    case BatchMessage::kReported:
      r.U64();  // the iteration: the page says which one died
      s.reported = true;
      s.reported_strings = std::make_shared<isolation::TraceStrings>();
      s.reported_execution = isolation::GetExecution(r, *s.reported_strings);
      return;
    case BatchMessage::kLeaked: {
      const uint64_t begin = r.U64();
      const uint64_t end = r.U64();
      s.leaked = true;
      events.Leaked(s.index, begin, end);
      return;
    }
    case BatchMessage::kIdle:
      s.idle = true;
      return;
    case BatchMessage::kReplayed:
      break;
  }
  events.Errored(s.index, std::nullopt, "an unexpected message from a child process");
  s.errored = true;
}

// The batch ended and its child waits for the next (kIdle).
void ChildExecutor::Finish(Slot& s, BatchEvents& events) {
  std::vector<isolation::Message> late;
  s.child().Pump(&late);  // what it wrote to stderr before kIdle
  if (!late.empty()) {
    events.Errored(s.index, std::nullopt,
                   "a child process sent a message after the end of its batch");
    s.errored = true;
  }
  BatchEnded(s);
  s.child().ClearStderr();
  // A child the watchdog fired at as it finished is not worth keeping.
  if (s.hung || s.errored || s.child().drained()) Retire(*s.worker);
  s.busy = false;
  events.Ended(s.index, true);
}

// The child exited.
void ChildExecutor::End(Slot& s, BatchEvents& events) {
  const isolation::ChildExit exit = s.child().Wait();
  const bool clean = exit.exited && exit.code == 0 && !s.hung && !s.reported;
  if (clean) {
    BatchEnded(s);
  } else if (s.reported || isolation::DiedInExecution(s.region())) {
    Died(s, exit, events);
  } else {
    const std::string& err = s.child().stderr_text();
    const size_t last = err.rfind('\n', err.size() > 1 ? err.size() - 2 : 0);
    events.Errored(s.index, std::nullopt,
                   "a child process died between executions (" + exit.Describe() + ")" +
                       (err.empty() ? "" : ": " + err.substr(last + 1)));
  }
  s.worker->child.reset();
  s.worker->scenario = 0;
  s.busy = false;
  events.Ended(s.index, clean);
}

// A batch that ended without a death: its child waits for the next, or exited cleanly.
void ChildExecutor::BatchEnded(Slot& s) {
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
}

void ChildExecutor::Died(Slot& s, const isolation::ChildExit& exit, BatchEvents& events) {
  // The child names on the page the scenario it runs: the death is this run's only if it is
  // this run's scenario.
  if (s.region().page().scenario.load() != plan_.scenario_serial) {
    events.Errored(s.index, std::nullopt,
                   "a child process died running scenario \"" + s.region().ScenarioName() +
                       "\", not \"" + scenario_.name + "\" as it was told");
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
  Failure f;
  f.iteration = death.iteration;
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
  events.Died(s.index, std::move(f));
}

uint32_t ChildExecutor::Confirm(const Failure& failure, uint32_t times) {
  return ConfirmInChildren(plan_, scenario_, failure, times);
}

uint32_t ConfirmInChildren(const ChildPlan& plan, const Scenario& scenario, const Failure& failure,
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

// -------------------------------------------------------------------------------------------------
// The child's side of fork mode: its own executor, its batches, the messages (child_batch.h).

namespace gcs {

using isolation::MessageSink;
using isolation::PageRegion;
using isolation::WireReader;
using isolation::WireWriter;

void PutFailure(WireWriter& w, const Violation& violation, const Execution& execution) {
  isolation::PutViolation(w, violation);
  isolation::PutExecution(w, execution);
}

bool GetFailure(WireReader& r, Failure* out) {
  auto strings = std::make_shared<isolation::TraceStrings>();
  out->violation = isolation::GetViolation(r);
  out->execution = isolation::GetExecution(r, *strings);
  out->trace_strings = std::move(strings);
  return r.AtEnd();
}

void PutBatch(WireWriter& w, const Batch& batch) {
  w.U8(static_cast<uint8_t>(batch.mode));
  w.U64(batch.begin);
  w.U64(batch.end);
  w.Str(batch.spec);
  w.U32(static_cast<uint32_t>(batch.skip.size()));
  for (uint64_t i : batch.skip)
    w.U64(i);
  w.U8(batch.send_frozen ? 1 : 0);
  w.U8(batch.hunt_leaks ? 1 : 0);
}

bool GetBatch(WireReader& r, Batch* out) {
  const uint8_t mode = r.U8();
  if (mode > static_cast<uint8_t>(Batch::Mode::kFree)) return false;
  out->mode = static_cast<Batch::Mode>(mode);
  out->begin = r.U64();
  out->end = r.U64();
  out->spec = r.Str();
  const uint32_t skips = r.U32();
  out->skip.clear();
  for (uint32_t k = 0; k < skips && r.ok(); ++k)
    out->skip.push_back(r.U64());
  out->send_frozen = r.U8() != 0;
  out->hunt_leaks = r.U8() != 0;
  return r.ok();
}

namespace {

void Send(MessageSink& sink, BatchMessage type, const WireWriter& w) {
  sink.Send(static_cast<uint8_t>(type), w.bytes());
}

// RunBatch's reports, as messages to the parent; the page's stop; the process's own verdicts (a
// sanitizer report, a leak) after each execution.
class ChildBatch final : public BatchEvents, public BatchControl {
 public:
  ChildBatch(MessageSink& sink, PageRegion& region, bool hunt)
      : sink_(sink), region_(region), hunt_(hunt) {}

  bool Stopped(uint64_t i, bool hunt) const override {
    const isolation::ProgressPage& p = region_.page();
    return i > p.stop_at.load(std::memory_order_relaxed) ||
           (!hunt && p.halt.load(std::memory_order_relaxed) != 0);
  }

  // A report outranks the oracles: the parent decides.
  bool Survived(uint64_t i, const Execution& execution, bool reported) override {
    if (region_.page().reports.load() == 0 && !(hunt_ && reported && isolation::CheckForLeaks())) {
      return true;
    }
    WireWriter w;
    w.U64(i);
    isolation::PutExecution(w, execution);
    Send(sink_, BatchMessage::kReported, w);
    return false;
  }

  void Passed(uint32_t, uint64_t i) override {
    Ran(i);
    WireWriter w;
    w.U64(i);
    Send(sink_, BatchMessage::kPass, w);
  }
  void Failed(uint32_t, Failure&& failure) override {
    Ran(failure.iteration);
    WireWriter w;
    w.U64(failure.iteration);
    PutFailure(w, failure.violation, failure.execution);
    Send(sink_, BatchMessage::kFailure, w);
  }
  void Violated(uint32_t, uint64_t i, ViolationKind kind, const std::string& signature) override {
    Ran(i);
    WireWriter w;
    w.U64(i);
    w.U8(static_cast<uint8_t>(kind));
    w.Str(signature);
    Send(sink_, BatchMessage::kViolation, w);
  }
  void Errored(uint32_t, std::optional<uint64_t> i, std::string message) override {
    WireWriter w;
    w.U64(i.value_or(0));
    w.Str(message);
    Send(sink_, BatchMessage::kError, w);
  }
  void Exhausted(uint32_t) override { Send(sink_, BatchMessage::kExhausted, WireWriter()); }
  void Calibrated(uint32_t, std::string spec) override {
    WireWriter w;
    w.Str(spec);
    Send(sink_, BatchMessage::kCalibrated, w);
  }
  void Leaked(uint32_t, uint64_t begin, uint64_t end) override {
    WireWriter w;
    w.U64(begin);
    w.U64(end);
    Send(sink_, BatchMessage::kLeaked, w);
  }
  // The parent sees deaths and ends for itself.
  void Died(uint32_t, Failure&&) override {}
  void Ended(uint32_t, bool) override {}

  // The batch-end check: a leak in [begin, last reported + 1) is the parent's to hunt down. True
  // if it found one (and sent kLeaked).
  bool CheckLeaks(uint64_t begin) {
    if (hunt_ || !ran_ || !isolation::CheckForLeaks()) return false;
    Leaked(0, begin, last_ + 1);
    return true;
  }

 private:
  void Ran(uint64_t i) {
    ran_ = true;
    last_ = i;
  }

  MessageSink& sink_;
  PageRegion& region_;
  const bool hunt_;
  bool ran_ = false;   // some reported iteration ran
  uint64_t last_ = 0;  // the last of them
};

void SendError(MessageSink& sink, uint64_t iteration, const std::string& message) {
  WireWriter w;
  w.U64(iteration);
  w.Str(message);
  Send(sink, BatchMessage::kError, w);
}

}  // namespace

int ServeBatches(MessageSink& sink, isolation::CommandSource& commands, PageRegion& region,
                 const RunConfig& config, const TargetFactory& factory, bool free_mode,
                 const LoadOptions& load_options, uint64_t serial, const Scenario& scenario,
                 const Batch& batch) {
  isolation::WatchFatalEvents(&region, /*signal_handlers=*/true);
  Expected<std::unique_ptr<Target>> target = factory();
  if (!target) {
    SendError(sink, batch.begin,
              "the target factory failed in the child: " + target.error().Format());
    return 0;
  }
  Executor executor(std::move(target).value(), OracleOptions{.free_mode = free_mode});
  isolation::ExecutionMonitor monitor(region);
  executor.SetMonitor(&monitor);
  // The scenario of the first batch is the one the parent had when it forked this child; later
  // ones come as JSON, each kept until the next.
  const Scenario* current = &scenario;
  std::optional<Scenario> received;
  uint64_t held = serial;
  Batch next = batch;
  for (;;) {
    region.SetScenario(held, current->name);
    // The child ends after a kError, kReported or kLeaked: a fresh one follows.
    ChildBatch child(sink, region, next.hunt_leaks);
    if (!RunBatch(executor, *current, config, free_mode, next, 0, child, child)) return 0;
    if (child.CheckLeaks(next.begin)) return 0;
    Send(sink, BatchMessage::kIdle, WireWriter());
    isolation::Message command;
    if (!commands.Receive(&command)) return 0;
    WireReader r(command.payload);
    const uint64_t wanted = r.U64();
    const std::string json = r.Str();
    if (command.type != static_cast<uint8_t>(BatchCommand::kRun) || !GetBatch(r, &next) ||
        !r.AtEnd() || (wanted != held && json.empty())) {
      SendError(sink, next.begin, "a malformed command from the parent process");
      return 0;
    }
    if (wanted == held) continue;
    Expected<Scenario> loaded = LoadScenarioText(json, "<from the parent>", load_options);
    if (!loaded) {
      SendError(sink, next.begin,
                "the scenario the parent sent does not load: " + loaded.error().Format());
      return 0;
    }
    received = std::move(loaded).value();
    current = &*received;
    held = wanted;
  }
}

}  // namespace gcs
