// gcstress minimizer — predicates over replayed candidates.
#include "harness/minimizer/predicate.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "core/check.h"
#include "harness/runner/judge.h"

namespace gcs {
namespace {

struct PredicateState {
  PredicateState(Target& t, std::vector<std::string> f, std::string s, PredicateOptions o)
      : target(t), engine(t), faults(std::move(f)), signature(std::move(s)), options(o) {}
  Target& target;
  Engine engine;
  std::vector<std::string> faults;
  std::string signature;
  PredicateOptions options;
  ExecutionJudge check;          // set: judge with it
  std::unique_ptr<Judge> judge;  // otherwise: with this
};

// Counts the trace entries for the strategy's ChoicePoint::trace_size, and passes every call on.
class Counter final : public ExecutionObserver {
 public:
  explicit Counter(ExecutionObserver* next) : next_(next) {}
  void OnEntry(const TraceEntry& entry) override {
    ++entries_;
    if (next_ != nullptr) next_->OnEntry(entry);
  }
  void AfterTeardown(Target& target, const Execution& execution) override {
    if (next_ != nullptr) next_->AfterTeardown(target, execution);
  }
  const size_t* entries() const { return &entries_; }

 private:
  ExecutionObserver* next_;
  size_t entries_ = 0;
};

Trial RunCandidate(PredicateState& state, const Scenario& scenario,
                   const sched::Schedule& schedule) {
  PrefixReplayStrategy strategy(schedule.decisions, state.options.fallback);
  std::optional<Violation> violation;
  Execution execution;
  if (!state.check) state.judge->Begin(scenario, state.target);
  Counter counter(state.check ? nullptr : state.judge->Observer());
  strategy.SetTraceCounter(counter.entries());
  execution = state.engine.Run(scenario, state.faults, strategy, schedule.seed, {}, &counter);
  violation =
      state.check ? state.check(scenario, execution) : state.judge->Verdict(scenario, execution);
  Trial trial =
      MakeTrial(scenario, execution, std::move(violation), state.signature, strategy.choices());
  trial.schedule.strategy = schedule.strategy;
  return trial;
}

Predicate Wrap(std::shared_ptr<PredicateState> state) {
  return [state](const Scenario& scenario, const sched::Schedule& schedule) {
    return RunCandidate(*state, scenario, schedule);
  };
}

}  // namespace

Trial MakeTrial(const Scenario& scenario, const Execution& execution,
                std::optional<Violation> violation, const std::string& signature,
                std::vector<ChoicePoint> choices) {
  Trial trial;
  trial.fails = violation && violation->Signature() == signature;
  trial.schedule = execution.schedule;
  trial.choices = std::move(choices);
  trial.steps_begun.assign(scenario.threads.size(), 0);
  const std::vector<TraceEntry>& entries = execution.trace.entries;
  const size_t end =
      violation ? std::min(violation->trace_index + 1, entries.size()) : entries.size();
  for (size_t i = 0; i < end; ++i) {
    const TraceEntry& e = entries[i];
    if (e.kind == TraceEntry::Kind::kStepBegin && e.thread < trial.steps_begun.size()) {
      trial.steps_begun[e.thread] = std::max(trial.steps_begun[e.thread], e.step + 1);
    }
  }
  for (const TraceEntry& e : entries) {
    if (e.kind == TraceEntry::Kind::kDecision && e.thread != e.to) ++trial.context_switches;
  }
  for (const ChoicePoint& c : trial.choices)
    trial.preemptions += c.Preemption() ? 1 : 0;
  // Where each choice sits in its current thread: the first entry of that thread from the
  // choice on says. A step begin: the choice was the point before that step. Anything else
  // inside a step: the choice was in the middle of the step the thread last began.
  std::vector<uint32_t> last_begun(scenario.threads.size(), kNoStep);
  size_t scanned = 0;
  for (ChoicePoint& c : trial.choices) {
    for (; scanned < std::min(c.trace_size, entries.size()); ++scanned) {
      const TraceEntry& e = entries[scanned];
      if (e.kind == TraceEntry::Kind::kStepBegin && e.thread < last_begun.size()) {
        last_begun[e.thread] = e.step;
      }
    }
    if (c.current >= scenario.threads.size()) continue;
    for (size_t i = c.trace_size; i < entries.size(); ++i) {
      const TraceEntry& e = entries[i];
      if (e.thread != c.current || e.kind == TraceEntry::Kind::kDecision) continue;
      if (e.kind == TraceEntry::Kind::kStepBegin) {
        c.step = e.step;
        c.before_step = true;
      } else if (e.kind != TraceEntry::Kind::kThreadEnd &&
                 e.kind != TraceEntry::Kind::kThreadStop) {
        c.step = last_begun[c.current];
      }
      break;
    }
  }
  trial.violation = std::move(violation);
  return trial;
}

Predicate MakeSignaturePredicate(Target& target, std::vector<std::string> faults,
                                 std::string signature, const PredicateOptions& options) {
  auto state =
      std::make_shared<PredicateState>(target, std::move(faults), std::move(signature), options);
  state->judge = std::make_unique<Judge>(target, OracleOptions{});
  return Wrap(std::move(state));
}

Predicate MakeCheckPredicate(Target& target, std::vector<std::string> faults, std::string signature,
                             ExecutionJudge check, const PredicateOptions& options) {
  GCS_CHECK(check != nullptr);
  auto state =
      std::make_shared<PredicateState>(target, std::move(faults), std::move(signature), options);
  state->check = std::move(check);
  return Wrap(std::move(state));
}

}  // namespace gcs
