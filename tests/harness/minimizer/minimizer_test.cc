// gcstress minimizer — tests: Minimize on the seed bugs' scenarios made bigger with noise: still
// failing the same way, at most twice the hand-written minimal size, deterministic, bounded.
#include "harness/minimizer/minimizer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "find_with_generator.h"
#include "harness/minimizer/scenario_edits.h"
#include "harness/runner/judge.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/scheduler/prng.h"
#include "harness/scheduler/replay.h"
#include "harness/targets/core/core_target.h"
#include "seed_faults.h"

namespace gcs {
namespace {

using testing::CoreLoadOptions;
using testing::FindFailingRun;
using testing::FindResult;
using testing::LoadSeedFaults;
using testing::RunsInThisBuild;
using testing::SeedFault;

// `s` with two noise threads of `per_thread` steps and `inserted` noise steps spread over its
// own threads. Noise touches only its own variables (z0, z1, ...): objects, links between them,
// drops, collections, enumerations, weak references, uses and yields — things that make the
// failing interleaving rarer and the scenario longer, never impossible.
Scenario AddNoise(const Scenario& s, uint64_t seed, size_t per_thread, size_t inserted) {
  sched::Xoshiro256 rng(seed);
  Scenario out = s;
  std::vector<VarId> objects;
  auto var = [&](BindKind kind) {
    out.vars.push_back(VarSpec{"z" + std::to_string(out.vars.size()), kind});
    return static_cast<VarId>(out.vars.size() - 1);
  };
  auto noise = [&]() {
    Step step;
    const uint64_t pick = objects.empty() ? 0 : rng.Below(8);
    auto some = [&] { return objects[rng.Below(objects.size())]; };
    switch (pick) {
      case 0:
        step.op = Op::kNew;
        step.as = var(BindKind::kHandle);
        objects.push_back(step.as);
        break;
      case 1:
        step.op = Op::kSet;
        step.obj = some();
        step.to = some();
        step.field = static_cast<int8_t>(rng.Below(kMaxFields));
        break;
      case 2:
        step.op = Op::kDrop;
        step.obj = some();
        break;
      case 3:
        step.op = Op::kGc;
        break;
      case 4:
        step.op = Op::kEnumerate;
        break;
      case 5:
        step.op = Op::kWeak;
        step.obj = some();
        step.as = var(BindKind::kWeak);
        break;
      case 6:
        step.op = Op::kUse;
        step.obj = some();
        break;
      default:
        step.op = Op::kYield;
        break;
    }
    return step;
  };
  for (int n = 1; n <= 2; ++n) {
    ThreadSpec thread;
    thread.name = "noise" + std::to_string(n);
    for (size_t i = 0; i < per_thread; ++i)
      thread.steps.push_back(noise());
    out.threads.push_back(std::move(thread));
  }
  const size_t own = s.threads.size();
  for (size_t i = 0; i < inserted; ++i) {
    auto& steps = out.threads[rng.Below(own)].steps;
    steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(rng.Below(steps.size() + 1)), noise());
  }
  std::optional<Scenario> valid = Revalidate(out, CoreLoadOptions());
  EXPECT_TRUE(valid.has_value());
  return valid ? *valid : s;
}

// A failing run of the noisy version of a seed fault's minimal scenario.
struct NoisyCase {
  SeedFault fault;
  Scenario noisy;
  FindResult found;
};

std::vector<NoisyCase> NoisyCases(Target& target) {
  std::vector<NoisyCase> out;
  for (SeedFault& f : LoadSeedFaults()) {
    if (!RunsInThisBuild(f)) continue;
    NoisyCase c;
    c.noisy = AddNoise(f.minimal, 7, 6, 6);
    c.found = FindFailingRun(target, c.noisy, {f.fault},
                             [&](const Violation& v) { return v.kind == f.kind; });
    EXPECT_TRUE(c.found.found) << f.fault << ": the noisy scenario never fails";
    c.fault = std::move(f);
    if (c.found.found) out.push_back(std::move(c));
  }
  return out;
}

MinimizeOptions Options() {
  MinimizeOptions options;
  options.load = CoreLoadOptions();
  return options;
}

// Replays (scenario, schedule) exactly as `gcstress replay` would and returns its verdict.
std::optional<Violation> Replay(Target& target, const Scenario& s, const sched::Schedule& schedule,
                                const std::vector<std::string>& faults, bool* diverged) {
  Engine engine(target);
  Judge judge(target, OracleOptions{});
  sched::ReplayStrategy replay(schedule);
  judge.Begin(s, target);
  Execution e = engine.Run(s, faults, replay, schedule.seed, {}, judge.Observer());
  *diverged = replay.DivergedAt().has_value();
  return judge.Verdict(s, e);
}

TEST(MinimizerTest, NoisySeedScenariosShrinkToAtMostTwiceTheHandWrittenMinimum) {
  CoreTarget target;
  std::vector<NoisyCase> cases = NoisyCases(target);
  size_t expected = 0;
  for (const SeedFault& f : LoadSeedFaults())
    expected += RunsInThisBuild(f) ? 1 : 0;
  ASSERT_EQ(cases.size(), expected);
  for (const NoisyCase& c : cases) {
    const std::string signature = c.found.violation.Signature();
    const std::vector<std::string> faults = {c.fault.fault};
    const auto start = std::chrono::steady_clock::now();
    const MinimizeResult r = Minimize(c.noisy, c.found.schedule,
                                      MakeSignaturePredicate(target, faults, signature), Options());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "  %-26s %s\n    hand-written minimal: %zu steps, %zu threads\n"
        "    before: %s\n    after:  %s\n    %llu candidates, %llu accepted, %.2f s, %s\n",
        c.fault.fault.c_str(), signature.c_str(), c.fault.minimal.TotalSteps(),
        c.fault.minimal.threads.size(), FormatReproSize(r.before).c_str(),
        FormatReproSize(r.after).c_str(), static_cast<unsigned long long>(r.candidates),
        static_cast<unsigned long long>(r.accepted), seconds,
        std::string(StopName(r.stop)).c_str());
    EXPECT_EQ(r.stop, MinimizeResult::Stop::kDone) << c.fault.fault;
    EXPECT_LE(r.after.steps, 2 * c.fault.minimal.TotalSteps()) << c.fault.fault << "\n"
                                                               << FormatScenario(r.scenario);
    EXPECT_LT(r.after.steps, r.before.steps);
    EXPECT_LE(r.after.context_switches, r.before.context_switches);
    // Still the same failure, replayed the ordinary way.
    bool diverged = true;
    const std::optional<Violation> v = Replay(target, r.scenario, r.schedule, faults, &diverged);
    EXPECT_FALSE(diverged) << c.fault.fault;
    ASSERT_TRUE(v.has_value()) << c.fault.fault;
    EXPECT_EQ(v->Signature(), signature) << c.fault.fault;
    // And it loads: the repro's scenario is a valid file.
    EXPECT_TRUE(LoadScenarioText(FormatScenario(r.scenario), "min.json", CoreLoadOptions()).ok());
  }
}

