// gcstress minimizer — candidates in child processes, their Trials back over a pipe.
#include "harness/minimizer/isolated_predicate.h"

#include <memory>
#include <optional>
#include <utility>

#include "harness/isolation/child_process.h"
#include "harness/isolation/wire.h"
#include "harness/runner/judge.h"

namespace gcs {
namespace {

using isolation::WireReader;
using isolation::WireWriter;

// Message types from the child.
constexpr uint8_t kSoFar = 1;  // the Trial when the wanted signature showed up
constexpr uint8_t kWhole = 2;  // the Trial of the finished execution

void PutTrial(WireWriter& w, const Trial& t) {
  w.U8(t.fails ? 1 : 0);
  w.U8(t.violation ? 1 : 0);
  if (t.violation) isolation::PutViolation(w, *t.violation);
  isolation::PutSchedule(w, t.schedule);
  w.U64(t.choices.size());
  for (const ChoicePoint& c : t.choices) {
    w.U32(c.current);
    w.U8(c.current_runnable ? 1 : 0);
    w.U32(c.chosen);
    w.U8(c.replayed ? 1 : 0);
    w.U64(c.trace_size);
    w.U32(c.step);
    w.U8(c.before_step ? 1 : 0);
  }
  w.U64(t.steps_begun.size());
  for (uint32_t s : t.steps_begun)
    w.U32(s);
  w.U64(t.context_switches);
  w.U64(t.preemptions);
}

std::optional<Trial> GetTrial(std::string_view bytes) {
  WireReader r(bytes);
  Trial t;
  t.fails = r.U8() != 0;
  if (r.U8() != 0) t.violation = isolation::GetViolation(r);
  t.schedule = isolation::GetSchedule(r);
  const uint64_t choices = r.U64();
  for (uint64_t i = 0; i < choices && r.ok(); ++i) {
    ChoicePoint c;
    c.current = r.U32();
    c.current_runnable = r.U8() != 0;
    c.chosen = r.U32();
    c.replayed = r.U8() != 0;
    c.trace_size = r.U64();
    c.step = r.U32();
    c.before_step = r.U8() != 0;
    t.choices.push_back(c);
  }
  const uint64_t threads = r.U64();
  for (uint64_t i = 0; i < threads && r.ok(); ++i)
    t.steps_begun.push_back(r.U32());
  t.context_switches = r.U64();
  t.preemptions = r.U64();
  if (!r.AtEnd()) return std::nullopt;
  return t;
}

// Forwards to the candidate's strategy and keeps its decisions in the order taken: the
// controller's own record of them dies with a child that dies.
class DecisionLog final : public sched::Strategy {
 public:
  explicit DecisionLog(sched::Strategy& inner) : inner_(inner) {}
  std::string Spec() const override { return inner_.Spec(); }
  void BeginExecution(uint64_t seed, uint32_t num_threads) override {
    decisions_.clear();
    inner_.BeginExecution(seed, num_threads);
  }
  sched::ThreadIndex NextThread(std::span<const sched::ThreadIndex> runnable,
                                sched::ThreadIndex current, bool current_runnable) override {
    const sched::ThreadIndex t = inner_.NextThread(runnable, current, current_runnable);
    decisions_.push_back(sched::ThreadDecision(t));
    return t;
  }
  uint64_t NextU64() override {
    const uint64_t v = inner_.NextU64();
    decisions_.push_back(sched::DrawDecision(v));
    return v;
  }
  void OnExecutionPoints(uint64_t points) override { inner_.OnExecutionPoints(points); }
  void OnYield(sched::ThreadIndex thread) override { inner_.OnYield(thread); }
  bool EndExecution() override { return inner_.EndExecution(); }
  const std::vector<sched::Decision>& decisions() const { return decisions_; }

 private:
  sched::Strategy& inner_;
  std::vector<sched::Decision> decisions_;
};

// In the child: the trace as it grows (counted for the strategy's choice points), on to the judge.
class Copier final : public ExecutionObserver {
 public:
  explicit Copier(ExecutionObserver* next) : next_(next) {}
  void OnEntry(const TraceEntry& entry) override {
    entries_.push_back(entry);
    ++count_;
    if (next_ != nullptr) next_->OnEntry(entry);
  }
  void AfterTeardown(Target& target, const Execution& execution) override {
    if (next_ != nullptr) next_->AfterTeardown(target, execution);
  }
  const size_t* count() const { return &count_; }
  const std::vector<TraceEntry>& entries() const { return entries_; }

