// gcstress tests — the timeline: columns in schedule order, lanes, lifetimes and histories, from
// a hand-built trace.
#include "harness/reporters/timeline.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"

namespace gcs::reporters {
namespace {

using Kind = TraceEntry::Kind;

Scenario TwoThreads() {
  auto s = LoadScenarioText(
      R"({"format": 1, "name": "tl", "threads": {
            "t0": [{"op": "new", "as": "a"}],
            "t1": [{"op": "clone", "obj": "a", "as": "b"}, {"op": "drop", "obj": "b"}]}})",
      "tl.json", LoadOptions{});
  EXPECT_TRUE(s.ok()) << s.error().Format();
  return *s;
}

TraceEntry Entry(Kind kind, uint32_t thread, uint32_t step = 0) {
  TraceEntry e;
  e.kind = kind;
  e.thread = thread;
  e.step = step;
  return e;
}

TraceEntry Event(uint32_t thread, core::EventKind kind, core::AllocId obj,
                 core::AllocId other = core::kNoAlloc, int64_t value = 0) {
  TraceEntry e = Entry(Kind::kEvent, thread);
  e.event.kind = kind;
  e.event.obj = obj;
  e.event.other = other;
  e.event.value = value;
  e.event.vm = 0;
  e.event.site = "test.site";
  return e;
}

TraceEntry Bound(Kind kind, uint32_t thread, uint32_t step, VarId var, core::AllocId obj) {
  TraceEntry e = Entry(kind, thread, step);
  e.var = var;
  e.value.obj = obj;
  return e;
}

// t0 makes #2 (type #1 came with the VM), t1 clones and drops it, teardown frees it twice.
Trace DoubleFreeTrace() {
  Trace t;
  t.entries = {
      Event(2, core::EventKind::kAlloc, 1),                      // 0  setup: a type object
      Event(2, core::EventKind::kTypeRegister, 1),               // 1
      Entry(Kind::kDecision, 0),                                 // 2
      Entry(Kind::kThreadStart, 0),                              // 3
      Entry(Kind::kStepBegin, 0, 0),                             // 4
      Event(0, core::EventKind::kAlloc, 2, 1),                   // 5
      Bound(Kind::kStepEnd, 0, 0, 0, 2),                         // 6  a=#2
      Entry(Kind::kDecision, 0),                                 // 7
      Entry(Kind::kStepBegin, 1, 0),                             // 8
      Event(1, core::EventKind::kIncref, 2, core::kNoAlloc, 2),  // 9
      Bound(Kind::kStepEnd, 1, 0, 1, 2),                         // 10  b=#2
      Entry(Kind::kStepBegin, 1, 1),                             // 11
      Entry(Kind::kStepEnd, 1, 1),                               // 12
      Bound(Kind::kDiscard, 1, 1, 1, 2),                         // 13 the drop lets b go
      Event(1, core::EventKind::kDecref, 2, core::kNoAlloc, 1),  // 14
      Entry(Kind::kThreadEnd, 1),                                // 15
      Entry(Kind::kTeardown, 2),                                 // 16
      Bound(Kind::kDiscard, 2, 0, 0, 2),                         // 17 teardown lets a go
      Event(2, core::EventKind::kFree, 2),                       // 18
      Event(2, core::EventKind::kFree, 2),                       // 19
  };
  return t;
}

