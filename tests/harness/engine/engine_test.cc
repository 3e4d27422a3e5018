// gcstress tests — the engine: steps, skips, bindings, teardown, determinism, replay, free mode.
#include "harness/engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/replay.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/address_sanitizer.h"

namespace gcs {
namespace {

Scenario Load(const std::string& text) {
  LoadOptions options;
  CoreTarget target;
  options.known_faults = target.FaultNames();
  auto s = LoadScenarioText(text, "test.json", options);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

std::unique_ptr<sched::Strategy> Strategy(const std::string& spec) {
  auto s = sched::MakeStrategy(spec);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

// How many times each allocation was freed in the trace.
std::map<core::AllocId, int> Frees(const Trace& t) {
  std::map<core::AllocId, int> frees;
  for (const TraceEntry& e : t.entries) {
    if (e.kind == TraceEntry::Kind::kEvent && e.event.kind == core::EventKind::kFree) {
      ++frees[e.event.obj];
    }
  }
  return frees;
}

const char* kRefpool = R"({
  "format": 1, "name": "refpool",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "obj"}, {"op": "yield"},
           {"op": "drop", "obj": "obj"}, {"op": "detach"}, {"op": "attach"}, {"op": "detach"}],
    "t2": [{"op": "clone", "obj": "obj", "as": "c"}, {"op": "drop", "obj": "c"}]
  }
})";

TEST(EngineTest, RunsEveryStepAndTearsDownTheFixedCoreToNothing) {
  Scenario s = Load(R"({
    "format": 1, "name": "basic",
    "threads": {"t": [{"op": "new", "as": "a"}, {"op": "new", "as": "b"},
                      {"op": "set", "obj": "a", "field": 0, "to": "b"},
                      {"op": "set", "obj": "b", "field": 0, "to": "a"},
                      {"op": "weak", "obj": "a", "as": "w"}]}
  })");
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  Execution e = engine.Run(s, {}, *rr, 1, {});
  EXPECT_EQ(e.outcome, sched::ExecutionResult::Outcome::kCompleted);
  EXPECT_EQ(e.steps, 5u);
  EXPECT_TRUE(e.torn_down);
  EXPECT_TRUE(e.live_after_teardown.empty());  // the cycle was collected at teardown
  int ends = 0;
  for (const TraceEntry& t : e.trace.entries) {
    if (t.kind == TraceEntry::Kind::kStepEnd) {
      EXPECT_TRUE(t.error.empty()) << FormatTraceEntry(s, t, /*torn_down=*/false);
      ++ends;
    }
  }
  EXPECT_EQ(ends, 5);
  for (auto [id, n] : Frees(e.trace))
    EXPECT_EQ(n, 1) << id;
}

TEST(EngineTest, StepsOnUnboundVariablesAreSkippedAndRecorded) {
  Scenario s = Load(R"({
    "format": 1, "name": "skip",
    "threads": {"t": [{"op": "drop", "obj": "a"}, {"op": "new", "as": "a"},
                      {"op": "drop", "obj": "a"}, {"op": "use", "obj": "a"}]}
  })");
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  Execution e = engine.Run(s, {}, *rr, 1, {});
  std::vector<uint32_t> skipped;
  for (const TraceEntry& t : e.trace.entries) {
    if (t.kind == TraceEntry::Kind::kStepSkipped) skipped.push_back(t.step);
  }
  EXPECT_EQ(skipped, (std::vector<uint32_t>{0, 3}));
  const std::string text = FormatTrace(s, e.trace);
  EXPECT_NE(text.find("t step 3 skipped: a unbound"), std::string::npos) << text;
}

TEST(EngineTest, RebindingLetsGoOfTheOldValue) {
  Scenario s = Load(R"({
    "format": 1, "name": "rebind",
    "threads": {"t": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "a"},
                      {"op": "detach"}]}
  })");
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  Execution e = engine.Run(s, {}, *rr, 1, {});
  // The first object is freed by the rebinding, before teardown.
  size_t teardown_at = 0, first_free_at = 0;
  for (size_t i = 0; i < e.trace.entries.size(); ++i) {
    const TraceEntry& t = e.trace.entries[i];
    if (t.kind == TraceEntry::Kind::kTeardown) teardown_at = i;
    if (t.kind == TraceEntry::Kind::kEvent && t.event.kind == core::EventKind::kFree &&
        first_free_at == 0) {
      first_free_at = i;
    }
  }
  EXPECT_GT(first_free_at, 0u);
  EXPECT_LT(first_free_at, teardown_at);
}

