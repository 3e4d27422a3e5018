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
// A grant carries one 64-bit payload in the same cache line as the word. The line has to move to
// the awaiting core anyway; state that must follow control from thread to thread (the
// controller's position in the schedule) rides along instead of costing a second line.
//
// Await() first spins (a bounded number of pause instructions) because in a ping-pong the baton
// usually comes back within a microsecond or two and a futex sleep + wake costs several; after
// that it sleeps in FUTEX_WAIT so that threads that are not about to run leave the cores (the
// harness often has more threads than cores). Grant() issues FUTEX_WAKE only when the waiter
// announced that it is asleep, so a handoff between two spinning threads makes no syscall.
//
// No spin at all when this thread may run on one CPU only (sched_getaffinity: taskset -c 0, a
// one-vCPU container): the thread that will grant us cannot run until we stop, so the sleep comes
// at once and a handoff costs the two syscalls and the one context switch it must cost anyway.
// Affinity can change while the process runs, so it is looked at again every kProbeEvery awaits.
//
// Otherwise the spin is adaptive, because the right length depends on the machine's load. With a
// core each, the partner answers within the spin and a long budget keeps both sides out of the
// kernel. When the partner has no core of its own — other processes are busy, or both share
// one — it can only run once we stop spinning, so every spin is pure loss (a fixed 2048-pause
// budget made handoffs ~10x slower on a loaded 2-vCPU machine). So each slot halves its budget
// whenever the spin fails (down to kMinSpins), raises it to what a successful spin needed (with
// headroom), and every kProbeEvery-th Await spins the full kSpinIterations to find out whether
// spinning pays again. This only affects timing; no decision depends on it.
//
// 128-byte aligned and sized, not 64: x86 cores (Intel's spatial prefetcher, AMD's adjacent-line
// prefetcher) fetch cache lines in aligned pairs, so a field sharing the pair with the slot word
// would bounce between cores along with it.
class alignas(128) HandoffSlot {
 public:
  // The full budget: long enough to cover a handoff round trip between two cores, and a futex
  // wake-up of a sleeping partner (so two threads that fell asleep can get back to spinning);
  // short enough that a parked thread stops competing for a core soon.
  static constexpr uint32_t kSpinIterations = 2048;
  static constexpr uint32_t kMinSpins = 32;
  static constexpr uint32_t kProbeEvery = 16;

  HandoffSlot() = default;
  HandoffSlot(const HandoffSlot&) = delete;
  HandoffSlot& operator=(const HandoffSlot&) = delete;

  // Gives the baton, with `payload`, to the thread that waits (or will wait) in Await().
  void Grant(uint64_t payload = 0);

  // Returns once Grant() has been called, consuming it; returns the grant's payload.
  uint64_t Await();

 private:
  enum : uint32_t { kIdle = 0, kGranted = 1, kSleeping = 2 };

  // Takes a grant observed (with acquire) on word_: returns its payload, re-arms the slot.
  uint64_t Consume();

  std::atomic<uint32_t> word_{kIdle};
  uint64_t payload_ = 0;  // written before the releasing exchange, read after the acquire
  // Touched only by the thread that awaits this slot.
  uint32_t spin_budget_ = kSpinIterations;
  uint32_t awaits_ = 0;
  bool spin_pays_ = true;  // the awaiting thread may run on more than one CPU
};

// Whether the calling thread may run on more than one CPU (true if that cannot be found out).
bool MayRunOnSeveralCpus();

// One pause (x86) / yield (arm) instruction: tells the core we are spinning.
void CpuRelax();

}  // namespace gcs::sched
