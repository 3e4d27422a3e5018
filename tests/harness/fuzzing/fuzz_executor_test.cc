// gcstress fuzzing — tests: fuzz cases run deterministically, pass on the fixed core, find every
// seed fault from bytes alone, and their repros replay.
#include "harness/fuzzing/fuzz_executor.h"

#include <gtest/gtest.h>

#include "fuzz_test_support.h"
#include "harness/fuzzing/fuzz_input_builder.h"
#include "harness/runner/repro_replay.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

using testing::RandomInputs;

std::unique_ptr<Target> Core() {
  return std::make_unique<CoreTarget>();
}

FuzzCase Decode(FuzzExecutor& ex, const std::vector<uint8_t>& bytes) {
  return DecodeFuzzInput(bytes.data(), bytes.size(), ex.decode_options());
}

TEST(FuzzExecutorTest, TheFixedCorePassesRandomInputs) {
  FuzzExecutor ex(Core(), {});
  for (const std::vector<uint8_t>& bytes : RandomInputs(11, 2000, 800)) {
    const FuzzCase c = Decode(ex, bytes);
    const FuzzRun run = ex.Run(c);
    ASSERT_FALSE(run.verdict.has_value())
        << run.verdict->Signature() << ": " << run.verdict->message;
    EXPECT_LE(run.schedule_bytes_used, c.schedule_bytes.size());
  }
}

TEST(FuzzExecutorTest, ACaseRunsTheSameEveryTime) {
  FuzzExecutor ex(Core(), {});
  for (const std::vector<uint8_t>& bytes : RandomInputs(12, 60, 800)) {
    const FuzzCase c = Decode(ex, bytes);
    const FuzzRun a = ex.Run(c);
    const FuzzRun b = ex.Run(c);
    EXPECT_EQ(a.execution.schedule, b.execution.schedule);
    EXPECT_EQ(a.execution.steps, b.execution.steps);
    EXPECT_EQ(a.execution.trace.entries.size(), b.execution.trace.entries.size());
    EXPECT_EQ(a.schedule_bytes_used, b.schedule_bytes_used);
    EXPECT_EQ(a.execution.schedule.seed, FuzzExecutionSeed());
    EXPECT_EQ(a.execution.schedule.strategy, "random");
  }
}

// What a case leaves behind for the next one is storage, never state: case B run right after
// case A gives the trace (allocation ids included), schedule and verdict B gives on an executor
// that never ran anything. With every seed fault on as well, so that verdicts are compared too.
TEST(FuzzExecutorTest, ACaseAfterAnotherRunsAsOnAFreshExecutor) {
  std::vector<std::vector<std::string>> fault_sets = {{}};
  for (const testing::SeedFault& fault : testing::LoadSeedFaults()) {
    if (testing::RunsInThisBuild(fault)) fault_sets.push_back({fault.fault});
  }
  const std::vector<std::vector<uint8_t>> inputs = RandomInputs(13, 40, 800);
  for (const std::vector<std::string>& faults : fault_sets) {
    SCOPED_TRACE(faults.empty() ? "no fault" : faults[0]);
    FuzzExecutor warm(Core(), faults);
    size_t verdicts = 0;
    for (size_t i = 1; i < inputs.size(); ++i) {
      const FuzzCase a = Decode(warm, inputs[i - 1]);
      const FuzzCase b = Decode(warm, inputs[i]);
      warm.Recycle(warm.Run(a));
      const FuzzRun after_a = warm.Run(b);
      FuzzExecutor fresh(Core(), faults);
      const FuzzRun alone = fresh.Run(b);
      ASSERT_EQ(FormatTrace(b.scenario, after_a.execution.trace),
                FormatTrace(b.scenario, alone.execution.trace))
          << "input " << i;
      EXPECT_EQ(after_a.execution.schedule, alone.execution.schedule);
      EXPECT_EQ(after_a.execution.live_after_teardown, alone.execution.live_after_teardown);
      EXPECT_EQ(after_a.schedule_bytes_used, alone.schedule_bytes_used);
      ASSERT_EQ(after_a.verdict.has_value(), alone.verdict.has_value()) << "input " << i;
      if (alone.verdict) {
        ++verdicts;
        EXPECT_EQ(after_a.verdict->Signature(), alone.verdict->Signature());
        EXPECT_EQ(after_a.verdict->message, alone.verdict->message);
        EXPECT_EQ(after_a.verdict->trace_index, alone.verdict->trace_index);
      }
      warm.Recycle(FuzzRun(after_a));
    }
    if (faults.empty()) {
      EXPECT_EQ(verdicts, 0u);
    }
  }
}

