// gcstress tests — fork mode: crashes, checks, hangs and sanitizer reports in child processes
// become verdicts with the seed and schedule that caused them; repros of them replay; results do
// not depend on batch size or jobs; the in-process watchdog exits 4.
#include <gtest/gtest.h>

#include <string>

#include "harness/runner/exit_code.h"
#include "harness/runner/iteration_seed.h"
#include "harness/runner/repro.h"
#include "harness/runner/repro_replay.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/runner/faulty_target.h"

namespace gcs {
namespace {

using testing::FaultyTarget;
using Behavior = FaultyTarget::Behavior;

bool Sanitized(std::string_view which) {
#ifdef GCS_SANITIZE_STRING
  return std::string_view(GCS_SANITIZE_STRING).find(which) != std::string_view::npos;
#else
  (void)which;
  return false;
#endif
}

RunConfig Config(uint64_t iterations, uint64_t seed = 7) {
  RunConfig c;
  c.target = "faulty";
  c.strategy = "pct";
  c.seed = seed;
  c.iterations = iterations;
  c.isolate = true;
  c.step_timeout = std::chrono::seconds(20);
  return c;
}

Runner Make(const RunConfig& config, Behavior behavior,
            std::shared_ptr<FaultyTarget::Log> log = nullptr) {
  auto r = Runner::Create(config, FaultyTarget::Factory(behavior, std::move(log)));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Format());
  return std::move(r).value();
}

Scenario Load(const Runner& runner, const std::string& text) {
  auto s = LoadScenarioText(text, "test.json", runner.ScenarioLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

// The iterations of a 100-iteration pct run (base seed `seed`) whose t2 gc lands in the window:
// the crash-free twin run in-process, where each execution number is its iteration.
std::vector<uint64_t> WindowHits(uint64_t seed) {
  auto log = std::make_shared<FaultyTarget::Log>();
  RunConfig c = Config(100, seed);
  c.isolate = false;
  c.step_timeout = std::chrono::milliseconds(0);
  Runner runner = Make(c, Behavior::kNone, log);
  const RunSummary s = runner.Run(Load(runner, testing::WindowScenario()));
  EXPECT_EQ(s.iterations, 100u);
  EXPECT_EQ(log->executions, 100u);
  return log->hits;
}

// A base seed whose run hits the window first between iterations 30 and 70, and again later.
struct Chosen {
  uint64_t seed = 0;
  std::vector<uint64_t> hits;
};
const Chosen& ChosenSeed() {
  static const Chosen chosen = [] {
    for (uint64_t seed = 1; seed < 400; ++seed) {
      std::vector<uint64_t> hits = WindowHits(seed);
      if (hits.size() >= 2 && hits[0] >= 30 && hits[0] <= 70) return Chosen{seed, hits};
    }
    return Chosen{};
  }();
  return chosen;
}

TEST(IsolatedRunTest, ACrashingStepIsACrashVerdictWithItsIterationSeedAndSchedule) {
  const Chosen& chosen = ChosenSeed();
  ASSERT_FALSE(chosen.hits.empty()) << "no seed below 400 hits the window late enough";
  const uint64_t first = chosen.hits[0];
  Runner runner = Make(Config(100, chosen.seed), Behavior::kSegfault);
  const Scenario s = Load(runner, testing::WindowScenario());
  const RunSummary summary = runner.Run(s);
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Failure& f = *summary.first_failure;
  EXPECT_EQ(summary.stop, StopReason::kFirstFailure);
  EXPECT_EQ(f.iteration, first);
  EXPECT_EQ(summary.iterations, first + 1);
  EXPECT_EQ(f.violation.kind, ViolationKind::kCrash);
  EXPECT_EQ(ExitCodeForVerdict(f.violation), ExitCode::kViolation);
  EXPECT_EQ(f.violation.op, "gc");
  EXPECT_EQ(f.violation.phase, "step");
  EXPECT_EQ(f.violation.thread, 1u);
  EXPECT_EQ(f.violation.step, 7u);
  // The cause and the first own frame: the function that faulted, not the handler or libc.
  // Under a sanitizer its SEGV report is the evidence; without one, the signal.
  EXPECT_EQ(
      f.violation.site.rfind(Sanitized("address") || Sanitized("thread") ? "segv:" : "sigsegv:", 0),
      0u)
      << f.violation.site;
  EXPECT_NE(f.violation.site.find("Segfault"), std::string::npos) << f.violation.site;
  EXPECT_NE(f.violation.message.find("t2 at step 7 (gc)"), std::string::npos)
      << f.violation.message;
  EXPECT_EQ(f.execution.seed, IterationSeed(chosen.seed, first));
  EXPECT_EQ(f.execution.schedule.seed, f.execution.seed);

  // The schedule up to the crash is the start of the crash-free twin's schedule for the same
  // iteration (run on a fresh strategy from the frozen spec: the iteration is past calibration).
  ASSERT_GE(first, Runner::kCalibrationIterations);
  EXPECT_EQ(f.execution.schedule.strategy.rfind("pct:depth=3,steps=", 0), 0u);
  Executor twin(std::make_unique<FaultyTarget>(Behavior::kNone, nullptr));
  auto strategy = sched::MakeStrategy(summary.strategy);
  ASSERT_TRUE(strategy.ok());
  const JudgedExecution dry =
      twin.Execute(s, {}, **strategy, IterationSeed(chosen.seed, first), EngineOptions{});
  EXPECT_EQ(dry.execution.schedule.strategy, f.execution.schedule.strategy);
  const auto& crash = f.execution.schedule.decisions;
  const auto& whole = dry.execution.schedule.decisions;
  ASSERT_LE(crash.size(), whole.size());
  ASSERT_FALSE(crash.empty());
  EXPECT_TRUE(std::equal(crash.begin(), crash.end(), whole.begin()));
}

TEST(IsolatedRunTest, TheCrashReproReplaysToTheSameCrashInAChild) {
  const Chosen& chosen = ChosenSeed();
  ASSERT_FALSE(chosen.hits.empty());
  RunConfig c = Config(100, chosen.seed);
  Runner runner = Make(c, Behavior::kSegfault);
  const Scenario s = Load(runner, testing::WindowScenario());
  const RunSummary summary = runner.Run(s);
  ASSERT_TRUE(summary.first_failure);
  const Repro repro = MakeRepro(s, c, *summary.first_failure);
  // Through the file form, as `gcstress replay` reads it.
  const TargetLookup lookup = [](std::string_view) {
    return FaultyTarget::Factory(Behavior::kSegfault)();
  };
  Expected<Repro> parsed = ParseRepro(FormatRepro(repro), "repro.json", lookup);
  ASSERT_TRUE(parsed.ok()) << parsed.error().Format();
  int replays = 0, matched = 0;
  const auto error =
      ReplayReproIsolated(FaultyTarget::Factory(Behavior::kSegfault), *parsed, 3,
                          std::chrono::seconds(20), [&](uint64_t k, ReplayResult&& r) {
                            EXPECT_EQ(k, static_cast<uint64_t>(replays));
                            ++replays;
                            EXPECT_TRUE(r.died);
                            ASSERT_TRUE(r.run.verdict);
                            EXPECT_EQ(r.run.verdict->Signature(), repro.verdict.Signature());
                            if (r.matches) ++matched;
                          });
  EXPECT_FALSE(error) << *error;
  EXPECT_EQ(replays, 3);
  EXPECT_EQ(matched, 3);
  // The crash-free target passes the same repro: it is the crash that reproduces, not a fluke.
  const auto clean = ReplayReproIsolated(FaultyTarget::Factory(Behavior::kNone), *parsed, 1,
                                         std::chrono::seconds(20), [&](uint64_t, ReplayResult&& r) {
                                           EXPECT_FALSE(r.died);
                                           EXPECT_FALSE(r.run.verdict);
                                           EXPECT_FALSE(r.matches);
                                         });
  EXPECT_FALSE(clean);
}

TEST(IsolatedRunTest, KeepGoingReportsTheFirstCrashAndRunsTheRestInFreshChildren) {
  const Chosen& chosen = ChosenSeed();
  ASSERT_FALSE(chosen.hits.empty());
  RunConfig c = Config(100, chosen.seed);
  c.keep_going = true;
  c.confirm = 2;
  Runner runner = Make(c, Behavior::kSegfault);
  const RunSummary summary = runner.Run(Load(runner, testing::WindowScenario()));
  EXPECT_EQ(summary.stop, StopReason::kIterations) << summary.internal_error;
  EXPECT_EQ(summary.iterations, 100u);
  // Every window hit crashed its child, and each later iteration still ran.
  EXPECT_EQ(summary.violations, chosen.hits.size());
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures[0].iteration, chosen.hits[0]);
  EXPECT_EQ(summary.failures[0].confirmed, 2u);
}

TEST(IsolatedRunTest, ResultsDoNotDependOnBatchSizeOrJobs) {
  const Chosen& chosen = ChosenSeed();
  ASSERT_FALSE(chosen.hits.empty());
  RunConfig base = Config(100, chosen.seed);
  base.keep_going = true;
  Runner reference = Make(base, Behavior::kSegfault);
  const Scenario s = Load(reference, testing::WindowScenario());
  const RunSummary a = reference.Run(s);
  ASSERT_TRUE(a.first_failure);
  for (const auto& [batch, jobs] : {std::pair<uint64_t, uint32_t>{1, 1}, {7, 1}, {7, 2}, {0, 3}}) {
    RunConfig c = base;
    c.batch = batch;
    c.jobs = jobs;
    Runner runner = Make(c, Behavior::kSegfault);
    const RunSummary b = runner.Run(s);
    SCOPED_TRACE("batch " + std::to_string(batch) + ", jobs " + std::to_string(jobs));
    EXPECT_EQ(b.iterations, a.iterations);
    EXPECT_EQ(b.violations, a.violations);
    EXPECT_EQ(b.strategy, a.strategy);
    ASSERT_TRUE(b.first_failure);
    EXPECT_EQ(b.first_failure->iteration, a.first_failure->iteration);
    EXPECT_EQ(b.first_failure->violation.Signature(), a.first_failure->violation.Signature());
    EXPECT_EQ(b.first_failure->execution.schedule, a.first_failure->execution.schedule);
  }
  // Without keep_going the run stops at the same first crash with any batch size.
  RunConfig stop = base;
  stop.keep_going = false;
  stop.batch = 5;
  Runner runner = Make(stop, Behavior::kSegfault);
  const RunSummary c = runner.Run(s);
  ASSERT_TRUE(c.first_failure);
  EXPECT_EQ(c.first_failure->iteration, chosen.hits[0]);
  EXPECT_EQ(c.iterations, chosen.hits[0] + 1);
}

// One thread that never collects: never misbehaves. Named so each is a scenario of its own.
std::string CalmScenario(const std::string& name) {
  return R"({"format": 1, "name": ")" + name +
         R"(", "threads": {"t1": [{"op": "attach"}, {"op": "yield"}, {"op": "detach"}]}})";
}

