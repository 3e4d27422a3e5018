// gcstress engine — tests: fibers and OS threads run a scenario the same way.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/generator/generator.h"
#include "harness/oracles/oracle_set.h"
#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/described_violations.h"
#include "tests/harness/fault_sets.h"

namespace gcs {
namespace {

using gcs::testing::DescribedViolations;
using gcs::testing::FixedCoreThenEachFault;
using gcs::testing::kAddressSanitizer;

// How scenario threads get a context of their own changes how a handoff is made, never which
// handoff: for generated scenarios under each strategy, with no fault and with each seed fault,
// the core on fibers (its default) and on OS threads give byte-identical traces, schedules,
// outcomes, survivors and verdicts.
TEST(EngineThreadingTest, FibersAndOsThreadsGiveTheSameExecution) {
  CoreTarget fiber_target;
  CoreTarget thread_target;
  ASSERT_FALSE(fiber_target.NeedsOsThreads());
  Engine fibers(fiber_target);
  Engine threads(thread_target, sched::Threading::kOsThreads);
  OracleSet fiber_oracles(fiber_target);
  OracleSet thread_oracles(thread_target);

  const std::vector<std::vector<std::string>> fault_sets = FixedCoreThenEachFault();
  GeneratorOptions options;
  options.supported_ops = fiber_target.SupportedOps();
  size_t violations = 0;
  size_t decisions = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Scenario scenario = GenerateScenario(seed, options);
    for (const char* spec : {"random", "pct", "dfs"}) {
      for (const std::vector<std::string>& faults : fault_sets) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", " + spec + ", faults " +
                     (faults.empty() ? "-" : faults[0]));
        auto a = sched::MakeStrategy(spec);
        auto b = sched::MakeStrategy(spec);
        ASSERT_TRUE(a.ok() && b.ok());
        fiber_oracles.Begin(scenario, fiber_target);
        const Execution x = fibers.Run(scenario, faults, **a, seed, {}, &fiber_oracles);
        thread_oracles.Begin(scenario, thread_target);
        const Execution y = threads.Run(scenario, faults, **b, seed, {}, &thread_oracles);
        ASSERT_EQ(FormatTrace(scenario, x.trace), FormatTrace(scenario, y.trace));
        EXPECT_EQ(sched::FormatSchedule(x.schedule), sched::FormatSchedule(y.schedule));
        EXPECT_EQ(x.outcome, y.outcome);
        EXPECT_EQ(x.live_after_teardown, y.live_after_teardown);
        const std::vector<std::string> found = DescribedViolations(fiber_oracles.All());
        EXPECT_EQ(found, DescribedViolations(thread_oracles.All()));
        violations += found.size();
        decisions += x.schedule.decisions.size();
      }
    }
  }
  EXPECT_GT(decisions, 1000u) << "too few interleavings to compare";
  if (!kAddressSanitizer) {
    EXPECT_GT(violations, 0u) << "no fault found anything: no verdict was compared";
  }
}

}  // namespace
}  // namespace gcs