 private:
  ExecutionObserver* next_;
  std::vector<TraceEntry> entries_;
  size_t count_ = 0;
};

// In the child: sends the Trial so far the first time the wanted signature is reported.
class SoFar final : public ViolationSink {
 public:
  SoFar(isolation::MessageSink& sink, const Scenario& scenario, const sched::Schedule& candidate,
        const std::string& signature, const Copier& copier, const DecisionLog& log,
        const PrefixReplayStrategy& strategy)
      : sink_(sink),
        scenario_(scenario),
        candidate_(candidate),
        signature_(signature),
        copier_(copier),
        log_(log),
        strategy_(strategy) {}
  void OnViolation(const Violation& v) override {
    if (sent_ || v.Signature() != signature_) return;
    sent_ = true;
    Execution partial;
    partial.trace.entries = copier_.entries();
    partial.schedule.seed = candidate_.seed;
    partial.schedule.strategy = candidate_.strategy;
    partial.schedule.decisions = log_.decisions();
    Trial t = MakeTrial(scenario_, partial, v, signature_, strategy_.choices());
    t.schedule.strategy = candidate_.strategy;
    WireWriter w;
    PutTrial(w, t);
    sink_.Send(kSoFar, w.bytes());
  }

 private:
  isolation::MessageSink& sink_;
  const Scenario& scenario_;
  const sched::Schedule& candidate_;
  const std::string& signature_;
  const Copier& copier_;
  const DecisionLog& log_;
  const PrefixReplayStrategy& strategy_;
  bool sent_ = false;
};

int RunInChild(isolation::MessageSink& sink, const TargetFactory& factory,
               const std::vector<std::string>& faults, const std::string& signature,
               const PredicateOptions& options, const Scenario& scenario,
               const sched::Schedule& candidate) {
  Expected<std::unique_ptr<Target>> target = factory();
  if (!target) return 3;
  Engine engine(**target);
  Judge judge(**target, OracleOptions{});
  judge.Begin(scenario, **target);
  PrefixReplayStrategy strategy(candidate.decisions, options.fallback);
  DecisionLog log(strategy);
  Copier copier(judge.Observer());
  strategy.SetTraceCounter(copier.count());
  SoFar so_far(sink, scenario, candidate, signature, copier, log, strategy);
  judge.SetSink(&so_far);
  Execution execution = engine.Run(scenario, faults, log, candidate.seed, {}, &copier);
  Trial t = MakeTrial(scenario, execution, judge.Verdict(scenario, execution), signature,
                      strategy.choices());
  t.schedule.strategy = candidate.strategy;
  WireWriter w;
  PutTrial(w, t);
  sink.Send(kWhole, w.bytes());
  return 0;
}

}  // namespace

Predicate MakeIsolatedSignaturePredicate(TargetFactory factory, std::vector<std::string> faults,
                                         std::string signature, std::chrono::milliseconds timeout,
                                         const PredicateOptions& options) {
  return [=](const Scenario& scenario, const sched::Schedule& candidate) -> Trial {
    Trial none;
    none.schedule = candidate;
    auto child = isolation::ChildProcess::Start([&](isolation::MessageSink& sink) {
      return RunInChild(sink, factory, faults, signature, options, scenario, candidate);
    });
    if (!child.ok()) return none;
    std::optional<Trial> so_far, whole;
    auto last = std::chrono::steady_clock::now();
    while (!child->drained()) {
      isolation::ChildProcess* one = &*child;
      isolation::PollChildren(std::span(&one, 1), std::chrono::milliseconds(100));
      std::vector<isolation::Message> messages;
      child->Pump(&messages);
      for (const isolation::Message& m : messages) {
        last = std::chrono::steady_clock::now();
        if (m.type == kSoFar) so_far = GetTrial(m.payload);
        if (m.type == kWhole) whole = GetTrial(m.payload);
      }
      if (timeout.count() > 0 && std::chrono::steady_clock::now() - last > timeout) {
        child->Kill();
        break;
      }
    }
    child->Wait();
    if (whole) return *whole;
    if (so_far) return *so_far;  // it died after showing the bug: a replay dies the same way
    return none;
  };
}

Predicate MinimizerPredicateFor(Target& target, const std::string& spec,
                                const std::vector<std::string>& faults,
                                const std::string& signature, bool process_died) {
  if (target.SafeInProcess() && !process_died) {
    return MakeSignaturePredicate(target, faults, signature);
  }
  return MakeIsolatedSignaturePredicate(NamedTarget(spec), faults, signature,
                                        std::chrono::seconds(10));
}

}  // namespace gcs