TEST(FuzzExecutorTest, ScheduleBytesSteerTheInterleaving) {
  FuzzExecutor ex(Core(), {});
  size_t differing = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const std::vector<uint8_t> zeros(64, 0), ones(64, 1);
    const FuzzCase a = Decode(ex, EncodeFuzzInput(seed, std::nullopt, ex.decode_options(), zeros));
    const FuzzCase b = Decode(ex, EncodeFuzzInput(seed, std::nullopt, ex.decode_options(), ones));
    ASSERT_TRUE(a.scenario.threads == b.scenario.threads);  // only the schedule bytes differ
    if (a.scenario.threads.size() < 2) continue;
    if (ex.Run(a).execution.schedule != ex.Run(b).execution.schedule) ++differing;
  }
  EXPECT_GT(differing, 5u);
}

// Random inputs until one shows `kind` under `fault`; the case and its run.
struct Found {
  bool found = false;
  uint64_t inputs = 0;
  FuzzCase fuzz_case;
  FuzzRun run;
};
Found Search(FuzzExecutor& ex, ViolationKind kind, uint64_t seed, size_t budget) {
  Found f;
  for (const std::vector<uint8_t>& bytes : RandomInputs(seed, budget, 600)) {
    ++f.inputs;
    FuzzCase c = Decode(ex, bytes);
    FuzzRun run = ex.Run(c);
    if (run.verdict && run.verdict->kind == kind) {
      f.found = true;
      f.fuzz_case = std::move(c);
      f.run = std::move(run);
      break;
    }
  }
  return f;
}

TEST(FuzzExecutorTest, BytesAloneFindEverySeedFaultAndTheReprosReplay) {
  for (const testing::SeedFault& fault : testing::LoadSeedFaults()) {
    SCOPED_TRACE(fault.fault);
    if (!testing::RunsInThisBuild(fault)) {
      std::printf("  %s: skipped (its runs touch freed memory, which ASan reports)\n",
                  fault.fault.c_str());
      continue;
    }
    FuzzExecutor ex(Core(), {fault.fault});
    const Found f = Search(ex, fault.kind, 21, 20000);
    ASSERT_TRUE(f.found) << "no " << ViolationName(fault.kind) << " in " << f.inputs << " inputs";
    std::printf("  %s: %s after %llu random inputs\n", fault.fault.c_str(),
                f.run.verdict->Signature().c_str(), static_cast<unsigned long long>(f.inputs));

    // The repro: through its text form, then replayed on a fresh target.
    const Repro repro = ex.MakeRepro(f.fuzz_case, f.run);
    Expected<Repro> parsed = ParseRepro(FormatRepro(repro), "<test>");
    ASSERT_TRUE(parsed.ok()) << parsed.error().Format();
    EXPECT_TRUE(*parsed == repro);
    EXPECT_EQ(parsed->faults, std::vector<std::string>{fault.fault});
    Executor replayer(Core(), OracleOptions{});
    const ReplayResult r = ReplayRepro(replayer, *parsed);
    EXPECT_TRUE(r.matches) << (r.run.verdict ? r.run.verdict->Signature() : "pass");
    EXPECT_FALSE(r.diverged_at.has_value());
  }
}

}  // namespace
}  // namespace gcs
