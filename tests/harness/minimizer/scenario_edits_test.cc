// gcstress minimizer — tests: scenario edits: each result is valid, with what it broke repaired.
#include "harness/minimizer/scenario_edits.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/scenario/scenario_encoder.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

using testing::CoreLoadOptions;

Scenario Load(const std::string& text) {
  auto s = LoadScenarioText(text, "test.json", CoreLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

// The steps of a thread as trace lines, for compact expectations.
std::string Steps(const Scenario& s, const std::string& thread) {
  std::string out;
  for (const Step& step : s.threads[*s.FindThread(thread)].steps)
    out += (out.empty() ? "" : "; ") + FormatStep(s, step);
  return out;
}

const char* kProgram = R"({
  "format": 1, "name": "edits",
  "threads": {
    "t0": [{"op": "new", "as": "a", "type": "subclass"}, {"op": "new", "as": "h"},
           {"op": "register", "obj": "a", "held": "h", "as": "tok"},
           {"op": "set", "obj": "a", "field": 2, "to": "h"},
           {"op": "switch_vm", "vm": "v1"}, {"op": "gc", "vm": "v1"},
           {"op": "spawn", "worker": "w1"}],
    "t1": [{"op": "clone", "obj": "a", "as": "c"}, {"op": "unregister", "token": "tok"},
           {"op": "export", "obj": "c", "vm": "v1", "as": "p"}, {"op": "call", "obj": "p", "from": "h"},
           {"op": "destroy_vm", "vm": "v1"}],
    "w1": {"worker": true, "steps": [{"op": "yield"}]},
    "w2": {"worker": true, "steps": []}
  }
})";

TEST(ScenarioEditsTest, RevalidateIsTheLoadersView) {
  const Scenario s = Load(kProgram);
  auto back = Revalidate(s, CoreLoadOptions());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, s);
  LoadOptions cpython = CoreLoadOptions();
  cpython.supported_ops = *BuiltinTargetOps("cpython");
  EXPECT_FALSE(Revalidate(s, cpython).has_value());  // export is not a cpython op
}

TEST(ScenarioEditsTest, RemovingABindingRemovesTheStepsThatNeedItAndClearsOptionalUses) {
  const Scenario s = Load(kProgram);
  // Without "new h": register keeps its target (held cleared), set a[2] = h goes, call keeps
  // its proxy (from cleared).
  auto out = RemoveStep(s, 0, 1, CoreLoadOptions());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(Steps(*out, "t0"),
            "new subclass -> a; register a -> tok; switch_vm v1; gc v1; spawn w1");
  EXPECT_EQ(Steps(*out, "t1"),
            "clone a -> c; unregister tok; export c to v1 -> p; call p; destroy_vm v1");
  EXPECT_FALSE(out->FindVar("h").has_value());
}

TEST(ScenarioEditsTest, RemovalCascades) {
  const Scenario s = Load(kProgram);
  // Without "new a": register a, set a[..], clone a -> c go; then export c, then call p.
  auto out = RemoveStep(s, 0, 0, CoreLoadOptions());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(Steps(*out, "t0"), "new -> h; switch_vm v1; gc v1; spawn w1");
  EXPECT_EQ(Steps(*out, "t1"), "destroy_vm v1");
}

TEST(ScenarioEditsTest, RemovingTheSwitchThatIntroducesAVmRepairsItsUses) {
  const Scenario s = Load(kProgram);
  auto out = RemoveStep(s, 0, 4, CoreLoadOptions());
  ASSERT_TRUE(out.has_value());
  // gc's vm is optional: cleared. export and destroy_vm need it: gone, and call with them.
  EXPECT_EQ(Steps(*out, "t0"),
            "new subclass -> a; new -> h; register a held h -> tok; set a[2] = h; gc; spawn w1");
  EXPECT_EQ(Steps(*out, "t1"), "clone a -> c; unregister tok");
}

TEST(ScenarioEditsTest, TruncateKeepsAPrefixOfEachThread) {
  const Scenario s = Load(kProgram);
  const uint32_t keep[] = {2, 1, 0, 0};
  auto out = TruncateThreads(s, keep, CoreLoadOptions());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->TotalSteps(), 3u);
  EXPECT_EQ(Steps(*out, "t1"), "clone a -> c");
  EXPECT_EQ(out->threads.size(), 4u);  // threads stay, empty
}

TEST(ScenarioEditsTest, RemovingAThreadsStepsRemovesTheThreadUnlessSomethingNamesIt) {
  const Scenario s = Load(kProgram);
  bool removed = false;
  auto out = RemoveThreadSteps(s, 1, &removed, CoreLoadOptions());  // t1: nothing names it
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(removed);
  EXPECT_FALSE(out->FindThread("t1").has_value());
  // w1 moved down one index: t0's spawn still names it.
  EXPECT_EQ(Steps(*out, "t0"),
            "new subclass -> a; new -> h; register a held h -> tok; set a[2] = h; switch_vm v1; "
            "gc v1; spawn w1");
  out = RemoveThreadSteps(s, 2, &removed, CoreLoadOptions());  // w1: t0 spawns it
  ASSERT_TRUE(out.has_value());
  EXPECT_FALSE(removed);
  EXPECT_TRUE(out->threads[2].steps.empty());
}

TEST(ScenarioEditsTest, OnlyEmptyUnnamedThreadsCanGo) {
  const Scenario s = Load(kProgram);
  EXPECT_FALSE(RemoveEmptyThread(s, 0, CoreLoadOptions()).has_value());  // has steps
  EXPECT_FALSE(RemoveEmptyThread(s, 2, CoreLoadOptions()).has_value());  // w1 has a step
  auto out = RemoveEmptyThread(s, 3, CoreLoadOptions());                 // w2: empty, unnamed
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->threads.size(), 3u);
  Scenario named = s;
  named.threads[0].steps[5].vm = named.threads[3].vm;  // gc w2: now something names w2's VM
  named = *Revalidate(named, CoreLoadOptions());
  EXPECT_FALSE(RemoveEmptyThread(named, 3, CoreLoadOptions()).has_value());
}

TEST(ScenarioEditsTest, ArgumentEditsSimplifyOneArgumentEach) {
  const Scenario s = Load(kProgram);
  const std::vector<ArgumentEdit> edits = ArgumentEdits(s);
  using K = ArgumentEdit::Kind;
  ASSERT_EQ(edits.size(), 6u);
  EXPECT_EQ(edits[0].kind, K::kPlainType);  // new subclass
  EXPECT_EQ(edits[1].kind, K::kClearHeld);  // register held
  EXPECT_EQ(edits[2].kind, K::kClearAs);    // register as
  EXPECT_EQ(edits[3].kind, K::kFieldZero);  // set a[2]
  EXPECT_EQ(edits[4].kind, K::kClearVm);    // gc v1
  EXPECT_EQ(edits[5].kind, K::kClearFrom);  // call from
  EXPECT_EQ(ArgumentWeight(s), 6u);
  auto out = ApplyArgumentEdit(s, edits[2], CoreLoadOptions());  // no token: unregister goes too
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(Steps(*out, "t1"), "clone a -> c; export c to v1 -> p; call p from h; destroy_vm v1");
  out = ApplyArgumentEdit(s, edits[3], CoreLoadOptions());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(FormatStep(*out, out->threads[0].steps[3]), "set a[0] = h");
  EXPECT_EQ(ArgumentWeight(*out), ArgumentWeight(s) - 1);
}

}  // namespace
}  // namespace gcs