// The two fallbacks once the recorded decisions run out. Measured on these five and on 40
// failures found by the generator (8 per fault), they tie exactly (221 steps, 75 context
// switches, 29 preemptions in all): the preemption pass undoes what a fallback adds. The
// predicates keep the current thread by default because it never adds a preemption of its own,
// so a schedule cut after "stay on the current thread" means just that; this test keeps it no
// worse than sched::ReplayStrategy's lowest-runnable.
TEST(MinimizerTest, KeepingTheCurrentThreadMinimizesNoWorseThanTheLowestRunnable) {
  CoreTarget target;
  ReproSize keep_total, lowest_total;
  for (const NoisyCase& c : NoisyCases(target)) {
    const std::vector<std::string> faults = {c.fault.fault};
    const std::string signature = c.found.violation.Signature();
    PredicateOptions lowest;
    lowest.fallback = ReplayFallback::kLowestRunnable;
    const MinimizeResult k = Minimize(c.noisy, c.found.schedule,
                                      MakeSignaturePredicate(target, faults, signature), Options());
    const MinimizeResult l =
        Minimize(c.noisy, c.found.schedule,
                 MakeSignaturePredicate(target, faults, signature, lowest), Options());
    std::printf("  %-26s keep-current: %s\n  %-26s lowest:       %s\n", c.fault.fault.c_str(),
                FormatReproSize(k.after).c_str(), "", FormatReproSize(l.after).c_str());
    for (auto [total, r] : {std::pair{&keep_total, &k}, std::pair{&lowest_total, &l}}) {
      total->steps += r->after.steps;
      total->context_switches += r->after.context_switches;
      total->preemptions += r->after.preemptions;
    }
  }
  EXPECT_LE(keep_total.steps, lowest_total.steps);
  EXPECT_LE(keep_total.context_switches, lowest_total.context_switches);
  EXPECT_LE(keep_total.preemptions, lowest_total.preemptions);
}

