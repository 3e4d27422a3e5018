// gcstress scenario — tests for the encoder: round trips, the canonical form, FormatStep.
#include "harness/scenario/scenario_encoder.h"

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

using ::gcs::testing::CoreLoadOptions;

Scenario MustLoad(std::string_view text) {
  Expected<Scenario> s = LoadScenarioText(text, "x.json", CoreLoadOptions());
  EXPECT_TRUE(s.ok()) << s.error().Format() << "\n" << text;
  return s.ok() ? *s : Scenario{};
}

TEST(ScenarioEncoderTest, EveryScenarioFileRoundTrips) {
  for (const std::filesystem::path& file : ::gcs::testing::ScenarioFiles()) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    std::string text = FormatScenario(*s);
    Expected<Scenario> again = LoadScenarioText(text, "formatted.json", CoreLoadOptions());
    ASSERT_TRUE(again.ok()) << again.error().Format() << "\n" << text;
    EXPECT_EQ(*again, *s) << file;
    Expected<Scenario> from_json = ScenarioFromJson(ScenarioToJson(*s), "j", "", CoreLoadOptions());
    ASSERT_TRUE(from_json.ok()) << from_json.error().Format();
    EXPECT_EQ(*from_json, *s) << file;
    EXPECT_EQ(FormatScenario(*again), text) << "FormatScenario is not stable for " << file;
  }
}

TEST(ScenarioEncoderTest, ExamplesAreInCanonicalForm) {
  for (const std::filesystem::path& file : ::gcs::testing::ExampleFiles()) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    EXPECT_EQ(FormatScenario(*s), ::gcs::testing::ReadTextFile(file)) << file;
  }
}

TEST(ScenarioEncoderTest, CanonicalJsonOrdersKeysAndOmitsDefaults) {
  Scenario s = MustLoad(R"({"threads": {
      "w": {"steps": [{"type": "subclass", "as": "o", "op": "new"}], "worker": true},
      "t": [{"to": "o", "field": 2, "obj": "o", "op": "set"}, {"op": "new", "as": "p", "type": "object"},
            {"op": "gc"}, {"op": "register", "obj": "o", "as": "k"}, {"op": "spawn", "worker": "w"}],
      "e": {"worker": false, "steps": []}},
    "expect": [{"result": "leak", "faults": ["gc-worklist-race"]}, {"result": "pass"}],
    "source": "", "name": "n", "format": 1})");
  EXPECT_EQ(
      ScenarioToJson(s).dump(),
      R"({"format":1,"name":"n","threads":{)"
      R"("w":{"worker":true,"steps":[{"op":"new","as":"o","type":"subclass"}]},)"
      R"("t":[{"op":"set","obj":"o","field":2,"to":"o"},{"op":"new","as":"p"},{"op":"gc"},)"
      R"({"op":"register","obj":"o","as":"k"},{"op":"spawn","worker":"w"}],)"
      R"("e":[]},)"
      R"("expect":[{"faults":["gc-worklist-race"],"result":"leak"},{"faults":[],"result":"pass"}]})");
  EXPECT_EQ(FormatScenario(s),
            "{\n"
            "  \"format\": 1,\n"
            "  \"name\": \"n\",\n"
            "  \"threads\": {\n"
            "    \"w\": {\"worker\": true, \"steps\": [\n"
            "      {\"op\": \"new\", \"as\": \"o\", \"type\": \"subclass\"}\n"
            "    ]},\n"
            "    \"t\": [\n"
            "      {\"op\": \"set\", \"obj\": \"o\", \"field\": 2, \"to\": \"o\"},\n"
            "      {\"op\": \"new\", \"as\": \"p\"},\n"
            "      {\"op\": \"gc\"},\n"
            "      {\"op\": \"register\", \"obj\": \"o\", \"as\": \"k\"},\n"
            "      {\"op\": \"spawn\", \"worker\": \"w\"}\n"
            "    ],\n"
            "    \"e\": []\n"
            "  },\n"
            "  \"expect\": [\n"
            "    {\"faults\": [\"gc-worklist-race\"], \"result\": \"leak\"},\n"
            "    {\"faults\": [], \"result\": \"pass\"}\n"
            "  ]\n"
            "}\n");
}

TEST(ScenarioEncoderTest, TextIsEscapedAndSurvivesTheRoundTrip) {
  Scenario s = MustLoad(R"({"format": 1, "name": "n",
      "description": "line one\nline \"two\" \\ \u00e9 \u0001", "source": "https://x/y?a=1&b=2",
      "threads": {"t": [{"op": "yield"}]}})");
  std::string text = FormatScenario(s);
  EXPECT_NE(text.find(R"("description": "line one\nline \"two\" \\ é \u0001",)"), std::string::npos)
      << text;
  EXPECT_EQ(MustLoad(text), s);
}

