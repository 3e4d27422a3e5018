// gcstress tests — sanitizer reports: found in stderr, classified, their site taken from the
// first own frame, nothing with an address kept.
#include "harness/isolation/sanitizer_report.h"

#include <gtest/gtest.h>

namespace gcs::isolation {
namespace {

// Shaped like clang-14's reports (addresses, pids and paths as they come).
constexpr const char* kAsanDoubleFree = R"(noise from the target before the report
=================================================================
==4242==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T2:
    #0 0x4c6f5d in operator delete(void*) (/build/gcs_runner_test+0x4c6f5d) (BuildId: 1234abcd)
    #1 0x55d0c5 in gcs::testing::(anonymous namespace)::FreeTwice() /work/main/tests/harness/runner/faulty_target.cc:33:3
    #2 0x55d1a0 in gcs::testing::FaultyTarget::Apply(gcs::StepRequest const&) /work/main/tests/harness/runner/faulty_target.cc:80:7
    #3 0x7f0a1b2c3d4e in start_thread (/lib/x86_64-linux-gnu/libc.so.6+0x8aaef)

0x602000000010 is located 0 bytes inside of 4-byte region [0x602000000010,0x602000000014)
freed by thread T2 here:
    #0 0x4c6f5d in operator delete(void*) (/build/gcs_runner_test+0x4c6f5d)
    #1 0x55d0b0 in gcs::testing::(anonymous namespace)::FreeTwice() /work/main/tests/harness/runner/faulty_target.cc:32:3

SUMMARY: AddressSanitizer: double-free (/build/gcs_runner_test+0x4c6f5d) in operator delete(void*)
==4242==ABORTING
)";

constexpr const char* kAsanUseAfterFree =
    R"(=================================================================
==77==ERROR: AddressSanitizer: heap-use-after-free on address 0x6080000000a0 at pc 0x55e1 bp 0x7ffc sp 0x7ff8
WRITE of size 8 at 0x6080000000a0 thread T1
    #0 0x55e1 in gcs::core::Object::Incref(long) /work/main/core/object.cc:41:14
    #1 0x55f2 in gcs::core::ReferencePool::Apply(gcs::core::Vm&) /work/main/core/reference_pool.cc:88:9
SUMMARY: AddressSanitizer: heap-use-after-free /work/main/core/object.cc:41:14 in gcs::core::Object::Incref(long)
)";

constexpr const char* kTsanRace = R"(==================
WARNING: ThreadSanitizer: data race (pid=31337)
  Write of size 8 at 0x7b0c00000018 by thread T2 (mutexes: write M7):
    #0 gcs::core::Vm::Enumerate(std::vector<unsigned long>*) /work/main/core/vm.cc:210:25 (gcstress+0x4f1234)
    #1 gcs::CoreTarget::Apply(gcs::StepRequest const&) /work/main/harness/targets/core/core_target.cc:99:5 (gcstress+0x4f2000)

  Previous read of size 8 at 0x7b0c00000018 by thread T1:
    #0 gcs::core::CycleCollector::Collect(gcs::core::Vm&) /work/main/core/cycle_collector.cc:150:30 (gcstress+0x4e0000)
    #1 gcs::CoreTarget::Apply(gcs::StepRequest const&) /work/main/harness/targets/core/core_target.cc:97:5 (gcstress+0x4f2000)

  Location is heap block of size 64 at 0x7b0c00000000 allocated by thread T1:
    #0 operator new(unsigned long) <null> (gcstress+0x4a0000)
    #1 gcs::core::Heap::Allocate() /work/main/core/heap.cc:20:3 (gcstress+0x4d0000)

SUMMARY: ThreadSanitizer: data race /work/main/core/vm.cc:210:25 in gcs::core::Vm::Enumerate(std::vector<unsigned long>*)
==================
)";

// The same race, reported from the other side: the threads came the other way round.
constexpr const char* kTsanRaceSwapped = R"(==================
WARNING: ThreadSanitizer: data race (pid=4)
  Read of size 8 at 0x7b0c00000018 by thread T1:
    #0 gcs::core::CycleCollector::Collect(gcs::core::Vm&) /work/main/core/cycle_collector.cc:150:30 (gcstress+0x4e0000)

  Previous write of size 8 at 0x7b0c00000018 by thread T2 (mutexes: write M7):
    #0 gcs::core::Vm::Enumerate(std::vector<unsigned long>*) /work/main/core/vm.cc:210:25 (gcstress+0x4f1234)

