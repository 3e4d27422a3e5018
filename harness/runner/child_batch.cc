// gcstress runner — the child's side of fork mode: its own executor, its batches, the messages.
#include "harness/runner/child_batch.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "harness/isolation/fatal_events.h"
#include "harness/runner/batch_loop.h"

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