// A search over many scenarios (run --generate) runs them in one child process, and a crash in
// one of them is that scenario's: its iteration, seed and schedule; the next scenario runs in a
// fresh child.
TEST(IsolatedRunTest, OneChildRunsManyScenariosAndACrashIsTheScenarioItStruckIn) {
  RunConfig c = Config(20);
  Runner runner = Make(c, Behavior::kSegfault);
  const Scenario calm1 = Load(runner, CalmScenario("calm-1"));
  const Scenario calm2 = Load(runner, CalmScenario("calm-2"));
  const Scenario always = Load(runner, testing::kAlwaysScenario);
  const Scenario calm3 = Load(runner, CalmScenario("calm-3"));

  const RunSummary a = runner.Run(calm1);
  EXPECT_FALSE(a.first_failure);
  EXPECT_EQ(a.iterations, 20u);
  EXPECT_EQ(a.children, 1u);  // calibration and the rest, in one child
  const RunSummary b = runner.Run(calm2);
  EXPECT_FALSE(b.first_failure);
  EXPECT_EQ(b.iterations, 20u);
  EXPECT_EQ(b.children, 0u);  // the same child, sent the scenario

  const RunSummary crash = runner.Run(always);
  EXPECT_EQ(crash.children, 0u);
  ASSERT_TRUE(crash.first_failure) << crash.internal_error;
  const Failure& f = *crash.first_failure;
  EXPECT_EQ(crash.stop, StopReason::kFirstFailure);
  EXPECT_EQ(crash.iterations, 1u);
  EXPECT_EQ(f.iteration, 0u);
  EXPECT_EQ(f.violation.kind, ViolationKind::kCrash);
  EXPECT_EQ(f.violation.op, "gc");
  EXPECT_EQ(f.violation.thread, 0u);
  EXPECT_EQ(f.violation.step, 1u);
  EXPECT_EQ(f.execution.seed, IterationSeed(c.seed, 0));
  EXPECT_EQ(f.execution.schedule.seed, f.execution.seed);
  // The same crash as a child forked for this scenario alone finds.
  Runner alone = Make(c, Behavior::kSegfault);
  const RunSummary reference = alone.Run(always);
  EXPECT_EQ(reference.children, 1u);
  ASSERT_TRUE(reference.first_failure);
  EXPECT_EQ(reference.first_failure->violation.Signature(), f.violation.Signature());
  EXPECT_EQ(reference.first_failure->execution.schedule, f.execution.schedule);

  const RunSummary after = runner.Run(calm3);
  EXPECT_FALSE(after.first_failure) << after.internal_error;
  EXPECT_EQ(after.iterations, 20u);
  EXPECT_EQ(after.children, 1u);  // a fresh child: the last one died

  // With keep_going every iteration of the crashing scenario runs, each crash in a child of its
  // own, and the scenario after it runs as if nothing happened.
  RunConfig go = c;
  go.keep_going = true;
  Runner keep = Make(go, Behavior::kSegfault);
  EXPECT_FALSE(keep.Run(calm1).first_failure);
  const RunSummary all = keep.Run(always);
  EXPECT_EQ(all.stop, StopReason::kIterations) << all.internal_error;
  EXPECT_EQ(all.iterations, 20u);
  EXPECT_EQ(all.violations, 20u);
  ASSERT_EQ(all.failures.size(), 1u);
  EXPECT_EQ(all.failures[0].iteration, 0u);
  const RunSummary last = keep.Run(calm2);
  EXPECT_FALSE(last.first_failure) << last.internal_error;
  EXPECT_EQ(last.iterations, 20u);
}

