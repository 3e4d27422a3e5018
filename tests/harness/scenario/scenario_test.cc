// gcstress scenario — tests for the Scenario model's lookups.
#include "harness/scenario/scenario.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

Scenario TwoThreads() {
  Scenario s;
  s.name = "s";
  s.vms = {"main", "w"};
  s.vars = {{"a", BindKind::kHandle}, {"w", BindKind::kWeak}};
  s.threads.push_back(ThreadSpec{"t", false, false, 0, {Step{.op = Op::kNew, .as = 0}}});
  s.threads.push_back(
      ThreadSpec{"w", true, false, 1, {Step{.op = Op::kWeak, .obj = 0, .as = 1}, Step{}, Step{}}});
  return s;
}

TEST(ScenarioTest, Lookups) {
  Scenario s = TwoThreads();
  EXPECT_EQ(s.TotalSteps(), 4u);
  EXPECT_EQ(s.FindThread("w"), 1u);
  EXPECT_FALSE(s.FindThread("x").has_value());
  EXPECT_EQ(s.FindVar("w"), VarId{1});
  EXPECT_FALSE(s.FindVar("t").has_value());
  EXPECT_EQ(s.FindVm("w"), int16_t{1});
  EXPECT_EQ(s.FindVm("main"), int16_t{0});
  EXPECT_FALSE(s.FindVm("t").has_value());
  EXPECT_EQ(Scenario{}.TotalSteps(), 0u);
}

// A scenario written in code with its own numbering (the generator numbers variables and VMs as
// it creates them, and never sets `spawned`): CompleteAsLoaded makes it what its text loads as.
TEST(ScenarioTest, CompleteAsLoadedGivesWhatTheTextLoadsAs) {
  Scenario s;
  s.name = "s";
  s.vms = {"main", "w", "v1", "v2"};  // v2 appears first (t), v1 second (w)
  s.vars = {{"unused", BindKind::kHandle},
            {"b", BindKind::kHandle},
            {"a", BindKind::kHandle},
            {"k", BindKind::kWeak}};
  s.threads.push_back(
      ThreadSpec{"t",
                 false,
                 false,
                 0,
                 {Step{.op = Op::kNew, .as = 2}, Step{.op = Op::kSwitchVm, .vm = 3},
                  Step{.op = Op::kSpawn, .worker = 1}, Step{.op = Op::kWeak, .obj = 2, .as = 3},
                  Step{.op = Op::kDestroyVm, .vm = 2}}});
  s.threads.push_back(ThreadSpec{
      "w", true, false, 1, {Step{.op = Op::kNew, .as = 1}, Step{.op = Op::kSwitchVm, .vm = 2}}});
  CompleteAsLoaded(s);
  Expected<Scenario> loaded =
      LoadScenarioText(FormatScenario(s), "s.json", testing::CoreLoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  EXPECT_EQ(s, *loaded);
  EXPECT_EQ(s.vars,
            (std::vector<VarSpec>{
                {"a", BindKind::kHandle}, {"k", BindKind::kWeak}, {"b", BindKind::kHandle}}));
  EXPECT_EQ(s.vms, (std::vector<std::string>{"main", "w", "v2", "v1"}));
  EXPECT_TRUE(s.threads[1].spawned);
  EXPECT_FALSE(s.threads[0].spawned);
  EXPECT_EQ(s.threads[0].steps[4].vm, 3);  // destroy_vm v1, renumbered with it
}

TEST(ScenarioTest, DefaultStepUsesNoSlot) {
  Step step;
  EXPECT_EQ(step.obj, kNoVar);
  EXPECT_EQ(step.as, kNoVar);
  EXPECT_EQ(step.field, -1);
  EXPECT_EQ(step.vm, -1);
  EXPECT_EQ(step.worker, -1);
  EXPECT_EQ(step.type, ObjType::kObject);
  EXPECT_EQ(step, Step{});
  Step other;
  other.field = 0;
  EXPECT_NE(step, other);
}

TEST(ScenarioTest, StepVarSlotsCoverExactlyTheVariableFields) {
  Step step;
  for (const FieldInfo& info : kFieldTable) {
    VarId* slot = StepVarSlot(step, info.field);
    bool is_var = info.kind == FieldKind::kHandleVar || info.kind == FieldKind::kWeakVar ||
                  info.kind == FieldKind::kTokenVar || info.kind == FieldKind::kBindVar;
    EXPECT_EQ(slot != nullptr, is_var) << info.json;
    if (slot != nullptr) {
      EXPECT_EQ(*slot, kNoVar);
      *slot = static_cast<VarId>(info.field);  // every slot distinct
    }
  }
  EXPECT_EQ(step.obj, static_cast<VarId>(Field::kObj));
  EXPECT_EQ(step.as, static_cast<VarId>(Field::kAs));
  EXPECT_EQ(step.to, static_cast<VarId>(Field::kTo));
  EXPECT_EQ(step.weak, static_cast<VarId>(Field::kWeak));
  EXPECT_EQ(step.held, static_cast<VarId>(Field::kHeld));
  EXPECT_EQ(step.token, static_cast<VarId>(Field::kToken));
  EXPECT_EQ(step.from, static_cast<VarId>(Field::kFrom));
}

TEST(ScenarioTest, ObjTypeNames) {
  EXPECT_EQ(ObjTypeName(ObjType::kObject), "object");
  EXPECT_EQ(ObjTypeName(ObjType::kSubclass), "subclass");
  EXPECT_EQ(ObjTypeFromName("subclass"), ObjType::kSubclass);
  EXPECT_EQ(ObjTypeFromName("object"), ObjType::kObject);
  EXPECT_FALSE(ObjTypeFromName("Subclass").has_value());
}

TEST(ScenarioTest, EqualityComparesEveryPart) {
  Scenario a = TwoThreads();
  Scenario b = a;
  EXPECT_EQ(a, b);
  b.threads[1].spawned = true;
  EXPECT_NE(a, b);
  b = a;
  b.expect.push_back(Expectation{{}, std::nullopt});
  EXPECT_NE(a, b);
  b = a;
  b.vars[1].kind = BindKind::kToken;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace gcs
