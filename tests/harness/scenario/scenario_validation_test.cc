// gcstress tests — ValidateDraft: one validation whichever reader made the draft, and a reader's
// stop reported at its place in document order.
#include "harness/scenario/scenario_validation.h"

#include <string>

#include <gtest/gtest.h>

#include "harness/scenario/json_input.h"
#include "harness/scenario/scenario_draft.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_json_reader.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

using ::gcs::testing::CoreLoadOptions;

ScenarioDraft ReadJson(const std::string& text) {
  Expected<nlohmann::ordered_json> json = ParseJson(text, "x.json", ScenarioJsonReadOptions());
  EXPECT_TRUE(json.ok()) << json.error().Format();
  return json.ok() ? DraftFromJson(*json) : ScenarioDraft{};
}

std::string Outcome(const ScenarioDraft& draft) {
  Expected<Scenario> s = ValidateDraft(draft, "x.json", "", CoreLoadOptions());
  return s.ok() ? "(loaded)" : s.error().Format();
}

std::string WithSteps(const std::string& steps) {
  return R"({"format": 1, "name": "t", "threads": {"t1": [)" + steps + "]}}";
}

// The same content through either reader is the same draft, and so the same scenario.
TEST(ScenarioValidationTest, BothReadersGiveOneDraftForEveryScenarioFile) {
  for (const std::filesystem::path& file : ::gcs::testing::ScenarioFiles()) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    const ScenarioDraft from_memory = DraftFromScenario(*s);
    const ScenarioDraft from_json = DraftFromJson(ScenarioToJson(*s));
    EXPECT_FALSE(from_json.stop.has_value()) << file;
    EXPECT_EQ(from_memory, from_json) << file;
    Expected<Scenario> validated = ValidateDraft(from_memory, "x.json", "", CoreLoadOptions());
    ASSERT_TRUE(validated.ok()) << validated.error().Format();
    EXPECT_EQ(*validated, *s) << file;
  }
}

// The reader stops at a value a draft cannot hold; the stop names its place in the passes.
TEST(ScenarioValidationTest, AReaderStopsAtItsFirstShapeError) {
  const ScenarioDraft draft =
      ReadJson(WithSteps(R"({"op": "new", "as": "o"}, {"op": "clone", "obj": "o", "as": 5})"));
  ASSERT_TRUE(draft.stop.has_value());
  EXPECT_EQ(draft.stop->stage, DraftStop::Stage::kField);
  EXPECT_EQ(draft.stop->a, 0u);  // thread t1
  EXPECT_EQ(draft.stop->b, 1u);  // step 1
  EXPECT_EQ(draft.stop->c, 1u);  // clone's second field, "as"
  EXPECT_EQ(draft.stop->pointer, "/threads/t1/1/as");
  EXPECT_EQ(draft.stop->message, "expected a string, got 5");
  ASSERT_EQ(draft.threads.size(), 1u);
  EXPECT_EQ(draft.threads[0].steps.size(), 2u);  // the step it stopped in is there
}

// Of a validation error and a reader's stop, the one earlier in document order is reported.
TEST(ScenarioValidationTest, TheFirstErrorInDocumentOrderWins) {
  // A bad variable name in clone's first field, a wrong type in its second.
  EXPECT_EQ(Outcome(ReadJson(WithSteps(R"({"op": "clone", "obj": "a b", "as": 5})"))),
            "x.json: /threads/t1/0/obj: variable name \"a b\" may only contain letters, digits, "
            "'_', '-' and '.'");
  // The other way round.
  EXPECT_EQ(Outcome(ReadJson(WithSteps(R"({"op": "clone", "obj": 5, "as": "a b"})"))),
            "x.json: /threads/t1/0/obj: expected a string, got 5");
  // An unknown worker in step 0 comes before an unknown op in step 1.
  EXPECT_EQ(Outcome(ReadJson(WithSteps(R"({"op": "spawn", "worker": "w9"}, {"op": "clnoe"})"))),
            "x.json: /threads/t1/0/worker: unknown worker \"w9\"");
  // A dangling variable (pass 4) comes after every step's shape (pass 3).
  EXPECT_EQ(Outcome(ReadJson(WithSteps(R"({"op": "use", "obj": "x"}, {"op": "clnoe"})"))),
            "x.json: /threads/t1/1/op: unknown op \"clnoe\"");
  // An unknown fault comes before an unknown result in the same entry.
  EXPECT_EQ(Outcome(ReadJson(R"({"format": 1, "name": "t", "threads": {"t1": []},
                                 "expect": [{"faults": ["nope"], "result": "bogus"}]})")),
            "x.json: /expect/0/faults/0: unknown fault \"nope\" for target \"core\"");
  // A scenario name's problem comes before "description"'s type.
  EXPECT_EQ(Outcome(ReadJson(R"({"format": 1, "name": "", "description": 3, "threads": {}})")),
            "x.json: /name: scenario name \"\" is empty");
}

// Past kMaxSteps the reader reads no further, and validation says why.
TEST(ScenarioValidationTest, TheStepLimitBoundsReading) {
  std::string steps;
  for (size_t i = 0; i <= kMaxSteps + 5; ++i)
    steps += std::string(i == 0 ? "" : ", ") + R"({"op": "yield"})";
  const ScenarioDraft draft = ReadJson(WithSteps(steps));
  EXPECT_FALSE(draft.stop.has_value());
  ASSERT_EQ(draft.threads.size(), 1u);
  EXPECT_EQ(draft.threads[0].steps.size(), kMaxSteps + 1);
  EXPECT_EQ(Outcome(draft), "x.json: /threads/t1/65536: more than 65536 steps in all threads");
}

}  // namespace
}  // namespace gcs
