// gcstress tests — Judge: the deadlock verdict's fields and message, and the oracles' verdicts.
#include "harness/runner/judge.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "harness/targets/core/core_target.h"

namespace gcs {
namespace {

Scenario TwoThreads() {
  CoreTarget target;
  LoadOptions options;
  options.known_faults = target.FaultNames();
  auto s = LoadScenarioText(R"({"format": 1, "name": "two",
    "threads": {"t1": [{"op": "attach"}, {"op": "destroy_vm", "vm": "b"}],
                "t2": [{"op": "switch_vm", "vm": "b"}, {"op": "attach"}]}})",
                            "two.json", options);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

TraceEntry Begin(uint32_t thread, uint32_t step) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kStepBegin;
  e.thread = thread;
  e.step = step;
  return e;
}

TEST(JudgeTest, DeadlockNamesEveryBlockedThreadItsStepAndWhatItWaitsFor) {
  const Scenario s = TwoThreads();
  Execution e;
  e.outcome = sched::ExecutionResult::Outcome::kDeadlock;
  e.trace.entries = {Begin(0, 0), Begin(1, 0), Begin(0, 1), Begin(1, 1)};
  e.blocked = {{0, core::MakeResource(core::ResourceKind::kVmQuiesce, 1)},
               {1, core::MakeResource(core::ResourceKind::kVmLock, 0)}};
  const Violation v = DeadlockViolation(s, e);
  EXPECT_EQ(v.kind, ViolationKind::kDeadlock);
  EXPECT_EQ(v.thread, 0u);
  EXPECT_EQ(v.step, 1u);
  EXPECT_EQ(v.op, "destroy_vm");
  EXPECT_EQ(v.phase, "deadlock");
  EXPECT_EQ(v.site, "vm-quiesce");
  EXPECT_EQ(v.trace_index, 4u);
  EXPECT_EQ(v.Signature(), "deadlock/destroy_vm/deadlock/vm-quiesce");
  EXPECT_EQ(v.message,
            "deadlock: t1 at step 1 (destroy_vm b) waits for b to quiesce; t2 at step 1 (attach) "
            "waits for the vm-lock of main");
}

TEST(JudgeTest, ACompletedExecutionOfTheFixedCoreHasNoVerdict) {
  CoreTarget target;
  Judge judge(target, {});
  EXPECT_GT(judge.OracleCount(), 0u);
  EXPECT_NE(judge.Observer(), nullptr);
  const Scenario s = TwoThreads();
  Execution e;
  EXPECT_FALSE(judge.Verdict(s, e).has_value());
  e.outcome = sched::ExecutionResult::Outcome::kDeadlock;
  e.blocked = {{1, core::MakeResource(core::ResourceKind::kVmLock, 0)}};
  const auto v = judge.Verdict(s, e);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, ViolationKind::kDeadlock);
  EXPECT_EQ(v->message, "deadlock: t2 waits for the vm-lock of main");  // no step begun
}

}  // namespace
}  // namespace gcs
