// gcstress scheduler — HandoffSlot: spin with pause, then FUTEX_WAIT/WAKE_PRIVATE on the slot word.
#include "harness/scheduler/handoff.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/check.h"

namespace gcs::sched {
namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) &&
                  std::atomic<uint32_t>::is_always_lock_free,
              "the futex syscall needs the atomic to be a plain 32-bit word");

uint32_t* FutexWord(std::atomic<uint32_t>& word) {
  return reinterpret_cast<uint32_t*>(&word);
}

void FutexWait(std::atomic<uint32_t>& word, uint32_t expected) {
  const long rc =
      syscall(SYS_futex, FutexWord(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
  // EAGAIN: the word changed before we slept (the grant raced us); EINTR: a signal. Both mean
  // "re-check the word", which the caller does.
  GCS_CHECK_MSG(rc == 0 || errno == EAGAIN || errno == EINTR, "FUTEX_WAIT failed");
}

void FutexWakeOne(std::atomic<uint32_t>& word) {
  const long rc = syscall(SYS_futex, FutexWord(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  GCS_CHECK_MSG(rc >= 0, "FUTEX_WAKE failed");
}

}  // namespace

void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

bool MayRunOnSeveralCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  // EINVAL: more CPUs than a cpu_set_t holds, so certainly more than one.
  if (sched_getaffinity(0, sizeof set, &set) != 0) return true;
  return CPU_COUNT(&set) > 1;
}

void HandoffSlot::Grant(uint64_t payload) {
  payload_ = payload;
  // exchange, not store: we must learn atomically whether the waiter already went to sleep.
  const uint32_t previous = word_.exchange(kGranted, std::memory_order_acq_rel);
  GCS_CHECK_MSG(previous != kGranted, "HandoffSlot granted twice without an Await");
  if (previous == kSleeping) FutexWakeOne(word_);
}

uint64_t HandoffSlot::Consume() {
  // Read the payload before re-arming: the next Grant() (which rewrites it) can only come after
  // this thread has passed the baton on, but reading first keeps that argument local.
  const uint64_t payload = payload_;
  word_.store(kIdle, std::memory_order_relaxed);
  return payload;
}

uint64_t HandoffSlot::Await() {
  const bool probe = ++awaits_ % kProbeEvery == 0;
  if (probe || awaits_ == 1) spin_pays_ = MayRunOnSeveralCpus();
  if (spin_pays_) {
    const uint32_t budget = probe ? kSpinIterations : spin_budget_;
    for (uint32_t i = 0; i < budget; ++i) {
      if (word_.load(std::memory_order_acquire) == kGranted) {
        // Headroom over what this wait needed, so ordinary jitter does not push us into a sleep.
        spin_budget_ = std::max(spin_budget_, std::min(kSpinIterations, 8 * i + kMinSpins));
        return Consume();
      }
      CpuRelax();
    }
    spin_budget_ = std::max(kMinSpins, spin_budget_ / 2);
  }
  for (;;) {
    uint32_t seen = kIdle;
    // Announce the sleep with a CAS so that a Grant() racing with us either sees kSleeping (and
    // wakes us) or wins the race (and the CAS fails on kGranted): a wake-up cannot be lost.
    if (word_.compare_exchange_strong(seen, kSleeping, std::memory_order_acquire) ||
        seen == kSleeping) {
      FutexWait(word_, kSleeping);
      continue;
    }
    // seen == kGranted; the failed CAS loaded it with acquire.
    return Consume();
  }
}

}  // namespace gcs::sched