TEST(TimelineTest, ColumnsFollowTheScheduleOnePerStep) {
  const Scenario s = TwoThreads();
  const Timeline t = BuildTimeline(s, DoubleFreeTrace());
  struct Want {
    uint32_t lane;
    int64_t step;
    std::string label, result, detail;
    uint64_t first, last;
  };
  const std::vector<Want> want = {
      {2, -1, "setup", "setup", "", 0, 1},         {0, 0, "new -> a", "ok", "a=#2", 4, 6},
      {1, 0, "clone a -> b", "ok", "b=#2", 8, 10}, {1, 1, "drop b", "ok", "", 11, 14},
      {2, -1, "teardown", "teardown", "", 16, 16}, {2, -1, "release a=#2", "teardown", "", 17, 19},
  };

  ASSERT_EQ(t.steps.size(), want.size());
  for (size_t c = 0; c < want.size(); ++c) {
    const StepEntry& col = t.steps[c];
    EXPECT_EQ(col.lane, want[c].lane) << c;
    EXPECT_EQ(col.step, want[c].step) << c;
    EXPECT_EQ(col.label, want[c].label) << c;
    EXPECT_EQ(col.result, want[c].result) << c;
    EXPECT_EQ(col.detail, want[c].detail) << c;
    EXPECT_EQ(col.first_entry, want[c].first) << c;
    EXPECT_EQ(col.last_entry, want[c].last) << c;
  }
  // The drop's release and decref come right after its end: they belong to it.
  EXPECT_EQ(t.steps[3].events,
            (std::vector<std::string>{"release b=#2", "decref #2 vm0 value=1 @test.site"}));
  EXPECT_EQ(t.steps[5].events.size(), 2u);
  // Decisions and thread starts point at the latest column.
  EXPECT_EQ(t.column_of_entry[2], 0);
  EXPECT_EQ(t.column_of_entry[7], 1);
  EXPECT_EQ(t.column_of_entry[15], 3);
}

TEST(TimelineTest, ThreadsListEveryStepWithItsColumn) {
  const Scenario s = TwoThreads();
  const Timeline t = BuildTimeline(s, DoubleFreeTrace());
  ASSERT_EQ(t.threads.size(), 2u);
  EXPECT_EQ(t.threads[0].name, "t0");
  ASSERT_EQ(t.threads[1].steps.size(), 2u);
  EXPECT_EQ(t.threads[1].steps[0].text, "clone a -> b");
  EXPECT_EQ(t.threads[1].steps[1].column, 3);
  EXPECT_EQ(t.threads[1].steps[1].result, "ok");
  // A trace cut short leaves the rest not run.
  Trace cut = DoubleFreeTrace();
  cut.entries.resize(9);
  const Timeline c = BuildTimeline(s, cut);
  EXPECT_EQ(c.threads[1].steps[0].result, "running");
  EXPECT_EQ(c.threads[1].steps[1].result, "not-run");
  EXPECT_EQ(c.threads[1].steps[1].column, -1);
}

TEST(TimelineTest, LifetimesFromAllocToFirstFree) {
  const Timeline t = BuildTimeline(TwoThreads(), DoubleFreeTrace());
  ASSERT_EQ(t.objects.size(), 2u);
  EXPECT_EQ(t.objects[0].id, 1u);
  EXPECT_TRUE(t.objects[0].type_object);
  EXPECT_EQ(t.objects[0].alloc_column, 0);
  EXPECT_EQ(t.objects[0].free_column, -1);
  EXPECT_EQ(t.objects[1].id, 2u);
  EXPECT_FALSE(t.objects[1].type_object);
  EXPECT_EQ(t.objects[1].alloc_column, 1);
  EXPECT_EQ(t.objects[1].free_column, 5);
  EXPECT_EQ(t.objects[1].frees, 2u);
}

TEST(TimelineTest, HistoryOfAnAllocationByThreadAndStep) {
  const Scenario s = TwoThreads();
  const Trace trace = DoubleFreeTrace();
  const Timeline t = BuildTimeline(s, trace);
  const std::vector<HistoryEntry> h = BuildHistories(s, trace, t, {2});
  std::vector<std::string> got;
  for (const HistoryEntry& e : h)
    got.push_back(e.thread + "/" + std::to_string(e.step) + "/" + e.what);
  EXPECT_EQ(got, (std::vector<std::string>{"t0/0/created", "t0/0/bound to a", "t1/0/incref -> 2",
                                           "t1/0/bound to b", "t1/1/released b", "t1/1/decref -> 1",
                                           "teardown/-1/released a", "teardown/-1/freed",
                                           "teardown/-1/freed"}));
  EXPECT_EQ(h.front().trace_index, 5u);
  EXPECT_EQ(h.front().text, "t0   alloc #2 other=#1 vm0 @test.site");
  // The type object's history shows it typed #2.
  const std::vector<HistoryEntry> type = BuildHistories(s, trace, t, {1});
  ASSERT_EQ(type.size(), 3u);
  EXPECT_EQ(type[0].thread, "setup");
  EXPECT_EQ(type[1].what, "type-register");
  EXPECT_EQ(type[2].what, "alloc of #2 (as its other object)");
}

}  // namespace
}  // namespace gcs::reporters
