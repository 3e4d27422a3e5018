// gcstress minimizer — the passes, and the loop that repeats them to a fixpoint.
#include "harness/minimizer/minimizer.h"

#include <tuple>
#include <utility>
#include <vector>

#include "core/check.h"
#include "harness/minimizer/scenario_edits.h"

namespace gcs {
namespace {

using Clock = std::chrono::steady_clock;

// The order candidates are compared by: steps first (what a reader must read), then threads,
// argument weight, and the schedule's complexity.
using SizeKey = std::tuple<size_t, size_t, size_t, size_t, size_t, size_t>;

SizeKey KeyOf(const Scenario& s, const Trial& t) {
  return {s.TotalSteps(), s.threads.size(),   ArgumentWeight(s),
          t.preemptions,  t.context_switches, t.schedule.decisions.size()};
}

ReproSize SizeOf(const Scenario& s, const Trial& t) {
  return ReproSize{s.TotalSteps(), s.threads.size(), t.schedule.decisions.size(),
                   t.context_switches, t.preemptions};
}

// The schedule without thread `removed`: its decisions go, higher indices move down.
sched::Schedule WithoutThread(const sched::Schedule& schedule, size_t removed) {
  sched::Schedule out = schedule;
  out.decisions.clear();
  for (const sched::Decision& d : schedule.decisions) {
    if (d.kind == sched::Decision::Kind::kThread) {
      if (d.value == removed) continue;
      out.decisions.push_back(d.value > removed ? sched::ThreadDecision(d.value - 1) : d);
    } else {
      out.decisions.push_back(d);
    }
  }
  return out;
}

// The schedule for a candidate without step `index` of `thread`: the decisions taken at that
// step's choice points go (the point before it, or for step 0 the point before step 1, which
// the removal merges away, and any inside it), so the rest of the interleaving stays aligned.
sched::Schedule WithoutStepDecisions(const Trial& trial, size_t thread, size_t index) {
  sched::Schedule out = trial.schedule;
  out.decisions.clear();
  size_t k = 0;
  for (const sched::Decision& d : trial.schedule.decisions) {
    if (d.kind == sched::Decision::Kind::kThread) {
      GCS_CHECK(k < trial.choices.size());
      const ChoicePoint& c = trial.choices[k++];
      const bool at_step = c.current == thread && c.step != kNoStep &&
                           (c.step == index || (index == 0 && c.step == 1 && c.before_step));
      if (at_step) continue;
    }
    out.decisions.push_back(d);
  }
  return out;
}

class Minimizer {
 public:
  Minimizer(const Predicate& predicate, const MinimizeOptions& options)
      : predicate_(predicate), options_(options), deadline_(Clock::now() + options.max_time) {}

  MinimizeResult Run(const Scenario& scenario, const sched::Schedule& schedule);

 private:
  bool Stopped() {
    if (stop_) return true;
    if (candidates_ >= options_.max_candidates) {
      stop_ = MinimizeResult::Stop::kBudget;
    } else if (Clock::now() >= deadline_) {
      stop_ = MinimizeResult::Stop::kTimeUp;
    }
    return stop_.has_value();
  }
  // One predicate run, or nullopt when out of time or budget.
  std::optional<Trial> RunOne(const Scenario& s, const sched::Schedule& schedule) {
    if (Stopped()) return std::nullopt;
    ++candidates_;
    Trial trial = predicate_(s, schedule);
    trial.schedule.seed = seed_;
    trial.schedule.strategy = strategy_;
    return trial;
  }
  bool Accept(Scenario s, Trial trial) {
    if (!trial.fails || !(KeyOf(s, trial) < KeyOf(current_, trial_))) return false;
    current_ = std::move(s);
    trial_ = std::move(trial);
    ++accepted_;
    return true;
  }
  // Runs a candidate scenario with the current schedule (or `schedule`); accepts it if it is
  // better. False for invalid candidates.
  bool Try(std::optional<Scenario> candidate, const sched::Schedule* schedule = nullptr) {
    if (!candidate) return false;
    std::optional<Trial> trial = RunOne(*candidate, schedule ? *schedule : trial_.schedule);
    return trial && Accept(std::move(*candidate), std::move(*trial));
  }

