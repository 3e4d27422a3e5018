// gcstress tests — CheckExpectations: pass entries, violation entries, implicit pass, mismatches.
#include "harness/runner/expect_check.h"

#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/harness/runner/lock_target.h"

namespace gcs {
namespace {

using testing::LockTarget;

RunConfig Config() {
  RunConfig c;
  c.target = "lock";
  c.strategy = "pct";
  c.seed = 3;
  c.iterations = 2000;
  c.jobs = 1;
  return c;
}

Scenario Load(const std::string& text) {
  LoadOptions options;
  options.known_faults = {"slow"};
  options.target = "lock";
  auto s = LoadScenarioText(text, "test.json", options);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

std::string WithExpect(const std::string& scenario, const std::string& expect) {
  std::string s = scenario;
  s.insert(s.rfind('}'), ", \"expect\": " + expect);
  return s;
}

TEST(ExpectCheckTest, AViolationEntryHoldsWhenItsKindShowsUp) {
  const Scenario s = Load(
      WithExpect(testing::kLockOrderScenario, R"([{"faults": ["slow"], "result": "deadlock"}])"));
  auto results = CheckExpectations(s, Config(), LockTarget::Factory());
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  const ExpectationResult& r = (*results)[0];
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.mismatch);
  EXPECT_FALSE(r.implicit);
  ASSERT_TRUE(r.summary.first_failure);
  EXPECT_EQ(r.summary.first_failure->violation.kind, ViolationKind::kDeadlock);
}

TEST(ExpectCheckTest, APassEntryFailsOnTheFirstViolation) {
  const Scenario s =
      Load(WithExpect(testing::kLockOrderScenario, R"([{"faults": [], "result": "pass"}])"));
  auto results = CheckExpectations(s, Config(), LockTarget::Factory());
  ASSERT_TRUE(results.ok());
  const ExpectationResult& r = (*results)[0];
  EXPECT_FALSE(r.ok);
  ASSERT_TRUE(r.mismatch);
  EXPECT_EQ(r.mismatch->kind, ViolationKind::kExpectMismatch);
  const Failure& f = *r.summary.first_failure;
  EXPECT_EQ(r.mismatch->message, "expected pass under [], got deadlock at iteration " +
                                     std::to_string(f.iteration) + " (" + f.violation.Signature() +
                                     ")");
}

TEST(ExpectCheckTest, AViolationEntryThatNeverShowsUpIsAMismatch) {
  const Scenario s = Load(R"({"format": 1, "name": "calm",
    "threads": {"a": [{"op": "attach"}, {"op": "detach"}], "b": [{"op": "yield"}]},
    "expect": [{"faults": [], "result": "double-free"}]})");
  RunConfig c = Config();
  c.iterations = 100;
  auto results = CheckExpectations(s, c, LockTarget::Factory());
  ASSERT_TRUE(results.ok());
  const ExpectationResult& r = (*results)[0];
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.mismatch->message, "expected double-free under [], got pass after 100 iterations");
  EXPECT_EQ(r.mismatch->Signature(), "expect-mismatch/-/expect/-");
}

TEST(ExpectCheckTest, NoExpectBlockMeansItMustPassOnTheFixedTarget) {
  const Scenario s = Load(R"({"format": 1, "name": "calm",
    "threads": {"a": [{"op": "attach"}, {"op": "detach"}]}})");
  RunConfig c = Config();
  c.iterations = 10;
  auto results = CheckExpectations(s, c, LockTarget::Factory());
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_TRUE((*results)[0].implicit);
  EXPECT_TRUE((*results)[0].ok);
  EXPECT_EQ((*results)[0].summary.iterations, 10u);
}

TEST(ExpectCheckTest, EntriesRunInFileOrderWithTheirOwnFaults) {
  const Scenario s = Load(WithExpect(
      testing::kLockOrderScenario,
      R"([{"faults": ["slow"], "result": "deadlock"}, {"faults": [], "result": "pass"}])"));
  auto results = CheckExpectations(s, Config(), LockTarget::Factory());
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].expectation.faults, std::vector<std::string>{"slow"});
  EXPECT_TRUE((*results)[0].ok);
  EXPECT_TRUE((*results)[1].expectation.faults.empty());
  EXPECT_FALSE((*results)[1].ok);
}

TEST(ExpectCheckTest, BadConfigIsAnError) {
  const Scenario s = Load(testing::kLockOrderScenario);
  RunConfig c = Config();
  c.strategy = "nope";
  auto results = CheckExpectations(s, c, LockTarget::Factory());
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(results.error().Format().rfind("<flag>: --strategy: unknown strategy \"nope\"", 0), 0u);
}

}  // namespace
}  // namespace gcs