// A hang too is the scenario's it struck in, and is not the next scenario's.
TEST(IsolatedRunTest, AHangInAChildServingManyScenariosIsTheHangingScenarios) {
  RunConfig c = Config(20);
  c.step_timeout = std::chrono::milliseconds(300);
  Runner runner = Make(c, Behavior::kHang);
  EXPECT_FALSE(runner.Run(Load(runner, CalmScenario("calm-1"))).first_failure);
  const RunSummary hung = runner.Run(Load(runner, testing::kAlwaysScenario));
  EXPECT_EQ(hung.children, 0u);
  ASSERT_TRUE(hung.first_failure) << hung.internal_error;
  EXPECT_EQ(hung.first_failure->violation.kind, ViolationKind::kHang);
  EXPECT_EQ(hung.first_failure->iteration, 0u);
  EXPECT_EQ(hung.first_failure->execution.seed, IterationSeed(c.seed, 0));
  const RunSummary next = runner.Run(Load(runner, CalmScenario("calm-2")));
  EXPECT_FALSE(next.first_failure) << next.internal_error;
  EXPECT_EQ(next.children, 1u);
}

// --batch bounds the iterations a child runs, over all the scenarios it served.
TEST(IsolatedRunTest, BatchBoundsTheIterationsOfAChildAcrossScenarios) {
  RunConfig c = Config(20);
  c.batch = 30;
  Runner runner = Make(c, Behavior::kSegfault);
  // 16 calibration iterations and 4 more: 20 in one child; the next scenario's first 16 would
  // make 36.
  for (const char* name : {"calm-1", "calm-2", "calm-3"}) {
    const RunSummary s = runner.Run(Load(runner, CalmScenario(name)));
    EXPECT_FALSE(s.first_failure) << s.internal_error;
    EXPECT_EQ(s.iterations, 20u);
    EXPECT_EQ(s.children, 1u) << name;
  }
  c.batch = 0;
  Runner unbounded = Make(c, Behavior::kSegfault);
  uint32_t children = 0;
  for (const char* name : {"calm-1", "calm-2", "calm-3"})
    children += unbounded.Run(Load(unbounded, CalmScenario(name))).children;
  EXPECT_EQ(children, 1u);
}

