// gcstress scheduler — tests: strategy: the strategies.def table, MakeStrategy specs and errors.
#include "harness/scheduler/strategy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gcs::sched {
namespace {

TEST(ListStrategies, ListsTheTableInOrderWithParameters) {
  std::vector<std::string> names;
  for (const StrategyInfo& s : ListStrategies()) {
    names.emplace_back(s.name);
    EXPECT_FALSE(s.help.empty()) << s.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"pct", "portfolio", "random", "round-robin", "dfs",
                                             "replay"}));

  const StrategyInfo& pct = ListStrategies()[0];
  ASSERT_EQ(pct.params.size(), 3u);
  EXPECT_EQ(pct.params[0].key, "depth");
  EXPECT_EQ(pct.params[0].default_value, 3u);
  EXPECT_EQ(pct.params[1].key, "steps");
  EXPECT_EQ(pct.params[2].key, "yields");
  EXPECT_EQ(pct.params[2].default_value, 0u);
  const StrategyInfo& dfs = ListStrategies()[4];
  ASSERT_EQ(dfs.params.size(), 1u);
  EXPECT_EQ(dfs.params[0].key, "max-preemptions");
  EXPECT_EQ(dfs.params[0].default_value, 2u);
  EXPECT_EQ(ListStrategies()[1].params.size(), 4u);  // portfolio
  EXPECT_TRUE(ListStrategies()[2].params.empty());
  EXPECT_FALSE(ListStrategies()[5].from_spec);
}

TEST(MakeStrategy, BuildsEachStrategyWithItsCanonicalSpec) {
  const std::pair<std::string, std::string> cases[] = {
      {"pct", "pct:depth=3,steps=64"},
      {"pct:depth=5", "pct:depth=5,steps=64"},
      {"pct:steps=10,depth=1", "pct:depth=1,steps=10"},
      {"random", "random"},
      {"round-robin", "round-robin"},
      {"dfs", "dfs:max-preemptions=2"},
      {"dfs:max-preemptions=0", "dfs:max-preemptions=0"},
  };
  for (const auto& [spec, canonical] : cases) {
    auto strategy = MakeStrategy(spec);
    ASSERT_TRUE(strategy.ok()) << spec << ": " << strategy.error().Format();
    EXPECT_EQ((*strategy)->Spec(), canonical);
    // The canonical spec rebuilds the same strategy.
    auto again = MakeStrategy(canonical);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)->Spec(), canonical);
  }
}

TEST(MakeStrategy, RejectsBadSpecsWithOneLineErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"x", "unknown strategy \"x\" (known: pct, portfolio, random, round-robin, dfs, replay)"},
      {"", "unknown strategy \"\" (known: pct, portfolio, random, round-robin, dfs, replay)"},
      {"PCT", "unknown strategy \"PCT\" (known: pct, portfolio, random, round-robin, dfs, replay)"},
      {"replay", "strategy \"replay\" needs a recorded schedule (use gcstress replay)"},
      {"pct:", "empty parameter in strategy \"pct\""},
      {"pct:depth=3,", "empty parameter in strategy \"pct\""},
      {"pct:width=3",
       "unknown parameter \"width\" for strategy \"pct\" (known: depth, steps, yields)"},
      {"random:seed=1", "unknown parameter \"seed\" for strategy \"random\" (known: none)"},
      {"pct:depth=0",
       "bad value \"0\" for pct parameter \"depth\" (expected an integer in [1, 32])"},
      {"pct:depth=33",
       "bad value \"33\" for pct parameter \"depth\" (expected an integer in [1, 32])"},
      {"pct:depth", "bad value \"\" for pct parameter \"depth\" (expected an integer in [1, 32])"},
      {"pct:depth=-1",
       "bad value \"-1\" for pct parameter \"depth\" (expected an integer in [1, 32])"},
      {"pct:depth=99999999999999999999999",
       "bad value \"99999999999999999999999\" for pct parameter \"depth\" (expected an integer "
       "in [1, 32])"},
      {"pct:depth=2,depth=3", "parameter \"depth\" given twice"},
      {"dfs:max-preemptions=65",
       "bad value \"65\" for dfs parameter \"max-preemptions\" (expected an integer in [0, 64])"},
  };
  for (const auto& [spec, message] : cases) {
    SCOPED_TRACE(spec);
    auto strategy = MakeStrategy(spec);
    ASSERT_FALSE(strategy.ok());
    EXPECT_EQ(strategy.error().file, "<flag>");
    EXPECT_EQ(strategy.error().where, "--strategy");
    EXPECT_EQ(strategy.error().message, message);
  }
}

}  // namespace
}  // namespace gcs::sched
