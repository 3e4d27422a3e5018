// gcstress scheduler — Fiber: an execution context with its own stack, switched to on one thread.
#pragma once

#include <cstddef>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace gcs::sched {

// A context the deterministic controller can switch to without the kernel: a stack of its own
// (or, for a thread's own context, the thread's stack) and the registers saved when it last
// switched away. Switching is a user-space register swap, where handing control to another OS
// thread is a futex wake, a futex wait and a reschedule — tens of times dearer, more under a
// sanitizer. On x86-64 the swap is our own few instructions (callee-saved registers, the SSE and
// x87 control words, the stack pointer); glibc's swapcontext would add a sigprocmask system call
// to every switch, which made a fiber handoff slower than a spinning thread's. Elsewhere it is
// swapcontext.
//
// What a switch carries besides registers, so that each fiber behaves like a thread of its own:
//   - the C++ runtime's per-thread exception state (the caught-exception stack and
//     std::uncaught_exceptions()), so that a fiber unwinding or inside a catch block when it
//     switches does not lend that state to the next one;
//   - the sanitizers' view: ASan is told which stack is current (__sanitizer_*_switch_fiber),
//     so its stack bounds, fake stacks and no-return handling follow the switch; TSan gets a
//     fiber of its own per context (__tsan_switch_to_fiber), which also makes every switch a
//     happens-before edge, as a handoff between threads is.
//
// Not carried: thread-local storage. Every fiber of a thread shares that thread's TLS, which is
// why only targets that keep no per-thread state may run on fibers (Target::NeedsOsThreads), and
// why a fiber must be resumed only on the thread that created it (compiled code may keep the
// address of a thread-local variable across a call, and so across a switch).
class Fiber {
 public:
  using Entry = void (*)(void* arg);

  // The calling thread's own context. It has no stack of its own and nothing to run: it becomes
  // a target once the thread has switched away from it.
  Fiber();
  // A context that, when first switched to, calls entry(arg) on a fresh stack of `stack_bytes`
  // (plus a guard page below it, so an overflow faults). `entry` must never return: a fiber ends
  // by switching away for the last time.
  Fiber(size_t stack_bytes, Entry entry, void* arg);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Suspends `from`, which must be the context running on this thread, and resumes `to`.
  // Returns when some later Switch(…, from) resumes `from`.
  static void Switch(Fiber& from, Fiber& to);

 private:
  // libstdc++'s and libc++abi's __cxa_eh_globals: the per-thread exception state.
  struct ExceptionState {
    void* caught = nullptr;
    unsigned int uncaught = 0;
  };

#if defined(__x86_64__)
  static void Start(Fiber* self);
#else
  static void Trampoline(unsigned int high, unsigned int low);
#endif
  // Completes a switch on the arriving side: tells ASan the switch is over and records the
  // bounds of the stack we came from (a thread's own stack is learned this way).
  static void Arrive(void* fake_stack);

#if defined(__x86_64__)
  void* sp_ = nullptr;  // where its registers are saved while it is switched away
#else
  ucontext_t context_{};
#endif
  void* mapping_ = nullptr;  // guard page + stack, for a fiber with a stack of its own
  size_t mapping_bytes_ = 0;
  const void* stack_bottom_ = nullptr;  // for ASan; learned on the first switch away
  size_t stack_bytes_ = 0;
  [[maybe_unused]] void* tsan_fiber_ = nullptr;  // with TSan only
  [[maybe_unused]] bool owns_tsan_fiber_ = false;
  ExceptionState exceptions_;
  Entry entry_ = nullptr;
  void* arg_ = nullptr;
};

}  // namespace gcs::sched