SUMMARY: ThreadSanitizer: data race /work/main/core/cycle_collector.cc:150:30 in gcs::core::CycleCollector::Collect(gcs::core::Vm&)
==================
)";

constexpr const char* kUbsan =
    R"(/work/main/tests/harness/runner/faulty_target.cc:45:14: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'
    #0 0x55aa in gcs::testing::(anonymous namespace)::Overflow() /work/main/tests/harness/runner/faulty_target.cc:45:14
    #1 0x55bb in gcs::testing::FaultyTarget::Apply(gcs::StepRequest const&) /work/main/tests/harness/runner/faulty_target.cc:90:7
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /work/main/tests/harness/runner/faulty_target.cc:45:14 in
)";

constexpr const char* kLsan = R"(
=================================================================
==900==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 64 byte(s) in 1 object(s) allocated from:
    #0 0x4c1 in operator new[](unsigned long) (/build/gcs_runner_test+0x4c1)
    #1 0x55c in gcs::testing::(anonymous namespace)::Leak() /work/main/tests/harness/runner/faulty_target.cc:40:14

SUMMARY: AddressSanitizer: 64 byte(s) leaked in 1 allocation(s).
)";

constexpr const char* kAsanSegv = R"(AddressSanitizer:DEADLYSIGNAL
=================================================================
==5==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7f T3)
==5==The signal is caused by a WRITE memory access.
==5==Hint: address points to the zero page.
    #0 0x55 in gcs::testing::(anonymous namespace)::Segfault() /work/main/tests/harness/runner/faulty_target.cc:15:6
SUMMARY: AddressSanitizer: SEGV /work/main/tests/harness/runner/faulty_target.cc:15:6 in gcs::testing::(anonymous namespace)::Segfault()
==5==ABORTING
)";

TEST(SanitizerReportTest, AnASanDoubleFreeIsADoubleFreeAtTheFreeingFunction) {
  auto f = FindSanitizerReport(kAsanDoubleFree);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->tool, "AddressSanitizer");
  EXPECT_EQ(f->what, "attempting double-free");
  EXPECT_EQ(f->kind, ViolationKind::kDoubleFree);
  EXPECT_EQ(f->site, "gcs::testing::FreeTwice");
  ASSERT_EQ(f->stacks.size(), 2u);
  EXPECT_EQ(f->stacks[0][0].module, "/build/gcs_runner_test");
  EXPECT_EQ(f->stacks[0][2].file, "/work/main/tests/harness/runner/faulty_target.cc:80:7");
  EXPECT_EQ(f->stacks[0][3].module, "/lib/x86_64-linux-gnu/libc.so.6");
}

TEST(SanitizerReportTest, HeapUseAfterFreeIsAUseAfterFreeAtTheAccess) {
  auto f = FindSanitizerReport(kAsanUseAfterFree);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->what, "heap-use-after-free");
  EXPECT_EQ(f->kind, ViolationKind::kUseAfterFree);
  EXPECT_EQ(f->site, "gcs::core::Object::Incref");
}

TEST(SanitizerReportTest, ADataRaceNamesBothSidesInAnOrderTheTimingCannotChange) {
  auto a = FindSanitizerReport(kTsanRace);
  auto b = FindSanitizerReport(kTsanRaceSwapped);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->tool, "ThreadSanitizer");
  EXPECT_EQ(a->what, "data race");
  EXPECT_EQ(a->kind, ViolationKind::kDataRace);
  EXPECT_EQ(a->site, "gcs::core::CycleCollector::Collect+gcs::core::Vm::Enumerate");
  EXPECT_EQ(b->site, a->site);
  EXPECT_EQ(a->stacks.size(), 3u);  // the two accesses and the allocation
}

TEST(SanitizerReportTest, UBSanIsUndefinedBehaviourAtTheFunctionOrItsFile) {
  auto f = FindSanitizerReport(kUbsan);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->tool, "UndefinedBehaviorSanitizer");
  EXPECT_EQ(f->what, "signed integer overflow");
  EXPECT_EQ(f->kind, ViolationKind::kUndefinedBehavior);
  EXPECT_EQ(f->site, "gcs::testing::Overflow");
  // Without print_stacktrace: the file, never its line.
  auto bare = FindSanitizerReport(
      "x\n/src/core/object.cc:12:5: runtime error: load of misaligned address 0x0001 for type\n");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->what, "load of misaligned address");
  EXPECT_EQ(bare->site, "object.cc");
}

TEST(SanitizerReportTest, LeakSanitizerIsALeakAtTheAllocatingFunction) {
  auto f = FindSanitizerReport(kLsan);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->tool, "LeakSanitizer");
  EXPECT_EQ(f->kind, ViolationKind::kLeak);
  EXPECT_EQ(f->site, "gcs::testing::Leak");
}

