// gcstress runner — re-executions in child processes: the child's loop, the parent's watch.
#include "harness/runner/isolated_replay.h"

#include <exception>
#include <utility>

#include "harness/isolation/child_process.h"
#include "harness/isolation/fatal_events.h"
#include "harness/isolation/post_mortem.h"
#include "harness/isolation/watchdog.h"
#include "harness/runner/child_batch.h"

namespace gcs {

using isolation::MessageSink;
using isolation::PageRegion;
using isolation::WireReader;
using isolation::WireWriter;

namespace {

void SendError(MessageSink& sink, uint64_t k, const std::string& message) {
  WireWriter w;
  w.U64(k);
  w.Str(message);
  sink.Send(static_cast<uint8_t>(BatchMessage::kError), w.bytes());
}

int ReExecuteInChild(MessageSink& sink, PageRegion& region, const TargetFactory& factory,
                     const ReExecution& what, uint64_t begin, uint64_t times) {
  isolation::WatchFatalEvents(&region, /*signal_handlers=*/true);
  Expected<std::unique_ptr<Target>> target = factory();
  if (!target) {
    SendError(sink, begin, "the target factory failed in the child: " + target.error().Format());
    return 0;
  }
  Executor ex(std::move(target).value(), OracleOptions{.free_mode = what.free_mode});
  isolation::ExecutionMonitor monitor(region);
  ex.SetMonitor(&monitor);
  EngineOptions options;
  options.free_mode = what.free_mode;
  options.yield_per_mille = what.yield_per_mille;
  auto unused = sched::MakeStrategy("round-robin");  // the engine ignores it in free mode
  for (uint64_t k = begin; k < times; ++k) {
    monitor.SetIteration(k);
    JudgedExecution run;
    std::optional<size_t> diverged;
    try {
      if (what.free_mode) {
        run = ex.Execute(*what.scenario, what.faults, **unused, what.schedule.seed, options);
      } else if (what.strategy) {
        const std::unique_ptr<sched::Strategy> strategy = what.strategy();
        run = ex.Execute(*what.scenario, what.faults, *strategy, what.schedule.seed, options);
      } else {
        run = ex.Replay(*what.scenario, what.faults, what.schedule, options, &diverged);
      }
    } catch (const std::exception& e) {
      SendError(sink, k, std::string("the re-execution threw: ") + e.what());
      return 0;
    }
    WireWriter w;
    w.U64(k);
    if (region.page().reports.load() > 0 || isolation::CheckForLeaks()) {
      isolation::PutExecution(w, run.execution);
      sink.Send(static_cast<uint8_t>(BatchMessage::kReported), w.bytes());
      return 0;
    }
    w.U8(run.verdict ? 1 : 0);
    isolation::PutViolation(w, run.verdict ? *run.verdict : Violation{});
    isolation::PutExecution(w, run.execution);
    w.U8(diverged ? 1 : 0);
    w.U64(diverged.value_or(0));
    sink.Send(static_cast<uint8_t>(BatchMessage::kReplayed), w.bytes());
  }
  return 0;
}

// One child's messages, decoded.
struct ChildOutcome {
  std::optional<std::string> error;
  bool reported = false;
  Execution reported_execution;
  std::shared_ptr<isolation::TraceStrings> reported_strings;
};

void Handle(const isolation::Message& m, uint64_t* next,
            const std::function<void(uint64_t, ReExecutionResult&&)>& each, ChildOutcome* out) {
  WireReader r(m.payload);
  const uint64_t k = r.U64();
  switch (static_cast<BatchMessage>(m.type)) {
    case BatchMessage::kReplayed: {
      ReExecutionResult result;
      auto strings = std::make_shared<isolation::TraceStrings>();
      const bool has_verdict = r.U8() != 0;
      Violation v = isolation::GetViolation(r);
      if (has_verdict) result.run.verdict = std::move(v);
      result.run.execution = isolation::GetExecution(r, *strings);
      const bool diverged = r.U8() != 0;
      const uint64_t at = r.U64();
      if (!r.AtEnd() || k != *next) {
        out->error = "a malformed message from a re-execution child";
        return;
      }
      if (diverged) result.diverged_at = static_cast<size_t>(at);
      result.trace_strings = std::move(strings);
      each(k, std::move(result));
      *next = k + 1;
      return;
    }
    case BatchMessage::kReported:
      out->reported = true;
      out->reported_strings = std::make_shared<isolation::TraceStrings>();
      out->reported_execution = isolation::GetExecution(r, *out->reported_strings);
      return;
    case BatchMessage::kError:
      out->error = r.Str();
      return;
    default:
      out->error = "an unexpected message from a re-execution child";
      return;
  }
}

}  // namespace

std::optional<std::string> ReExecuteIsolated(
    const TargetFactory& factory, const ReExecution& what, uint64_t times,
    std::chrono::milliseconds step_timeout,
    const std::function<void(uint64_t, ReExecutionResult&&)>& each) {
  Expected<PageRegion> region = PageRegion::Create(/*shared=*/true);
  if (!region) return region.error().Format();
  uint64_t next = 0;
  while (next < times) {
    region->Reset();
    const uint64_t begin = next;
    Expected<isolation::ChildProcess> child =
        isolation::ChildProcess::Start([&](MessageSink& sink) {
          return ReExecuteInChild(sink, *region, factory, what, begin, times);
        });
    if (!child) return child.error().Format();
    isolation::StallClock clock(step_timeout);
    clock.Restart(region->page(), isolation::WatchClock::now());
    const auto interval = step_timeout.count() > 0 ? isolation::LookInterval(step_timeout)
                                                   : std::chrono::milliseconds(100);
    bool hung = false;
    ChildOutcome outcome;
    std::vector<isolation::Message> messages;
    isolation::ChildProcess* const watched[] = {&*child};
    while (!child->drained()) {
      isolation::PollChildren(watched, interval);
      messages.clear();
      child->Pump(&messages);
      for (const isolation::Message& m : messages)
        Handle(m, &next, each, &outcome);
      if (!hung && clock.Stalled(region->page(), isolation::WatchClock::now())) {
        child->Kill();
        hung = true;
      }
    }
    const isolation::ChildExit exit = child->Wait();
    if (outcome.error) return *outcome.error;
    if (exit.exited && exit.code == 0 && !hung && !outcome.reported) {
      if (next < times) return "a re-execution child ended early";
      continue;
    }
    if (!outcome.reported && !isolation::DiedInExecution(*region)) {
      return "a re-execution child died between executions (" + exit.Describe() + ")";
    }
    isolation::DeathInput in;
    in.scenario = what.scenario;
    in.region = &*region;
    in.exit = exit;
    in.hung = hung;
    in.step_timeout = step_timeout;
    in.stderr_text = child->stderr_text();
    isolation::DeathReport death = isolation::PostMortem(in);
    ReExecutionResult result;
    result.died = true;
    result.run.verdict = std::move(death.verdict);
    if (outcome.reported) {
      result.run.execution = std::move(outcome.reported_execution);
      result.trace_strings = std::move(outcome.reported_strings);
    } else {
      result.run.execution.seed = death.schedule.seed;
      result.run.execution.free_mode = what.free_mode;
      result.run.execution.outcome = sched::ExecutionResult::Outcome::kAborted;
      result.run.execution.schedule = std::move(death.schedule);
    }
    result.evidence = std::move(death.evidence);
    result.evidence_file = std::move(death.evidence_file);
    if (death.iteration != next) return "a re-execution child died in an unexpected execution";
    each(next, std::move(result));
    ++next;
  }
  return std::nullopt;
}

}  // namespace gcs
