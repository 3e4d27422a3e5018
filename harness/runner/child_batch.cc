// gcstress runner — the child's side of fork mode: its own executor, the batch, the messages.
#include "harness/runner/child_batch.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "core/check.h"
#include "harness/isolation/fatal_events.h"
#include "harness/runner/determinism_check.h"
#include "harness/runner/iteration_seed.h"

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

class BatchRunner {
 public:
  BatchRunner(MessageSink& sink, PageRegion& region, const Scenario& scenario,
              const RunConfig& config, Executor& executor, bool free_mode)
      : sink_(sink), region_(region), scenario_(scenario), config_(config), ex_(executor) {
    options_.free_mode = free_mode;
    options_.yield_per_mille = config.yield_per_mille;
    options_.step_timeout = config.step_timeout;
  }

  // True if the parent says not to start iteration i. A hunt finishes what it was asked for
  // unless the run stopped below it: a leak it finds may be the lowest failure.
  bool Stopped(uint64_t i) const {
    const isolation::ProgressPage& p = region_.page();
    return i > p.stop_at.load(std::memory_order_relaxed) ||
           (!hunt_ && p.halt.load(std::memory_order_relaxed) != 0);
  }

  void Hunt() { hunt_ = true; }

  // One iteration. `report`: send its result (a silent one re-establishes a calibrating
  // strategy's state; a hunt reports only the leak it is after). False: the child must stop (it
  // sent kError or kReported).
  bool RunOne(sched::Strategy& strategy, uint64_t i, bool report) {
    const uint64_t seed = IterationSeed(config_.seed, i);
    ex_.monitor()->SetIteration(i);
    JudgedExecution judged;
    try {
      judged = ex_.Execute(scenario_, config_.faults, strategy, seed, options_);
      if (report && !hunt_ && config_.check_determinism) {
        std::optional<size_t> diverged;
        JudgedExecution replay =
            ex_.Replay(scenario_, config_.faults, judged.execution.schedule, options_, &diverged);
        if (auto diff = CompareWithReplay(scenario_, judged, replay, diverged)) {
          return Error(i, "nondeterminism: iteration " + std::to_string(i) + " (seed " +
                              std::to_string(seed) + ") replayed from its schedule: " + *diff);
        }
      }
    } catch (const std::exception& e) {
      return Error(i, "iteration " + std::to_string(i) + ": the execution threw: " + e.what());
    }
    // A report outranks the oracles: the parent decides.
    if (region_.page().reports.load() > 0 || (hunt_ && report && isolation::CheckForLeaks())) {
      WireWriter w;
      w.U64(i);
      isolation::PutExecution(w, judged.execution);
      Send(sink_, BatchMessage::kReported, w);
      return false;
    }
    if (!report) return true;
    last_ = i;
    ran_ = true;
    if (hunt_) return true;
    WireWriter w;
    w.U64(i);
    if (!judged.verdict) {
      Send(sink_, BatchMessage::kPass, w);
    } else if (const std::string sig = judged.verdict->Signature(); sent_.insert(sig).second) {
      PutFailure(w, *judged.verdict, judged.execution);
      Send(sink_, BatchMessage::kFailure, w);
    } else {
      // Later in this child's (ascending) range than the one sent: never the lowest.
      w.U8(static_cast<uint8_t>(judged.verdict->kind));
      w.Str(sig);
      Send(sink_, BatchMessage::kViolation, w);
    }
    if (judged.execution.strategy_exhausted) exhausted_ = true;
    ex_.Recycle(std::move(judged.execution));
    return true;
  }

  bool exhausted() const { return exhausted_; }

  void SendCalibrated(const std::string& spec) {
    WireWriter w;
    w.Str(spec);
    Send(sink_, BatchMessage::kCalibrated, w);
  }

  void SendExhausted(uint64_t i) {
    WireWriter w;
    w.U64(i);
    Send(sink_, BatchMessage::kExhausted, w);
  }

