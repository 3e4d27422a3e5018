// gcstress tests — ProgressPage: what a child writes is what its parent reads, after the child is
// gone; the decision log round-trips a schedule and says when it overflowed.
#include "harness/isolation/progress_page.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gcs::isolation {
namespace {

TEST(ProgressPageTest, TheScheduleWrittenIsTheScheduleRead) {
  auto region = PageRegion::Create(/*shared=*/false);
  ASSERT_TRUE(region.ok());
  region->BeginExecution(42, 3);
  region->SetSpec("pct:depth=3,steps=9");
  const std::vector<sched::Decision> decisions = {sched::ThreadDecision(1), sched::DrawDecision(77),
                                                  sched::ThreadDecision(0),
                                                  sched::DrawDecision(~uint64_t{0})};
  for (const sched::Decision& d : decisions)
    region->AppendDecision(d);
  sched::Schedule s;
  EXPECT_TRUE(region->ReadSchedule(&s));
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.strategy, "pct:depth=3,steps=9");
  EXPECT_EQ(s.decisions, decisions);
  EXPECT_EQ(region->page().num_threads.load(), 3u);
  EXPECT_EQ(region->page().state.load(), static_cast<uint32_t>(ExecState::kSetup));
  // A new execution forgets the old one's decisions, not the progress counter.
  const uint64_t progress = region->page().progress.load();
  region->BeginExecution(43, 1);
  EXPECT_TRUE(region->ReadSchedule(&s));
  EXPECT_TRUE(s.decisions.empty());
  EXPECT_GT(region->page().progress.load(), progress);
}

TEST(ProgressPageTest, ALogThatOverflowsSaysSo) {
  auto region = PageRegion::Create(/*shared=*/false, 64 * 1024);
  ASSERT_TRUE(region.ok());
  region->BeginExecution(1, 1);
  const size_t capacity = region->DecisionCapacity();
  ASSERT_GT(capacity, 100u);
  for (size_t i = 0; i < capacity + 5; ++i)
    region->AppendDecision(sched::ThreadDecision(i % 2));
  sched::Schedule s;
  EXPECT_FALSE(region->ReadSchedule(&s));
  EXPECT_EQ(s.decisions.size(), capacity);
}

TEST(ProgressPageTest, ASharedPageOutlivesTheChildThatWroteIt) {
  auto region = PageRegion::Create(/*shared=*/true);
  ASSERT_TRUE(region.ok());
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    region->page().iteration.store(17);
    region->BeginExecution(99, 2);
    region->SetSpec("random");
    region->AppendDecision(sched::ThreadDecision(1));
    region->page().threads[1].step.store(4);
    region->SetScenario(3, "gen-42");
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  sched::Schedule s;
  EXPECT_TRUE(region->ReadSchedule(&s));
  EXPECT_EQ(region->page().iteration.load(), 17u);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_EQ(s.strategy, "random");
  ASSERT_EQ(s.decisions.size(), 1u);
  EXPECT_EQ(region->page().threads[1].step.load(), 4u);
  // The scenario the child named, as its watcher numbered it.
  EXPECT_EQ(region->page().scenario.load(), 3u);
  EXPECT_EQ(region->ScenarioName(), "gen-42");
  // Reset: as new, for the next child.
  region->Reset();
  EXPECT_EQ(region->page().iteration.load(), kNoIteration);
  EXPECT_EQ(region->page().stop_at.load(), kNoIteration);
  EXPECT_EQ(region->page().fatal.claimed.load(), 0u);
  EXPECT_EQ(region->page().scenario.load(), 0u);
  EXPECT_EQ(region->ScenarioName(), "");
}

TEST(ProgressPageTest, LongSpecsAndSummariesAreCutNotOverrun) {
  auto region = PageRegion::Create(/*shared=*/false);
  ASSERT_TRUE(region.ok());
  region->SetSpec(std::string(1000, 'x'));
  EXPECT_EQ(region->Spec().size(), ProgressPage::kMaxSpec);
  region->SetScenario(1, std::string(1000, 'y'));
  EXPECT_EQ(region->ScenarioName(), std::string(ProgressPage::kMaxScenarioName, 'y'));
  char field[4] = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(CopyBounded(field, 3, "wxyz", 4), 3u);
  EXPECT_EQ(std::string(field, 4), "wxyd");
}

}  // namespace
}  // namespace gcs::isolation