TEST(EngineTest, ADropWhileAnotherThreadUsesTheValueWaitsForThatStep) {
  // t2's use of `a` blocks on the VM lock t1 holds; t1 drops `a` meanwhile. The handle t2 is
  // using must stay valid until t2's step is done: t2 lets it go.
  Scenario s = Load(R"({
    "format": 1, "name": "borrow",
    "threads": {
      "t1": [{"op": "new", "as": "a"}, {"op": "attach"}, {"op": "yield"},
             {"op": "drop", "obj": "a"}, {"op": "detach"}],
      "t2": [{"op": "use", "obj": "a"}]
    }
  })");
  CoreTarget target;
  Engine engine(target);
  int deferred = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto random = Strategy("random");
    Execution e = engine.Run(s, {}, *random, seed, {});
    ASSERT_EQ(e.outcome, sched::ExecutionResult::Outcome::kCompleted);
    for (auto [id, n] : Frees(e.trace))
      ASSERT_EQ(n, 1);
    for (const TraceEntry& t : e.trace.entries) {
      ASSERT_FALSE(t.kind == TraceEntry::Kind::kStepEnd && !t.error.empty())
          << FormatTraceEntry(s, t, /*torn_down=*/false);
      if (t.kind == TraceEntry::Kind::kDiscard && t.thread == 1) ++deferred;
    }
    EXPECT_TRUE(e.live_after_teardown.empty());
  }
  EXPECT_GT(deferred, 0) << "some schedule should have t2 let go of the value t1 dropped";
}

// The runtime's own thread builds the VMs before the scenario's threads run and lets go of the
// variables after them: its lines say which ("setup" before the teardown entry, "teardown" after).
TEST(EngineTest, TheTraceNamesTheRuntimesThreadSetupBeforeTeardownAndTeardownAfter) {
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  const std::vector<std::string> lines = FormatTraceLines(s, engine.Run(s, {}, *rr, 1, {}).trace);
  const auto teardown = std::find(lines.begin(), lines.end(), "teardown");
  ASSERT_NE(teardown, lines.end());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().rfind("setup ", 0), 0u) << lines.front();  // VM 0's construction
  int setup = 0, after = 0;
  for (auto it = lines.begin(); it != lines.end(); ++it) {
    const bool early = it < teardown;
    EXPECT_EQ(it->rfind(early ? "teardown " : "setup ", 0), std::string::npos) << *it;
    setup += early && it->rfind("setup ", 0) == 0;
    after += !early && it->rfind("teardown ", 0) == 0;
  }
  EXPECT_GT(setup, 0);
  EXPECT_GT(after, 0);  // the discards of obj and c
}

TEST(EngineTest, SameSeedSameTraceForEveryDeterministicStrategy) {
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  for (const char* spec : {"pct", "random", "round-robin", "dfs"}) {
    for (uint64_t seed : {1, 7, 99}) {
      auto a = Strategy(spec);
      auto b = Strategy(spec);
      const std::string first = FormatTrace(s, engine.Run(s, {}, *a, seed, {}).trace);
      const std::string second = FormatTrace(s, engine.Run(s, {}, *b, seed, {}).trace);
      EXPECT_EQ(first, second) << spec << " seed " << seed;
    }
  }
}

// A recycled execution's trace buffer is where the next Run records, and recording into it gives
// the same trace and schedule as a fresh engine does.
TEST(EngineTest, ARecycledTraceBufferIsReusedAndChangesNothing) {
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  CoreTarget fresh_target;
  Engine fresh(fresh_target);
  for (uint64_t seed : {1, 2, 3}) {
    auto a = Strategy("pct");
    Execution first = engine.Run(s, {}, *a, seed, {});
    ASSERT_FALSE(first.trace.entries.empty());
    const TraceEntry* storage = first.trace.entries.data();
    const size_t capacity = first.trace.entries.capacity();
    engine.Recycle(std::move(first));
    auto b = Strategy("pct");
    Execution second = engine.Run(s, {}, *b, seed + 10, {});
    auto c = Strategy("pct");
    Execution expected = fresh.Run(s, {}, *c, seed + 10, {});
    if (second.trace.entries.size() <= capacity) {
      EXPECT_EQ(second.trace.entries.data(), storage) << "the recycled buffer was not reused";
    }
    EXPECT_EQ(FormatTrace(s, second.trace), FormatTrace(s, expected.trace)) << seed;
    EXPECT_EQ(second.schedule.decisions, expected.schedule.decisions) << seed;
    engine.Recycle(std::move(second));
  }
}

