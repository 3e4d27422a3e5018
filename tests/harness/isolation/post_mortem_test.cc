// gcstress tests — PostMortem on hand-filled pages: which evidence wins, where it struck, and
// that the verdict's stable parts carry nothing from the raw report.
#include "harness/isolation/post_mortem.h"

#include <gtest/gtest.h>

#include <csignal>

#include "harness/scenario/scenario_loader.h"

namespace gcs::isolation {
namespace {

constexpr const char* kScenario = R"({
  "format": 1, "name": "pm",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "gc"}, {"op": "detach"}],
    "t2": [{"op": "yield"}, {"op": "enumerate"}],
    "w": [{"op": "yield"}]
  }
})";

class PostMortemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadScenarioText(kScenario, "pm.json", LoadOptions{});
    ASSERT_TRUE(s.ok()) << s.error().Format();
    scenario_ = std::move(s).value();
    auto r = PageRegion::Create(/*shared=*/false);
    ASSERT_TRUE(r.ok());
    region_.emplace(std::move(r).value());
    // Iteration 9: t1 inside step 2 (gc), t2 after step 0, w not started; t1 runs.
    page().iteration = 9;
    region_->BeginExecution(1234, 3);
    region_->SetSpec("pct:depth=3,steps=7");
    region_->AppendDecision(sched::ThreadDecision(0));
    page().state = static_cast<uint32_t>(ExecState::kSteps);
    Set(0, ThreadState::kInStep, 2);
    Set(1, ThreadState::kBetweenSteps, 0);
    page().running = 0;
  }

  ProgressPage& page() { return region_->page(); }
  void Set(uint32_t t, ThreadState state, uint32_t step) {
    page().threads[t].state = static_cast<uint32_t>(state);
    page().threads[t].step = step;
  }
  DeathInput Input() {
    DeathInput in;
    in.scenario = &scenario_;
    in.region = &*region_;
    in.step_timeout = std::chrono::milliseconds(250);
    return in;
  }

  Scenario scenario_;
  std::optional<PageRegion> region_;
};

TEST_F(PostMortemTest, AHangNamesEveryThreadsLastStep) {
  DeathInput in = Input();
  in.hung = true;
  in.exit.signal = SIGKILL;
  EXPECT_TRUE(DiedInExecution(*region_));
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.iteration, 9u);
  EXPECT_EQ(d.verdict.Signature(), "hang/gc/step/-");
  EXPECT_EQ(d.verdict.thread, 0u);
  EXPECT_EQ(d.verdict.step, 2u);
  EXPECT_EQ(d.verdict.message,
            "no schedule progress for 250 ms: t1 at step 2 (gc); t2 after step 0 (yield); w not "
            "started");
  EXPECT_EQ(d.schedule.seed, 1234u);
  EXPECT_EQ(d.schedule.strategy, "pct:depth=3,steps=7");
  EXPECT_EQ(d.schedule.decisions.size(), 1u);
}

TEST_F(PostMortemTest, AnUnrecordedSignalIsACrashOfTheRunningThread) {
  DeathInput in = Input();
  in.exit.signal = SIGBUS;
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "crash/gc/step/sigbus");
  EXPECT_NE(d.verdict.message.find("SIGBUS"), std::string::npos);
  EXPECT_NE(d.verdict.message.find("t1 at step 2 (gc)"), std::string::npos);
}

TEST_F(PostMortemTest, TheRecordedEventsThreadWinsOverTheRunningOne) {
  FatalEvent& f = page().fatal;
  f.signal = SIGSEGV;
  f.exec_state = static_cast<uint32_t>(ExecState::kSteps);
  f.thread = 1;
  f.thread_state = static_cast<uint32_t>(ThreadState::kInStep);
  f.step = 1;
  f.claimed = 2;
  DeathInput in = Input();
  in.exit.signal = SIGSEGV;
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "crash/enumerate/step/sigsegv");
  EXPECT_EQ(d.verdict.thread, 1u);
  EXPECT_EQ(d.verdict.step, 1u);
}

TEST_F(PostMortemTest, ASanitizerReportOutranksTheHangThatFollowed) {
  page().reports = 1;
  DeathInput in = Input();
  in.hung = true;
  in.exit.signal = SIGKILL;
  const std::string text =
      "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x60200000 at pc 0x1\n"
      "READ of size 8 at 0x60200000 thread T1\n"
      "    #0 0x1 in gcs::core::Object::Incref(long) /src/core/object.cc:4:2\n"
      "SUMMARY: AddressSanitizer: heap-use-after-free /src/core/object.cc:4:2 in x\n";
  in.stderr_text = text;
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "use-after-free/gc/step/gcs::core::Object::Incref");
  EXPECT_EQ(d.evidence_file, "sanitizer.txt");
  EXPECT_EQ(d.evidence, text);
  EXPECT_EQ(d.verdict.message.find("0x"), std::string::npos) << d.verdict.message;
}

TEST_F(PostMortemTest, ADataRaceHasNoOp) {
  page().reports = 1;
  DeathInput in = Input();
  in.exit.exited = true;
  in.exit.code = 66;
  in.stderr_text =
      "WARNING: ThreadSanitizer: data race (pid=9)\n"
      "  Write of size 8 at 0x7b by thread T2:\n"
      "    #0 gcs::A() /s/a.cc:1 (x+0x1)\n"
      "  Previous read of size 8 at 0x7b by thread T1:\n"
      "    #0 gcs::B() /s/b.cc:1 (x+0x2)\n";
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "data-race/-/step/gcs::A+gcs::B");
}

TEST_F(PostMortemTest, AFailedCheckIsACheckCrash) {
  DeathInput in = Input();
  in.exit.signal = SIGABRT;
  in.stderr_text = "noise\n/src/core/heap.cc:12: GCS_CHECK failed: live (freed twice)\n";
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "crash/gc/step/check");
  EXPECT_EQ(
      d.verdict.message.rfind("/src/core/heap.cc:12: GCS_CHECK failed: live (freed twice)", 0), 0u)
      << d.verdict.message;
  EXPECT_EQ(d.evidence_file, "crash.txt");
}

TEST_F(PostMortemTest, TeardownAndAnExitCode) {
  page().state = static_cast<uint32_t>(ExecState::kTeardown);
  page().running = 3;
  DeathInput in = Input();
  in.exit.exited = true;
  in.exit.code = 7;
  const DeathReport d = PostMortem(in);
  EXPECT_EQ(d.verdict.Signature(), "crash/-/teardown/exit-7");
  EXPECT_EQ(d.verdict.thread, 3u);  // threads.size(): teardown
}

TEST_F(PostMortemTest, BetweenExecutionsIsNotAnExecutionsDeath) {
  page().state = static_cast<uint32_t>(ExecState::kIdle);
  EXPECT_FALSE(DiedInExecution(*region_));
  page().reports = 1;  // unless a sanitizer reported during one
  EXPECT_TRUE(DiedInExecution(*region_));
}

}  // namespace
}  // namespace gcs::isolation