TEST(IsolatedRunTest, OracleVerdictsComeThroughThePipeWithTheirTraces) {
  // No death: the crash-free twin's run in fork mode equals its in-process run.
  RunConfig c = Config(60);
  c.keep_going = true;
  c.isolate = false;
  Runner in_process = Make(c, Behavior::kNone);
  const Scenario s = Load(in_process, testing::WindowScenario());
  const RunSummary a = in_process.Run(s);
  c.isolate = true;
  c.batch = 9;
  Runner forked = Make(c, Behavior::kNone);
  const RunSummary b = forked.Run(s);
  EXPECT_EQ(b.iterations, a.iterations);
  EXPECT_EQ(b.violations, a.violations);
  EXPECT_EQ(b.strategy, a.strategy);
  EXPECT_EQ(b.stop, a.stop);
}

TEST(IsolatedRunTest, AFailedCheckIsACrashNamingTheCheck) {
  Runner runner = Make(Config(5), Behavior::kCheck);
  const RunSummary summary = runner.Run(Load(runner, testing::kAlwaysScenario));
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Violation& v = summary.first_failure->violation;
  EXPECT_EQ(summary.first_failure->iteration, 0u);
  EXPECT_EQ(v.kind, ViolationKind::kCrash);
  EXPECT_EQ(v.op, "gc");
  EXPECT_EQ(v.site.rfind("check:", 0), 0u) << v.site;
  EXPECT_NE(v.site.find("BreakCheck"), std::string::npos) << v.site;
  EXPECT_NE(v.message.find("GCS_CHECK failed: holds (the faulty target's check)"),
            std::string::npos)
      << v.message;
  EXPECT_NE(summary.first_failure->evidence.find("GCS_CHECK failed"), std::string::npos);
  EXPECT_EQ(summary.first_failure->evidence_file, "crash.txt");
}