TEST(EngineTest, ReplayOfARecordedScheduleReproducesTheTrace) {
  GCS_SKIP_UNDER_ASAN();
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  const std::vector<std::string> faults = {"refpool-deferred-incref"};
  for (uint64_t seed = 0; seed < 20; ++seed) {
    auto pct = Strategy("pct");
    Execution first = engine.Run(s, faults, *pct, seed, {});
    sched::ReplayStrategy replay(first.schedule);
    Execution again = engine.Run(s, faults, replay, seed, {});
    EXPECT_FALSE(replay.DivergedAt().has_value());
    EXPECT_EQ(FormatTrace(s, first.trace), FormatTrace(s, again.trace)) << seed;
  }
}

TEST(EngineTest, TheRefpoolFaultShowsAsASecondFreeUnderSomeSchedule) {
  GCS_SKIP_UNDER_ASAN();
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  int with_fault = 0, without = 0;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    auto pct = Strategy("pct");
    for (auto [id, n] : Frees(engine.Run(s, {"refpool-deferred-incref"}, *pct, seed, {}).trace)) {
      if (n > 1) ++with_fault;
    }
    auto pct2 = Strategy("pct");
    for (auto [id, n] : Frees(engine.Run(s, {}, *pct2, seed, {}).trace)) {
      if (n > 1) ++without;
    }
  }
  EXPECT_GT(with_fault, 0);
  EXPECT_EQ(without, 0);
}

TEST(EngineTest, SpawnStartsAWorkerAndTerminateStopsIt) {
  Scenario s = Load(R"({
    "format": 1, "name": "workers",
    "threads": {
      "main": [{"op": "spawn", "worker": "w"}, {"op": "yield"}, {"op": "terminate", "worker": "w"},
               {"op": "spawn", "worker": "w"}],
      "w": {"worker": true, "steps": [{"op": "new", "as": "x"}, {"op": "yield"},
                                      {"op": "yield"}, {"op": "yield"}]}
    }
  })");
  CoreTarget target;
  Engine engine(target);
  bool saw_stop = false;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    auto random = Strategy("random");
    Execution e = engine.Run(s, {}, *random, seed, {});
    ASSERT_EQ(e.outcome, sched::ExecutionResult::Outcome::kCompleted);
    bool w_started_after_spawn = false, spawn_done = false, second_spawn_skipped = false;
    for (const TraceEntry& t : e.trace.entries) {
      if (t.kind == TraceEntry::Kind::kStepEnd && t.thread == 0 && t.step == 0) spawn_done = true;
      if (t.kind == TraceEntry::Kind::kThreadStart && t.thread == 1) {
        w_started_after_spawn = spawn_done;
      }
      if (t.kind == TraceEntry::Kind::kThreadStop) saw_stop = true;
      if (t.kind == TraceEntry::Kind::kStepSkipped && t.thread == 0 && t.step == 3) {
        second_spawn_skipped = true;
      }
    }
    EXPECT_TRUE(w_started_after_spawn);
    EXPECT_TRUE(second_spawn_skipped);
    EXPECT_TRUE(e.live_after_teardown.empty());
  }
  EXPECT_TRUE(saw_stop);
}

TEST(EngineTest, FreeModeRunsThreadsInParallelAndTearsDown) {
  Scenario s = Load(kRefpool);
  CoreTarget target;
  Engine engine(target);
  EngineOptions free;
  free.free_mode = true;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto unused = Strategy("random");
    Execution e = engine.Run(s, {}, *unused, seed, free);
    ASSERT_TRUE(e.torn_down);
    EXPECT_EQ(e.schedule.strategy, "free");
    for (auto [id, n] : Frees(e.trace))
      ASSERT_EQ(n, 1);
    EXPECT_TRUE(e.live_after_teardown.empty());
  }
}

TEST(EngineTest, VmStepsBeforeTheVmExistsAreSkipped) {
  Scenario s = Load(R"({
    "format": 1, "name": "vms",
    "threads": {"t": [{"op": "gc", "vm": "v1"}, {"op": "switch_vm", "vm": "v1"},
                      {"op": "gc", "vm": "v1"}, {"op": "destroy_vm", "vm": "v1"}]}
  })");
  CoreTarget target;
  Engine engine(target);
  auto rr = Strategy("round-robin");
  Execution e = engine.Run(s, {}, *rr, 1, {});
  std::vector<std::string> lines;
  for (const TraceEntry& t : e.trace.entries) {
    if (t.kind == TraceEntry::Kind::kStepSkipped || t.kind == TraceEntry::Kind::kStepEnd) {
      lines.push_back(FormatTraceEntry(s, t, /*torn_down=*/false));
    }
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"t step 0 skipped: vm does not exist yet",
                                             "t step 1 ok", "t step 2 ok", "t step 3 ok"}));
}

}  // namespace
}  // namespace gcs
