// gcstress oracles — what the oracles cost per execution and per trace entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "harness/oracles/oracle_set.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"
#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

constexpr uint64_t kExecutions = 2000;

// Two threads, weak references, a cycle and collections: a typical small scenario.
const char* kScenario = R"({
  "format": 1, "name": "overhead",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "o"}, {"op": "new", "as": "p"},
           {"op": "set", "obj": "o", "field": 0, "to": "p"},
           {"op": "set", "obj": "p", "field": 0, "to": "o"}, {"op": "weak", "obj": "o", "as": "w"},
           {"op": "drop", "obj": "p"}, {"op": "drop", "obj": "o"}, {"op": "gc"},
           {"op": "upgrade", "weak": "w", "as": "h"}, {"op": "drop", "obj": "h"},
           {"op": "detach"}],
    "t2": [{"op": "attach"}, {"op": "upgrade", "weak": "w", "as": "h2"},
           {"op": "use", "obj": "h2"}, {"op": "new", "as": "q"}, {"op": "drop", "obj": "h2"},
           {"op": "detach"}, {"op": "gc"}]
  }
})";

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds for kExecutions executions under random, with `oracles` attached (or none); the
// executions' traces are appended to `traces` when given.
double TimeRuns(Engine& engine, const Scenario& s, OracleSet* oracles, Target& target,
                uint64_t* entries, std::vector<Execution>* executions = nullptr) {
  auto random = sched::MakeStrategy("random");
  EXPECT_TRUE(random.ok());
  *entries = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t seed = 0; seed < kExecutions; ++seed) {
    if (oracles != nullptr) oracles->Begin(s, target);
    Execution e = engine.Run(s, {}, *random.value(), seed, {}, oracles);
    *entries += e.trace.entries.size();
    if (executions != nullptr) executions->push_back(std::move(e));
  }
  return Seconds(start);
}

TEST(OracleOverheadTest, OraclesCostLittleNextToRunningTheExecution) {
  const Scenario s = LoadCoreScenario(kScenario);
  CoreTarget target;
  Engine engine(target);
  OracleSet oracles(target);
  // End to end, alternating, best of three each: the machine is shared.
  double bare = 1e9, judged = 1e9;
  uint64_t bare_entries = 0, judged_entries = 0;
  std::vector<Execution> recorded;
  for (int round = 0; round < 3; ++round) {
    bare = std::min(bare, TimeRuns(engine, s, nullptr, target, &bare_entries,
                                   round == 0 ? &recorded : nullptr));
    judged = std::min(judged, TimeRuns(engine, s, &oracles, target, &judged_entries));
    EXPECT_FALSE(oracles.Verdict().has_value());
  }
  EXPECT_EQ(bare_entries, judged_entries) << "the oracles must not change the executions";

  // The oracles alone: the recorded traces fed straight to them (the target is queried only at
  // teardown here: the CoreTarget has ended, so Inspect answers from an empty runtime).
  ScriptedTarget offline;
  double feed = 1e9;
  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (const Execution& e : recorded) {
      oracles.Begin(s, offline);
      for (const TraceEntry& entry : e.trace.entries)
        oracles.OnEntry(entry);
      oracles.AfterTeardown(offline, e);
    }
    feed = std::min(feed, Seconds(start));
  }
  const double ns_per_entry = feed / static_cast<double>(bare_entries) * 1e9;
  std::printf(
      "[ oracles  ] 2-thread scenario, %llu executions of %.1f trace entries: %.0f exec/s "
      "without oracles, %.0f exec/s with (x%.2f); the oracles alone: %.0f ns per entry, "
      "%.1f us per execution\n",
      static_cast<unsigned long long>(kExecutions), static_cast<double>(bare_entries) / kExecutions,
      kExecutions / bare, kExecutions / judged, judged / bare, ns_per_entry,
      feed / kExecutions * 1e6);
  // Generous: catches a per-entry cost that grows with the trace (a scan per entry), not noise.
  EXPECT_LT(ns_per_entry, 20000.0);
}

}  // namespace
}  // namespace gcs::testing