TEST(IsolatedRunTest, AHangIsAHangVerdictWithEachThreadsLastStepAndExitCode4) {
  RunConfig c = Config(3);
  c.step_timeout = std::chrono::milliseconds(300);
  Runner runner = Make(c, Behavior::kHang);
  const RunSummary summary = runner.Run(Load(runner, testing::kAlwaysScenario));
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Failure& f = *summary.first_failure;
  EXPECT_EQ(f.iteration, 0u);
  EXPECT_EQ(f.violation.kind, ViolationKind::kHang);
  EXPECT_EQ(f.violation.Signature(), "hang/gc/step/-");
  EXPECT_EQ(ExitCodeForVerdict(f.violation), ExitCode::kHang);
  EXPECT_NE(f.violation.message.find("t1 at step 1 (gc)"), std::string::npos)
      << f.violation.message;
  EXPECT_EQ(f.violation.message.rfind("no schedule progress for 300 ms: ", 0), 0u)
      << f.violation.message;
}

TEST(IsolatedRunTest, TheInProcessWatchdogPrintsTheHangAndExits4) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  RunConfig c = Config(3);
  c.isolate = false;
  c.step_timeout = std::chrono::milliseconds(300);
  EXPECT_EXIT(
      {
        Runner runner = Make(c, Behavior::kHang);
        runner.Run(Load(runner, testing::kAlwaysScenario));
      },
      ::testing::ExitedWithCode(static_cast<int>(ExitCode::kHang)),
      "hang/gc/step/-: no schedule progress for 300 ms: t1 at step 1 \\(gc\\)");
}

TEST(IsolatedRunTest, AnASanDoubleFreeIsADoubleFreeVerdict) {
  if (!Sanitized("address")) GTEST_SKIP() << "needs an ASan build";
  Runner runner = Make(Config(5), Behavior::kDoubleFree);
  const RunSummary summary = runner.Run(Load(runner, testing::kAlwaysScenario));
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Failure& f = *summary.first_failure;
  EXPECT_EQ(f.violation.kind, ViolationKind::kDoubleFree);
  EXPECT_EQ(f.violation.op, "gc");
  EXPECT_NE(f.violation.site.find("FreeTwice"), std::string::npos) << f.violation.site;
  EXPECT_NE(f.violation.message.find("AddressSanitizer: attempting double-free"), std::string::npos)
      << f.violation.message;
  EXPECT_EQ(f.evidence_file, "sanitizer.txt");
  EXPECT_NE(f.evidence.find("ERROR: AddressSanitizer: attempting double-free"), std::string::npos);
  // No address of the report leaks into what must be deterministic.
  EXPECT_EQ(f.violation.message.find("0x"), std::string::npos) << f.violation.message;
  EXPECT_EQ(f.violation.Signature().find("0x"), std::string::npos);
}