  bool Truncate();
  bool Threads();
  bool Steps();
  bool Arguments();
  bool EmptyThreads();
  bool ShortestPrefix();
  bool Preemptions();

  const Predicate& predicate_;
  const MinimizeOptions& options_;
  const Clock::time_point deadline_;
  uint64_t seed_ = 0;
  std::string strategy_;
  Scenario current_;
  Trial trial_;
  uint64_t candidates_ = 0;
  uint64_t accepted_ = 0;
  std::optional<MinimizeResult::Stop> stop_;
};

bool Minimizer::Truncate() {
  std::vector<uint32_t> keep = trial_.steps_begun;
  bool shorter = false;
  for (size_t t = 0; t < keep.size(); ++t)
    shorter = shorter || keep[t] < current_.threads[t].steps.size();
  if (shorter && Try(TruncateThreads(current_, keep, options_.load))) return true;
  const std::optional<Violation>& v = trial_.violation;
  if (!v || v->thread >= current_.threads.size()) return false;
  keep.clear();
  for (const ThreadSpec& thread : current_.threads)
    keep.push_back(static_cast<uint32_t>(thread.steps.size()));
  if (v->step + 1 >= keep[v->thread]) return false;
  keep[v->thread] = v->step + 1;
  return Try(TruncateThreads(current_, keep, options_.load));
}

bool Minimizer::Threads() {
  bool progress = false;
  for (size_t t = current_.threads.size(); t-- > 0;) {
    if (current_.threads[t].steps.empty() || current_.threads.size() == 1) continue;
    bool removed = false;
    std::optional<Scenario> candidate = RemoveThreadSteps(current_, t, &removed, options_.load);
    const sched::Schedule schedule = removed ? WithoutThread(trial_.schedule, t) : trial_.schedule;
    progress = Try(std::move(candidate), &schedule) || progress;
  }
  return progress;
}

bool Minimizer::Steps() {
  bool progress = false;
  for (size_t t = current_.threads.size(); t-- > 0;) {
    for (size_t i = current_.threads[t].steps.size(); i-- > 0;) {
      if (t >= current_.threads.size()) break;
      if (i >= current_.threads[t].steps.size()) {
        i = current_.threads[t].steps.size();  // a repair removed more: continue from the end
        continue;
      }
      std::optional<Scenario> candidate = RemoveStep(current_, t, i, options_.load);
      if (!candidate) continue;
      // First with the interleaving kept in step; then with the decisions as they were.
      const sched::Schedule aligned = WithoutStepDecisions(trial_, t, i);
      if (Try(candidate, &aligned) ||
          (aligned.decisions != trial_.schedule.decisions && Try(std::move(candidate)))) {
        progress = true;
      }
    }
  }
  return progress;
}

bool Minimizer::Arguments() {
  bool progress = false;
  std::vector<ArgumentEdit> edits = ArgumentEdits(current_);
  for (size_t k = 0; k < edits.size();) {
    if (Try(ApplyArgumentEdit(current_, edits[k], options_.load))) {
      progress = true;
      edits = ArgumentEdits(current_);  // the accepted edit is gone: k names the next one
    } else {
      ++k;
    }
  }
  return progress;
}

bool Minimizer::EmptyThreads() {
  bool progress = false;
  for (size_t t = current_.threads.size(); t-- > 0;) {
    if (!current_.threads[t].steps.empty()) continue;
    const sched::Schedule schedule = WithoutThread(trial_.schedule, t);
    progress = Try(RemoveEmptyThread(current_, t, options_.load), &schedule) || progress;
  }
  return progress;
}

// Binary search for the shortest failing prefix (assuming a longer prefix of a failing one
// fails too; where that is not so the search still ends on a failing prefix or the whole).
bool Minimizer::ShortestPrefix() {
  const sched::Schedule whole = trial_.schedule;
  size_t lo = 0, hi = whole.decisions.size();
  std::optional<Trial> best;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    sched::Schedule prefix = whole;
    prefix.decisions.resize(mid);
    std::optional<Trial> trial = RunOne(current_, prefix);
    if (!trial) break;
    if (trial->fails) {
      hi = mid;
      if (!best || KeyOf(current_, *trial) < KeyOf(current_, *best)) best = std::move(trial);
    } else {
      lo = mid + 1;
    }
  }
  return best && Accept(current_, std::move(*best));
}

bool Minimizer::Preemptions() {
  bool progress = false;
  // Each accepted candidate has fewer preemptions, so this ends.
  for (bool again = true; again;) {
    again = false;
    size_t thread_decisions = 0;
    std::vector<std::pair<size_t, sched::ThreadIndex>> at;  // decision index, current thread
    for (size_t j = 0; j < trial_.schedule.decisions.size(); ++j) {
      if (trial_.schedule.decisions[j].kind != sched::Decision::Kind::kThread) continue;
      GCS_CHECK(thread_decisions < trial_.choices.size());
      const ChoicePoint& c = trial_.choices[thread_decisions++];
      if (c.Preemption()) at.emplace_back(j, c.current);
    }
    for (size_t k = at.size(); k-- > 0;) {
      sched::Schedule candidate = trial_.schedule;
      candidate.decisions.resize(at[k].first);
      candidate.decisions.push_back(sched::ThreadDecision(at[k].second));
      if (Try(current_, &candidate)) {
        progress = again = true;
        break;
      }
    }
  }
  return progress;
}

MinimizeResult Minimizer::Run(const Scenario& scenario, const sched::Schedule& schedule) {
  seed_ = schedule.seed;
  strategy_ = schedule.strategy;
  MinimizeResult result;
  ++candidates_;
  trial_ = predicate_(scenario, schedule);
  trial_.schedule.seed = seed_;
  trial_.schedule.strategy = strategy_;
  current_ = scenario;
  result.before = SizeOf(current_, trial_);
  if (!trial_.fails) {
    stop_ = MinimizeResult::Stop::kNotReproduced;
  } else {
    for (bool progress = true; progress && !Stopped();) {
      progress = Truncate();
      progress = Threads() || progress;
      progress = Steps() || progress;
      progress = Arguments() || progress;
      progress = EmptyThreads() || progress;
      progress = ShortestPrefix() || progress;
      progress = Preemptions() || progress;
    }
  }
  result.stop = stop_.value_or(MinimizeResult::Stop::kDone);
  result.after = SizeOf(current_, trial_);
  result.scenario = std::move(current_);
  result.schedule = std::move(trial_.schedule);
  result.violation = std::move(trial_.violation);
  result.candidates = candidates_;
  result.accepted = accepted_;
  return result;
}

}  // namespace

std::string FormatReproSize(const ReproSize& size) {
  auto n = [](size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
  };
  return n(size.steps, "step", "steps") + ", " + n(size.threads, "thread", "threads") + ", " +
         n(size.decisions, "decision", "decisions") + ", " +
         n(size.context_switches, "context switch", "context switches") + ", " +
         n(size.preemptions, "preemption", "preemptions");
}

std::string_view StopName(MinimizeResult::Stop stop) {
  switch (stop) {
    case MinimizeResult::Stop::kDone:
      return "done";
    case MinimizeResult::Stop::kTimeUp:
      return "time-up";
    case MinimizeResult::Stop::kBudget:
      return "budget";
    case MinimizeResult::Stop::kNotReproduced:
      return "not-reproduced";
  }
  return "?";
}

MinimizeResult Minimize(const Scenario& scenario, const sched::Schedule& schedule,
                        const Predicate& predicate, const MinimizeOptions& options) {
  return Minimizer(predicate, options).Run(scenario, schedule);
}

}  // namespace gcs
