// gcstress tests — the wire form: an execution with its trace and a verdict survive the trip, the
// trace's texts re-homed; truncated input fails instead of reading past the end.
#include "harness/isolation/wire.h"

#include <gtest/gtest.h>

namespace gcs::isolation {
namespace {

Execution Sample() {
  Execution e;
  e.seed = 12345678901234567890u;
  e.free_mode = false;
  e.outcome = sched::ExecutionResult::Outcome::kDeadlock;
  e.schedule.seed = e.seed;
  e.schedule.strategy = "pct:depth=3,steps=9";
  e.schedule.decisions = {sched::ThreadDecision(1), sched::DrawDecision(99)};
  e.blocked = {{1, 0x100000002u}};
  e.strategy_exhausted = true;
  e.torn_down = false;
  e.live_after_teardown = {7, 9};
  e.steps = 11;
  TraceEntry step;
  step.kind = TraceEntry::Kind::kStepEnd;
  step.thread = 1;
  step.step = 3;
  step.var = 2;
  step.error = "terminated";
  step.value = Value{4, 77};
  TraceEntry event;
  event.kind = TraceEntry::Kind::kEvent;
  event.site = "reference_pool.apply";
  event.event.kind = core::EventKind{};
  event.event.vm = 1;
  event.event.current_vm = 2;
  event.event.thread = 1;
  event.event.obj = 77;
  event.event.other = 78;
  event.event.value = -3;
  event.event.aux = 5;
  event.event.site = "reference_pool.apply";
  e.trace.entries = {step, event};
  return e;
}

TEST(WireTest, AnExecutionAndItsTraceRoundTrip) {
  const Execution e = Sample();
  WireWriter w;
  PutExecution(w, e);
  std::string bytes = w.Take();
  TraceStrings strings;
  WireReader r(bytes);
  const Execution back = GetExecution(r, strings);
  ASSERT_TRUE(r.AtEnd());
  EXPECT_EQ(back.seed, e.seed);
  EXPECT_EQ(back.outcome, e.outcome);
  EXPECT_EQ(back.schedule, e.schedule);
  EXPECT_EQ(back.blocked, e.blocked);
  EXPECT_TRUE(back.strategy_exhausted);
  EXPECT_EQ(back.live_after_teardown, e.live_after_teardown);
  EXPECT_EQ(back.steps, 11u);
  ASSERT_EQ(back.trace.entries.size(), 2u);
  const TraceEntry& s = back.trace.entries[0];
  EXPECT_EQ(s.kind, TraceEntry::Kind::kStepEnd);
  EXPECT_EQ(s.error, "terminated");
  EXPECT_EQ(s.var, 2);
  EXPECT_EQ(s.value.obj, 77u);
  const TraceEntry& ev = back.trace.entries[1];
  EXPECT_STREQ(ev.site, "reference_pool.apply");
  EXPECT_EQ(ev.event.value, -3);
  EXPECT_EQ(ev.event.current_vm, 2);
  // The texts live in `strings`, once each, not in the (gone) sender's memory.
  EXPECT_EQ(strings.size(), 2u);
  bytes.assign(bytes.size(), '\0');
  EXPECT_STREQ(ev.event.site, "reference_pool.apply");
}

TEST(WireTest, AVerdictRoundTrips) {
  Violation v;
  v.kind = ViolationKind::kUseAfterFree;
  v.message = "m";
  v.thread = 2;
  v.step = 5;
  v.op = "use";
  v.phase = "step";
  v.site = "gcs::core::Object::Incref";
  v.obj = 9;
  v.trace_index = 40;
  WireWriter w;
  PutViolation(w, v);
  WireReader r(w.bytes());
  const Violation back = GetViolation(r);
  EXPECT_TRUE(r.AtEnd());
  EXPECT_EQ(back.Signature(), v.Signature());
  EXPECT_EQ(back.message, "m");
  EXPECT_EQ(back.thread, 2u);
  EXPECT_EQ(back.step, 5u);
  EXPECT_EQ(back.obj, 9u);
  EXPECT_EQ(back.trace_index, 40u);
}

TEST(WireTest, TruncatedInputFailsAndReadsNothingPastTheEnd) {
  WireWriter w;
  PutExecution(w, Sample());
  for (size_t cut : {size_t{0}, size_t{5}, w.bytes().size() / 2, w.bytes().size() - 1}) {
    const std::string part = w.bytes().substr(0, cut);
    WireReader r(part);
    TraceStrings strings;
    (void)GetExecution(r, strings);
    EXPECT_FALSE(r.ok()) << cut;
  }
  WireWriter big;
  big.U32(1000000);  // a string length with nothing after it
  WireReader r(big.bytes());
  EXPECT_EQ(r.Str(), "");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace gcs::isolation
