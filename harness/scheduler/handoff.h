// gcstress scheduler — HandoffSlot: the spin-then-futex baton a thread waits on until it may run.
#pragma once

#include <atomic>
#include <cstdint>

namespace gcs::sched {

// One per thread that can be handed control. The protocol is a one-shot baton: for every Await()
// there is exactly one Grant() (before or after it), and the granting thread's writes before
// Grant() happen-before the awaiting thread's reads after Await() returns (release/acquire on the
// word) — that edge is what lets the deterministic scheduler keep its state in plain fields that
// only the thread holding the baton touches, and what TSan sees.
//
// Await() first spins (a bounded number of pause instructions) because in a ping-pong the baton
// usually comes back within a microsecond or two and a futex sleep + wake costs several; after
// that it sleeps in FUTEX_WAIT so that threads that are not about to run leave the cores (the
// harness often has more threads than cores). Grant() issues FUTEX_WAKE only when the waiter
// announced that it is asleep, so a handoff between two spinning threads makes no syscall.
class alignas(64) HandoffSlot {
 public:
  // Long enough to cover a handoff round trip between two cores; short enough that a parked
  // thread stops competing for a core soon (the harness machine may have 2 cores and 8 threads).
  static constexpr uint32_t kSpinIterations = 2048;

  HandoffSlot() = default;
  HandoffSlot(const HandoffSlot&) = delete;
  HandoffSlot& operator=(const HandoffSlot&) = delete;

  // Gives the baton to the thread that waits (or will wait) in Await().
  void Grant();

  // Returns once Grant() has been called, consuming it.
  void Await();

 private:
  enum : uint32_t { kIdle = 0, kGranted = 1, kSleeping = 2 };

  std::atomic<uint32_t> word_{kIdle};
};

// One pause (x86) / yield (arm) instruction: tells the core we are spinning.
void CpuRelax();

}  // namespace gcs::sched
