// gcstress minimizer — Minimize: shrinks a failing (scenario, schedule) jointly, keeping the
// failure's signature.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/minimizer/predicate.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"

namespace gcs {

struct MinimizeOptions {
  // Stop trying candidates after this long (wall clock). Time only decides when to stop, never
  // which candidate wins: with enough time the result is a function of the input alone.
  std::chrono::milliseconds max_time{60000};
  // Stop after this many predicate runs (the input's own run included).
  uint64_t max_candidates = 20000;
  // What candidates must load under: the target's ops and fault names (an "expect" block is
  // kept and must stay valid).
  LoadOptions load;
};

// How big a repro is.
struct ReproSize {
  size_t steps = 0;  // all threads together
  size_t threads = 0;
  size_t decisions = 0;         // entries of the schedule
  size_t context_switches = 0;  // handoffs between threads in its execution
  size_t preemptions = 0;       // of those, away from a thread that could have continued
  friend bool operator==(const ReproSize&, const ReproSize&) = default;
};

// "7 steps, 2 threads, 5 decisions, 4 context switches, 1 preemption".
std::string FormatReproSize(const ReproSize& size);

struct MinimizeResult {
  enum class Stop : uint8_t {
    kDone,           // no candidate of a whole round was accepted: a local minimum
    kTimeUp,         // max_time ran out
    kBudget,         // max_candidates ran out
    kNotReproduced,  // the input itself does not fail: nothing was minimized
  };
  Stop stop = Stop::kDone;
  // The smallest failing repro found: the schedule is whole (sched::ReplayStrategy replays it
  // without diverging) and keeps the input schedule's seed and strategy spec.
  Scenario scenario;
  sched::Schedule schedule;
  std::optional<Violation> violation;  // what its last run showed
  ReproSize before, after;
  uint64_t candidates = 0;  // predicate runs
  uint64_t accepted = 0;    // candidates that became the new repro
};

// "done", "time-up", "budget", "not-reproduced".
std::string_view StopName(MinimizeResult::Stop stop);

// Shrinks (scenario, schedule), which `predicate` must judge failing, until no candidate edit
// keeps it failing. A candidate is accepted iff the predicate says it fails and it is smaller
// by the order (steps, threads, argument weight, preemptions, context switches, decisions); the
// schedule of an accepted candidate is the one its run actually took. Rounds of passes, in
// syzkaller's order, repeated until a round accepts nothing:
//   1. truncate: every thread cut after the steps it had begun when the violation was detected;
//      failing that, the failing thread cut after the failing step;
//   2. threads: each thread's steps at once, last thread first (noise threads go in one go);
//   3. steps: single steps from the end;
//   4. arguments: optional fields cleared, field indices to 0, subclasses to plain objects;
//   5. empty threads that nothing names;
//   6. schedule: the shortest prefix of decisions that still fails (the predicate's fallback
//      decides the rest), then each preemption, last first, replaced by the current thread.
// Scenario edits repair and revalidate themselves (scenario_edits.h); edits the loader refuses
// are not run. Deterministic for a given input and predicate, until max_time or the budget runs
// out.
MinimizeResult Minimize(const Scenario& scenario, const sched::Schedule& schedule,
                        const Predicate& predicate, const MinimizeOptions& options);

}  // namespace gcs
