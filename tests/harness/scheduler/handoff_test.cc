// gcstress scheduler — tests: HandoffSlot: one baton, no lost wake-ups, happens-before across it.
#include "harness/scheduler/handoff.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <chrono>
#include <functional>
#include <thread>

namespace gcs::sched {
namespace {

// Two threads pass the baton back and forth; `counter` is a plain integer written by whichever
// holds it. A lost wake-up hangs the test; a missing happens-before edge is a TSan report or a
// wrong total.
// `rounds` round trips of the baton between this thread and a partner, each side bumping a
// plain counter while it holds it; `in_partner` runs first on the partner thread. Returns the
// counter.
long PingPong(
    int rounds, const std::function<void()>& in_partner = [] {}) {
  HandoffSlot a, b;
  long counter = 0;
  std::thread partner([&] {
    in_partner();
    for (int i = 0; i < rounds; ++i) {
      b.Await();
      ++counter;
      a.Grant();
    }
  });
  for (int i = 0; i < rounds; ++i) {
    ++counter;
    b.Grant();
    a.Await();
  }
  partner.join();
  return counter;
}

TEST(HandoffSlot, PingPongKeepsAPlainCounterExact) {
  constexpr int kRounds = 20000;
  EXPECT_EQ(PingPong(kRounds), 2 * kRounds);
}

// The payload travels with the grant: each side returns what the other sent, plus one.
TEST(HandoffSlot, PayloadTravelsWithTheGrant) {
  constexpr uint64_t kRounds = 10000;
  HandoffSlot a, b;
  std::thread partner([&] {
    for (uint64_t i = 0; i < kRounds; ++i)
      a.Grant(b.Await() + 1);
  });
  uint64_t value = 0;
  for (uint64_t i = 0; i < kRounds; ++i) {
    b.Grant(value);
    value = a.Await() + 1;
  }
  partner.join();
  EXPECT_EQ(value, 2 * kRounds);
  EXPECT_EQ(sizeof(HandoffSlot), 128u);
  EXPECT_EQ(alignof(HandoffSlot), 128u);
}

// Pins the calling thread to the one CPU it is running on; returns the affinity it had.
cpu_set_t PinToThisCpu() {
  cpu_set_t before;
  CPU_ZERO(&before);
  EXPECT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  EXPECT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  return before;
}

// On one CPU (taskset -c 0) the waiter does not spin: it sleeps at once, and the baton still
// goes back and forth exactly. Both threads share the CPU, as under taskset.
TEST(HandoffSlot, PingPongOnOneCpuSleepsWithoutSpinning) {
  const cpu_set_t before = PinToThisCpu();
  EXPECT_FALSE(MayRunOnSeveralCpus());
  constexpr int kRounds = 5000;
  // The partner inherits the one-CPU affinity.
  EXPECT_EQ(PingPong(kRounds, [] { EXPECT_FALSE(MayRunOnSeveralCpus()); }), 2 * kRounds);
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
  EXPECT_EQ(MayRunOnSeveralCpus(), CPU_COUNT(&before) > 1);
}

TEST(HandoffSlot, GrantBeforeAwaitIsNotLost) {
  HandoffSlot slot;
  slot.Grant(7);
  EXPECT_EQ(slot.Await(), 7u);  // returns at once
  slot.Grant(8);
  EXPECT_EQ(slot.Await(), 8u);
}

// The waiter outlasts its spin budget and sleeps in FUTEX_WAIT; the late grant must wake it.
TEST(HandoffSlot, SleepingWaiterIsWoken) {
  HandoffSlot slot;
  int value = 0;
  std::thread waiter([&] {
    slot.Await();
    EXPECT_EQ(value, 42);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  value = 42;
  slot.Grant();
  waiter.join();
}

}  // namespace
}  // namespace gcs::sched