TEST(SanitizerReportTest, ADeadlySignalIsACrash) {
  auto f = FindSanitizerReport(kAsanSegv);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->what, "SEGV");
  EXPECT_EQ(f->kind, ViolationKind::kCrash);
  EXPECT_EQ(f->site, "gcs::testing::Segfault");
}

TEST(SanitizerReportTest, TheFirstReportWins) {
  const std::string both = std::string(kAsanUseAfterFree) + kAsanDoubleFree;
  auto f = FindSanitizerReport(both);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, ViolationKind::kUseAfterFree);
}

TEST(SanitizerReportTest, WithoutTheTextTheSummaryLineStillClassifies) {
  EXPECT_FALSE(FindSanitizerReport("just a target talking\n"));
  auto race = FindSanitizerReport(
      "",
      "SUMMARY: ThreadSanitizer: data race /src/core/vm.cc:210:25 in gcs::core::Vm::Enumerate()");
  ASSERT_TRUE(race);
  EXPECT_EQ(race->kind, ViolationKind::kDataRace);
  EXPECT_EQ(race->site, "gcs::core::Vm::Enumerate");
  auto leak =
      FindSanitizerReport("", "SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).");
  ASSERT_TRUE(leak);
  EXPECT_EQ(leak->kind, ViolationKind::kLeak);
  auto df = FindSanitizerReport(
      "", "SUMMARY: AddressSanitizer: double-free (/b/x+0x4c) in operator delete(void*)");
  ASSERT_TRUE(df);
  EXPECT_EQ(df->kind, ViolationKind::kDoubleFree);
  EXPECT_EQ(df->site, "");  // operator delete is the runtime's
}

TEST(SanitizerReportTest, ClassificationTable) {
  EXPECT_EQ(ClassifySanitizerReport("AddressSanitizer", "use-after-poison"),
            ViolationKind::kUseAfterFree);
  EXPECT_EQ(ClassifySanitizerReport("ThreadSanitizer", "heap-use-after-free"),
            ViolationKind::kUseAfterFree);
  EXPECT_EQ(ClassifySanitizerReport("ThreadSanitizer", "data race on vptr"),
            ViolationKind::kDataRace);
  EXPECT_EQ(ClassifySanitizerReport("ThreadSanitizer", "thread leak"), ViolationKind::kLeak);
  EXPECT_EQ(ClassifySanitizerReport("ThreadSanitizer", "lock-order-inversion"),
            ViolationKind::kDeadlock);
  EXPECT_EQ(ClassifySanitizerReport("ThreadSanitizer", "SEGV"), ViolationKind::kCrash);
  EXPECT_EQ(ClassifySanitizerReport("AddressSanitizer", "heap-buffer-overflow"),
            ViolationKind::kCrash);
  EXPECT_EQ(ClassifySanitizerReport("AddressSanitizer", "stack-overflow"), ViolationKind::kCrash);
  EXPECT_EQ(ClassifySanitizerReport("UndefinedBehaviorSanitizer", "SEGV"), ViolationKind::kCrash);
}

TEST(SanitizerReportTest, FrameLinesOfBothFormats) {
  auto asan = ParseFrameLine("    #12 0x7f00 in gcs::A::B(int) /s/a.cc:3:4");
  ASSERT_TRUE(asan);
  EXPECT_EQ(asan->function, "gcs::A::B(int)");
  EXPECT_EQ(asan->file, "/s/a.cc:3:4");
  auto tsan = ParseFrameLine("    #1 (anonymous namespace)::X::Y() /s/b.cc:9 (bin+0x10)");
  ASSERT_TRUE(tsan);
  EXPECT_EQ(tsan->function, "(anonymous namespace)::X::Y()");
  EXPECT_EQ(tsan->module, "bin");
  auto unknown = ParseFrameLine("    #3 0x7f12 (/lib/x86_64-linux-gnu/libc.so.6+0x2a)");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->function, "");
  EXPECT_EQ(unknown->module, "/lib/x86_64-linux-gnu/libc.so.6");
  auto null = ParseFrameLine("    #0 free <null> (bin+0x1)");
  ASSERT_TRUE(null);
  EXPECT_EQ(null->function, "free");
  EXPECT_FALSE(ParseFrameLine("SUMMARY: AddressSanitizer"));
  EXPECT_FALSE(ParseFrameLine("#x not a frame"));
}

}  // namespace
}  // namespace gcs::isolation