TEST(IsolatedRunTest, AnUndefinedBehaviourReportIsItsVerdict) {
  if (!Sanitized("undefined")) GTEST_SKIP() << "needs a UBSan build";
  Runner runner = Make(Config(5), Behavior::kOverflow);
  const RunSummary summary = runner.Run(Load(runner, testing::kAlwaysScenario));
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Violation& v = summary.first_failure->violation;
  EXPECT_EQ(v.kind, ViolationKind::kUndefinedBehavior);
  EXPECT_NE(v.site.find("Overflow"), std::string::npos) << v.site;
  EXPECT_NE(v.message.find("signed integer overflow"), std::string::npos) << v.message;
}

TEST(IsolatedRunTest, ALeakOnlyLeakSanitizerSeesIsALeakVerdict) {
  if (!Sanitized("address")) GTEST_SKIP() << "needs an ASan (LeakSanitizer) build";
  Runner runner = Make(Config(5), Behavior::kLeak);
  const RunSummary summary = runner.Run(Load(runner, testing::kAlwaysScenario));
  ASSERT_TRUE(summary.first_failure) << summary.internal_error;
  const Violation& v = summary.first_failure->violation;
  EXPECT_EQ(summary.first_failure->iteration, 0u);
  EXPECT_EQ(v.kind, ViolationKind::kLeak);
  EXPECT_NE(v.site.find("Leak"), std::string::npos) << v.site;
}

TEST(IsolatedRunTest, ALeakFoundAtTheEndOfABatchIsHuntedDownToItsIteration) {
  if (!Sanitized("address")) GTEST_SKIP() << "needs an ASan (LeakSanitizer) build";
  const Chosen& chosen = ChosenSeed();
  ASSERT_FALSE(chosen.hits.empty());
  // Only the executions whose gc lands in the window leak; the batch-end check sees a leak
  // somewhere in the batch, and the hunt finds the first such execution, whatever the batch.
  for (uint64_t batch : {uint64_t{0}, uint64_t{30}}) {
    RunConfig c = Config(100, chosen.seed);
    c.batch = batch;
    Runner runner = Make(c, Behavior::kLeak);
    const RunSummary summary = runner.Run(Load(runner, testing::WindowScenario()));
    ASSERT_TRUE(summary.first_failure) << summary.internal_error;
    const Failure& f = *summary.first_failure;
    EXPECT_EQ(f.iteration, chosen.hits[0]) << batch;
    EXPECT_EQ(summary.iterations, chosen.hits[0] + 1);
    EXPECT_EQ(f.violation.kind, ViolationKind::kLeak);
    EXPECT_NE(f.violation.site.find("Leak"), std::string::npos) << f.violation.site;
    EXPECT_EQ(f.evidence_file, "sanitizer.txt");
  }
}

TEST(IsolatedRunTest, ADataRaceInFreeModeIsADataRaceVerdict) {
  if (!Sanitized("thread")) GTEST_SKIP() << "needs a TSan build";
  // Free mode is real parallelism and not reproducible: TSan sees the race only in a child whose
  // two gc steps overlap in time, which some children (seen: about half, on a loaded machine)
  // never manage. Up to 10 runs, each a fresh child.
  RunSummary summary;
  for (uint64_t seed = 1; seed <= 10 && !summary.first_failure; ++seed) {
    RunConfig c = Config(20, seed);
    c.strategy = "free";
    Runner runner = Make(c, Behavior::kRace);
    summary = runner.Run(Load(runner, testing::kRaceScenario));
    ASSERT_TRUE(summary.internal_error.empty()) << summary.internal_error;
  }
  ASSERT_TRUE(summary.first_failure);
  const Violation& v = summary.first_failure->violation;
  EXPECT_EQ(v.kind, ViolationKind::kDataRace);
  EXPECT_EQ(v.op, "");
  EXPECT_EQ(v.site, "gcs::testing::Race") << v.site;
}

}  // namespace
}  // namespace gcs