TEST(ScenarioEncoderTest, NormalizesAProgrammaticScenario) {
  // A generator or minimizer builds Scenarios directly; encoding and reloading renumbers
  // variables and VMs by first appearance and drops the unused ones.
  Scenario built;
  built.name = "built";
  built.vms = {"main", "unused", "vmA"};
  built.vars = {{"unused", BindKind::kHandle}, {"b", BindKind::kHandle}, {"a", BindKind::kHandle}};
  built.threads.push_back(
      ThreadSpec{"t",
                 false,
                 false,
                 0,
                 {Step{.op = Op::kNew, .as = 2}, Step{.op = Op::kClone, .obj = 2, .as = 1},
                  Step{.op = Op::kSwitchVm, .vm = 2}}});
  Expected<Scenario> normal = ScenarioFromJson(ScenarioToJson(built), "g", "", CoreLoadOptions());
  ASSERT_TRUE(normal.ok()) << normal.error().Format();
  EXPECT_EQ(normal->vars,
            (std::vector<VarSpec>{{"a", BindKind::kHandle}, {"b", BindKind::kHandle}}));
  EXPECT_EQ(normal->vms, (std::vector<std::string>{"main", "vmA"}));
  EXPECT_EQ(normal->threads[0].steps[1], (Step{.op = Op::kClone, .obj = 0, .as = 1}));
  EXPECT_EQ(FormatStep(built, built.threads[0].steps[1]),
            FormatStep(*normal, normal->threads[0].steps[1]));
}

TEST(ScenarioEncoderTest, FormatStepForEveryOp) {
  Scenario s = MustLoad(R"({"format": 1, "name": "all", "threads": {
    "t1": [
      {"op": "new", "as": "o"},
      {"op": "new", "as": "s", "type": "subclass"},
      {"op": "clone", "obj": "o", "as": "c"},
      {"op": "drop", "obj": "c"},
      {"op": "set", "obj": "o", "field": 1, "to": "s"},
      {"op": "clear", "obj": "o", "field": 3},
      {"op": "gc"},
      {"op": "gc", "vm": "vm1"},
      {"op": "enumerate"},
      {"op": "enumerate", "vm": "w1"},
      {"op": "weak", "obj": "o", "as": "w"},
      {"op": "upgrade", "weak": "w", "as": "h"},
      {"op": "register", "obj": "o", "held": "s", "as": "tok"},
      {"op": "register", "obj": "o"},
      {"op": "unregister", "token": "tok"},
      {"op": "export", "obj": "o", "vm": "w1", "as": "p"},
      {"op": "use", "obj": "p"},
      {"op": "call", "obj": "p", "from": "s"},
      {"op": "call", "obj": "p"},
      {"op": "release", "obj": "p"},
      {"op": "attach"},
      {"op": "detach"},
      {"op": "switch_vm", "vm": "vm1"},
      {"op": "destroy_vm", "vm": "vm1"},
      {"op": "spawn", "worker": "w1"},
      {"op": "terminate", "worker": "w1"},
      {"op": "yield"}
    ],
    "w1": {"worker": true, "steps": []}}})");
  const std::vector<std::string> expected = {
      "new -> o",
      "new subclass -> s",
      "clone o -> c",
      "drop c",
      "set o[1] = s",
      "clear o[3]",
      "gc",
      "gc vm1",
      "enumerate",
      "enumerate w1",
      "weak o -> w",
      "upgrade w -> h",
      "register o held s -> tok",
      "register o",
      "unregister tok",
      "export o to w1 -> p",
      "use p",
      "call p from s",
      "call p",
      "release p",
      "attach",
      "detach",
      "switch_vm vm1",
      "destroy_vm vm1",
      "spawn w1",
      "terminate w1",
      "yield",
  };
  ASSERT_EQ(s.threads.size(), 2u);
  ASSERT_EQ(s.threads[0].steps.size(), expected.size());
  std::set<Op> covered;
  std::set<std::string> distinct;
  for (size_t i = 0; i < expected.size(); ++i) {
    const Step& step = s.threads[0].steps[i];
    covered.insert(step.op);
    std::string line = FormatStep(s, step);
    EXPECT_EQ(line, expected[i]);
    EXPECT_TRUE(distinct.insert(line).second);
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  EXPECT_EQ(covered.size(), kOpCount) << "FormatStep table misses an op";
}

}  // namespace
}  // namespace gcs