  // The batch-end check: a leak in [begin, last run + 1) is the parent's to hunt down. True if
  // it found one (and sent kLeaked).
  bool CheckLeaks(uint64_t begin) {
    if (hunt_ || !ran_ || !isolation::CheckForLeaks()) return false;
    WireWriter w;
    w.U64(begin);
    w.U64(last_ + 1);
    Send(sink_, BatchMessage::kLeaked, w);
    return true;
  }

 private:
  bool Error(uint64_t i, const std::string& message) {
    WireWriter w;
    w.U64(i);
    w.Str(message);
    Send(sink_, BatchMessage::kError, w);
    return false;
  }

  MessageSink& sink_;
  PageRegion& region_;
  const Scenario& scenario_;
  const RunConfig& config_;
  Executor& ex_;
  EngineOptions options_;
  std::set<std::string> sent_;
  bool exhausted_ = false;
  bool hunt_ = false;
  bool ran_ = false;   // some reported iteration ran
  uint64_t last_ = 0;  // the last of them
};

std::unique_ptr<sched::Strategy> Strategy(const std::string& spec) {
  auto s = sched::MakeStrategy(spec);
  GCS_CHECK_MSG(s.ok(), "a canonical strategy spec failed to parse");
  return std::move(s).value();
}

// The batch's iterations. False if the child must stop at once (it sent kError or kReported);
// true if it ran them all or was told to stop, and should check for leaks.
bool RunBatchIterations(BatchRunner& runner, const Scenario& scenario, const RunConfig& config,
                        const Batch& batch) {
  const bool hunt = batch.hunt_leaks;
  switch (batch.mode) {
    case Batch::Mode::kCalibrate: {
      auto calibrating = Strategy(batch.spec);
      for (uint64_t i = 0; i < batch.begin; ++i) {
        if (std::find(batch.skip.begin(), batch.skip.end(), i) != batch.skip.end()) continue;
        if (!runner.RunOne(*calibrating, i, /*report=*/false)) return false;
      }
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*calibrating, i, true)) return false;
      }
      if (batch.send_frozen && !hunt) {
        // As Runner::Run in-process: the spec the calibrated strategy would run the next
        // execution with.
        calibrating->BeginExecution(IterationSeed(config.seed, batch.end),
                                    static_cast<uint32_t>(scenario.threads.size()));
        runner.SendCalibrated(calibrating->Spec());
      }
      return true;
    }
    case Batch::Mode::kExplore: {
      auto exploring = Strategy(batch.spec);
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*exploring, i, true)) return false;
        if (runner.exhausted()) {
          if (!hunt) runner.SendExhausted(i);
          return true;
        }
      }
      return true;
    }
    case Batch::Mode::kSample:
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        auto fresh = Strategy(batch.spec);
        if (!runner.RunOne(*fresh, i, true)) return false;
      }
      return true;
    case Batch::Mode::kFree: {
      auto unused = Strategy("round-robin");  // the engine ignores it in free mode
      for (uint64_t i = batch.begin; i < batch.end; ++i) {
        if (runner.Stopped(i)) return true;
        if (!runner.RunOne(*unused, i, true)) return false;
      }
      return true;
    }
  }
  return true;
}

// One batch on `executor`. True if the child may run another (it sent no kError, kReported or
// kLeaked).
bool RunOneBatch(MessageSink& sink, PageRegion& region, const Scenario& scenario,
                 const RunConfig& config, Executor& executor, bool free_mode, const Batch& batch) {
  BatchRunner runner(sink, region, scenario, config, executor, free_mode);
  if (batch.hunt_leaks) runner.Hunt();
  if (!RunBatchIterations(runner, scenario, config, batch)) return false;
  return !runner.CheckLeaks(batch.begin);
}

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
    if (!RunOneBatch(sink, region, *current, config, executor, free_mode, next)) return 0;
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