TEST(MinimizerTest, TheResultIsAFunctionOfTheInput) {
  CoreTarget target;
  for (const NoisyCase& c : NoisyCases(target)) {
    const std::vector<std::string> faults = {c.fault.fault};
    Predicate p = MakeSignaturePredicate(target, faults, c.found.violation.Signature());
    const MinimizeResult a = Minimize(c.noisy, c.found.schedule, p, Options());
    const MinimizeResult b = Minimize(c.noisy, c.found.schedule, p, Options());
    EXPECT_EQ(FormatScenario(a.scenario), FormatScenario(b.scenario)) << c.fault.fault;
    EXPECT_EQ(sched::FormatSchedule(a.schedule), sched::FormatSchedule(b.schedule));
    EXPECT_EQ(a.candidates, b.candidates);
    EXPECT_EQ(a.after, b.after);
  }
}

TEST(MinimizerTest, MaxTimeStopsIt) {
  CoreTarget target;
  std::vector<NoisyCase> cases = NoisyCases(target);
  ASSERT_FALSE(cases.empty());
  const NoisyCase& c = cases.front();
  const std::vector<std::string> faults = {c.fault.fault};
  const std::string signature = c.found.violation.Signature();
  MinimizeOptions options = Options();
  options.max_time = std::chrono::milliseconds(0);
  MinimizeResult r = Minimize(c.noisy, c.found.schedule,
                              MakeSignaturePredicate(target, faults, signature), options);
  EXPECT_EQ(r.stop, MinimizeResult::Stop::kTimeUp);
  EXPECT_EQ(r.candidates, 1u);  // the input's own run, nothing else
  EXPECT_EQ(r.scenario, c.noisy);
  EXPECT_EQ(r.after.steps, r.before.steps);

  // A slow predicate (5 ms a candidate) and 40 ms: it must stop after a handful of candidates,
  // where the whole minimization takes dozens.
  Predicate p = MakeSignaturePredicate(target, faults, signature);
  Predicate slow = [&](const Scenario& s, const sched::Schedule& schedule) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return p(s, schedule);
  };
  options.max_time = std::chrono::milliseconds(40);
  const auto start = std::chrono::steady_clock::now();
  r = Minimize(c.noisy, c.found.schedule, slow, options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.stop, MinimizeResult::Stop::kTimeUp);
  EXPECT_LT(r.candidates, 15u);
  EXPECT_LT(elapsed, std::chrono::seconds(2));  // 40 ms and one candidate's run, with slack
  // Whatever it had reached is a failing repro.
  bool diverged = true;
  const std::optional<Violation> v = Replay(target, r.scenario, r.schedule, faults, &diverged);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->Signature(), signature);
}

TEST(MinimizerTest, TheCandidateBudgetStopsIt) {
  CoreTarget target;
  std::vector<NoisyCase> cases = NoisyCases(target);
  ASSERT_FALSE(cases.empty());
  const NoisyCase& c = cases.front();
  MinimizeOptions options = Options();
  options.max_candidates = 10;
  const MinimizeResult r = Minimize(
      c.noisy, c.found.schedule,
      MakeSignaturePredicate(target, {c.fault.fault}, c.found.violation.Signature()), options);
  EXPECT_EQ(r.stop, MinimizeResult::Stop::kBudget);
  EXPECT_EQ(r.candidates, 10u);
}

TEST(MinimizerTest, AnInputThatDoesNotFailIsReturnedAsItIs) {
  CoreTarget target;
  std::vector<NoisyCase> cases = NoisyCases(target);
  ASSERT_FALSE(cases.empty());
  const NoisyCase& c = cases.front();
  // The fixed core: the same schedule shows nothing.
  const MinimizeResult r =
      Minimize(c.noisy, c.found.schedule,
               MakeSignaturePredicate(target, {}, c.found.violation.Signature()), Options());
  EXPECT_EQ(r.stop, MinimizeResult::Stop::kNotReproduced);
  EXPECT_EQ(r.candidates, 1u);
  EXPECT_EQ(r.scenario, c.noisy);
  EXPECT_FALSE(r.violation.has_value());
}

}  // namespace
}  // namespace gcs
