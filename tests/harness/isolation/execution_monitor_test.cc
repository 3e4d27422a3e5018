// gcstress tests — ExecutionMonitor: the schedule it logs is exactly the one the controller
// records, every thread's last step is on the page, and the page goes back to idle.
#include "harness/isolation/execution_monitor.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "harness/targets/core/core_target.h"

namespace gcs::isolation {
namespace {

constexpr const char* kScenario = R"({
  "format": 1, "name": "monitored",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "yield"}, {"op": "drop", "obj": "a"},
           {"op": "gc"}, {"op": "detach"}],
    "t2": [{"op": "attach"}, {"op": "new", "as": "b"}, {"op": "gc"}, {"op": "detach"}],
    "t3": [{"op": "yield"}, {"op": "attach"}, {"op": "detach"}]
  }
})";

Scenario Load(const Target& target) {
  LoadOptions o;
  o.known_faults = target.FaultNames();
  o.target = std::string(target.Name());
  o.supported_ops = target.SupportedOps();
  auto s = LoadScenarioText(kScenario, "test.json", o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return std::move(s).value();
}

// Counts what the monitor forwards.
struct Counting : ExecutionObserver {
  size_t entries = 0;
  bool torn_down = false;
  void OnEntry(const TraceEntry&) override { ++entries; }
  void AfterTeardown(Target&, const Execution&) override { torn_down = true; }
};

TEST(ExecutionMonitorTest, TheLoggedScheduleIsTheRecordedOne) {
  CoreTarget target;
  Engine engine(target);
  const Scenario s = Load(target);
  auto region = PageRegion::Create(/*shared=*/false);
  ASSERT_TRUE(region.ok());
  ExecutionMonitor monitor(*region);
  for (const char* spec : {"pct", "random", "round-robin"}) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      auto strategy = sched::MakeStrategy(spec);
      ASSERT_TRUE(strategy.ok());
      Counting inner;
      monitor.SetIteration(seed);
      monitor.BeginExecution(seed, 3, "", &inner);
      const Execution e =
          engine.Run(s, {}, monitor.Wrap(**strategy), seed, EngineOptions{}, &monitor);
      monitor.Judging();
      EXPECT_EQ(region->page().state.load(), static_cast<uint32_t>(ExecState::kJudge));
      monitor.EndExecution();
      sched::Schedule logged;
      ASSERT_TRUE(region->ReadSchedule(&logged));
      EXPECT_EQ(logged, e.schedule) << spec << " seed " << seed;
      EXPECT_EQ(inner.entries, e.trace.entries.size());
      EXPECT_TRUE(inner.torn_down);
      EXPECT_EQ(region->page().iteration.load(), seed);
      EXPECT_EQ(region->page().state.load(), static_cast<uint32_t>(ExecState::kIdle));
      // Every thread ran to its end.
      for (uint32_t t = 0; t < 3; ++t) {
        EXPECT_EQ(region->page().threads[t].state.load(),
                  static_cast<uint32_t>(ThreadState::kFinished));
        EXPECT_EQ(region->page().threads[t].step.load() + 1, s.threads[t].steps.size());
        EXPECT_NE(region->page().threads[t].tid.load(), 0);
      }
    }
  }
}

TEST(ExecutionMonitorTest, ASpecOverrideIsRecordedInsteadOfTheStrategys) {
  CoreTarget target;
  Engine engine(target);
  const Scenario s = Load(target);
  auto region = PageRegion::Create(/*shared=*/false);
  ASSERT_TRUE(region.ok());
  ExecutionMonitor monitor(*region);
  auto strategy = sched::MakeStrategy("round-robin");
  ASSERT_TRUE(strategy.ok());
  monitor.BeginExecution(5, 3, "pct:depth=3,steps=12", nullptr);
  engine.Run(s, {}, monitor.Wrap(**strategy), 5, EngineOptions{}, &monitor);
  monitor.EndExecution();
  EXPECT_EQ(region->Spec(), "pct:depth=3,steps=12");
}

TEST(ExecutionMonitorTest, ProgressMovesWithEveryEntry) {
  CoreTarget target;
  Engine engine(target);
  const Scenario s = Load(target);
  auto region = PageRegion::Create(/*shared=*/false);
  ASSERT_TRUE(region.ok());
  ExecutionMonitor monitor(*region);
  auto strategy = sched::MakeStrategy("random");
  ASSERT_TRUE(strategy.ok());
  const uint64_t before = region->page().progress.load();
  monitor.BeginExecution(3, 3, "", nullptr);
  const Execution e = engine.Run(s, {}, monitor.Wrap(**strategy), 3, EngineOptions{}, &monitor);
  monitor.EndExecution();
  EXPECT_GE(region->page().progress.load() - before,
            e.trace.entries.size() + e.schedule.decisions.size());
}

}  // namespace
}  // namespace gcs::isolation
