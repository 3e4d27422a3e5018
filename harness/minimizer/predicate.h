// gcstress minimizer — Predicate: re-runs a candidate (scenario, schedule) and says whether it
// still fails the same way; and the one-line builders of predicates for the CLI and the zoo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/minimizer/prefix_replay.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"
#include "harness/target/target.h"

namespace gcs {

// One run of a candidate.
struct Trial {
  // The run shows a violation with the wanted signature.
  bool fails = false;
  // The first violation the run showed (lowest trace index), whatever its signature.
  std::optional<Violation> violation;
  // The decisions the run actually took, whole: sched::ReplayStrategy replays the run exactly,
  // without diverging. Seed and strategy spec are the candidate schedule's.
  sched::Schedule schedule;
  // Its choice points, one per thread decision of `schedule`, in order, each placed in its
  // thread's steps (ChoicePoint::step).
  std::vector<ChoicePoint> choices;
  // Per scenario thread: the steps it had begun when the violation was detected (every step it
  // began, if there is no violation). Steps beyond these cannot have caused it.
  std::vector<uint32_t> steps_begun;
  // Handoffs from one thread to another (including ones where only one thread could run), and
  // of those the preemptions (away from a thread that could have continued).
  size_t context_switches = 0;
  size_t preemptions = 0;
};

// Runs `scenario` replaying `schedule` as a prefix (PrefixReplayStrategy) and judges the run.
// Must be deterministic: the same candidate gives the same Trial.
using Predicate = std::function<Trial(const Scenario& scenario, const sched::Schedule& schedule)>;

// Judges a finished execution: the first violation it shows, if any. For checks that need only
// the trace and the final state (tests, and anything not yet an oracle).
using ExecutionJudge =
    std::function<std::optional<Violation>(const Scenario& scenario, const Execution& execution)>;

struct PredicateOptions {
  ReplayFallback fallback = ReplayFallback::kKeepCurrent;
};

// A predicate that runs candidates on `target` with `faults` enabled, takes the verdict of the
// runner's Judge (the oracles of MakeOracles, deadlocks, the most severe first — exactly what
// `gcstress run` reports) and fails iff the verdict has `signature` (Violation::Signature). The
// predicate owns an Engine and a Judge and uses `target`, which must outlive it; one candidate
// at a time.
Predicate MakeSignaturePredicate(Target& target, std::vector<std::string> faults,
                                 std::string signature, const PredicateOptions& options = {});

// The same with `check` instead of the Judge: for conditions that are not (yet) an oracle's.
Predicate MakeCheckPredicate(Target& target, std::vector<std::string> faults, std::string signature,
                             ExecutionJudge check, const PredicateOptions& options = {});

// The Trial of an execution judged to show `violation` (or nothing): steps_begun, context
// switches and the schedule from its trace; `choices` as the strategy recorded them. What the
// predicates above return; public for callers that run executions themselves.
Trial MakeTrial(const Scenario& scenario, const Execution& execution,
                std::optional<Violation> violation, const std::string& signature,
                std::vector<ChoicePoint> choices);

}  // namespace gcs
