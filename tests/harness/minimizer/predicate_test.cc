// gcstress minimizer — tests: predicates: the Judge's verdict on replayed candidates, and what a
// Trial reports about its run.
#include "harness/minimizer/predicate.h"

#include <gtest/gtest.h>

#include "find_with_generator.h"
#include "harness/runner/judge.h"
#include "harness/scheduler/replay.h"
#include "harness/targets/core/core_target.h"
#include "seed_faults.h"

namespace gcs {
namespace {

using testing::FindFailingRun;
using testing::FindResult;
using testing::LoadScenarioForCore;

// A fault whose runs never touch freed memory, so these tests run under ASan too.
const std::vector<std::string> kShared = {"proxy-shared-table"};
const char* kScenario = "proxy-table/proxy-table-minimal.json";

FindResult PrematureCollection(Target& target, const Scenario& s) {
  FindResult r = FindFailingRun(target, s, kShared, [](const Violation& v) {
    return v.kind == ViolationKind::kPrematureCollection;
  });
  EXPECT_TRUE(r.found);
  return r;
}

TEST(PredicateTest, FailsExactlyForTheSameSignature) {
  CoreTarget target;
  const Scenario s = LoadScenarioForCore(kScenario);
  const FindResult found = PrematureCollection(target, s);
  ASSERT_TRUE(found.found);
  const std::string signature = found.violation.Signature();

  Predicate same = MakeSignaturePredicate(target, kShared, signature);
  Trial t = same(s, found.schedule);
  EXPECT_TRUE(t.fails);
  ASSERT_TRUE(t.violation.has_value());
  EXPECT_EQ(t.violation->Signature(), signature);

  Predicate other = MakeSignaturePredicate(target, kShared, "premature-collection/-/-/-");
  t = other(s, found.schedule);
  EXPECT_FALSE(t.fails);
  EXPECT_TRUE(t.violation.has_value());  // the violation is there; its signature is not wanted

  Predicate fixed = MakeSignaturePredicate(target, {}, signature);  // no fault: nothing to find
  t = fixed(s, found.schedule);
  EXPECT_FALSE(t.fails);
  EXPECT_FALSE(t.violation.has_value());
}

TEST(PredicateTest, TheTrialsScheduleReplaysTheRunExactly) {
  CoreTarget target;
  const Scenario s = LoadScenarioForCore(kScenario);
  const FindResult found = PrematureCollection(target, s);
  ASSERT_TRUE(found.found);
  Predicate p = MakeSignaturePredicate(target, kShared, found.violation.Signature());
  // A cut-down schedule: the trial's schedule is the one the run really took, whole.
  sched::Schedule prefix = found.schedule;
  prefix.decisions.resize(prefix.decisions.size() / 2);
  const Trial t = p(s, prefix);
  EXPECT_EQ(t.schedule.seed, prefix.seed);
  EXPECT_EQ(t.schedule.strategy, prefix.strategy);

  Engine engine(target);
  Judge judge(target, OracleOptions{});
  sched::ReplayStrategy replay(t.schedule);
  judge.Begin(s, target);
  Execution again = engine.Run(s, kShared, replay, t.schedule.seed, {}, judge.Observer());
  EXPECT_FALSE(replay.DivergedAt().has_value());
  const std::optional<Violation> v = judge.Verdict(s, again);
  EXPECT_EQ(v.has_value(), t.violation.has_value());
  if (v && t.violation) {
    EXPECT_EQ(v->Signature(), t.violation->Signature());
  }
  // One choice point per thread decision.
  size_t thread_decisions = 0;
  for (const sched::Decision& d : t.schedule.decisions)
    thread_decisions += d.kind == sched::Decision::Kind::kThread ? 1 : 0;
  EXPECT_EQ(t.choices.size(), thread_decisions);
}

TEST(PredicateTest, StepsBegunStopAtTheViolation) {
  CoreTarget target;
  const Scenario s = LoadScenarioForCore(kScenario);
  const FindResult found = PrematureCollection(target, s);
  ASSERT_TRUE(found.found);
  const Trial t =
      MakeSignaturePredicate(target, kShared, found.violation.Signature())(s, found.schedule);
  ASSERT_TRUE(t.fails);
  ASSERT_EQ(t.steps_begun.size(), s.threads.size());
  const Violation& v = *t.violation;
  if (v.thread < s.threads.size()) {
    EXPECT_EQ(t.steps_begun[v.thread], v.step + 1);
  }
  for (size_t i = 0; i < s.threads.size(); ++i)
    EXPECT_LE(t.steps_begun[i], s.threads[i].steps.size());

  // No violation: every step counts as begun.
  const Trial clean = MakeSignaturePredicate(target, {}, "x")(s, found.schedule);
  for (size_t i = 0; i < s.threads.size(); ++i)
    EXPECT_EQ(clean.steps_begun[i], s.threads[i].steps.size());
}

TEST(PredicateTest, WithoutDecisionsTheCurrentThreadKeepsRunning) {
  CoreTarget target;
  // t1 and t2 both start enabled; no fault, nothing to find: only the interleaving matters.
  const Scenario s = LoadScenarioForCore("refpool/refpool-minimal.json");
  sched::Schedule none;
  none.strategy = "pct";
  const Trial keep = MakeSignaturePredicate(target, {}, "x")(s, none);
  EXPECT_EQ(keep.preemptions, 0u);
  // t1 runs until it finishes, then t2: one switch.
  EXPECT_EQ(keep.context_switches, 1u);
  PredicateOptions lowest;
  lowest.fallback = ReplayFallback::kLowestRunnable;
  const Trial low = MakeSignaturePredicate(target, {}, "x", lowest)(s, none);
  EXPECT_EQ(low.preemptions, 0u);  // thread 0 is both current and lowest here
}

TEST(PredicateTest, ACheckPredicateJudgesWithTheCheck) {
  CoreTarget target;
  const Scenario s = LoadScenarioForCore("refpool/refpool-minimal.json");
  int calls = 0;
  Predicate p =
      MakeCheckPredicate(target, {}, "leak/-/teardown/-", [&](const Scenario&, const Execution& e) {
        ++calls;
        std::optional<Violation> out;
        if (e.torn_down) {
          Violation v;
          v.kind = ViolationKind::kLeak;
          v.phase = "teardown";
          v.trace_index = e.trace.entries.size() - 1;
          out = v;
        }
        return out;
      });
  sched::Schedule none;
  const Trial t = p(s, none);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(t.fails);
}

}  // namespace
}  // namespace gcs
