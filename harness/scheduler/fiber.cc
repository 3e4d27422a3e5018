// gcstress scheduler — Fiber: a register swap (x86-64) or swapcontext, with ASan/TSan annotations.
#include "harness/scheduler/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cxxabi.h>
#include <cstdint>

#include "core/check.h"

#if defined(__has_feature)
#define GCS_FIBER_HAS_FEATURE(x) __has_feature(x)
#else
#define GCS_FIBER_HAS_FEATURE(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || GCS_FIBER_HAS_FEATURE(address_sanitizer)
#define GCS_FIBER_ASAN 1
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_THREAD__) || GCS_FIBER_HAS_FEATURE(thread_sanitizer)
#define GCS_FIBER_TSAN 1
#include <sanitizer/tsan_interface.h>
#endif

#if defined(__x86_64__)
// gcs_fiber_switch(save, load): pushes the callee-saved registers and the MXCSR / x87 control
// words (the System V ABI's preserved state) onto the current stack, stores the stack pointer in
// *save, loads `load` as the stack pointer and pops the same frame from it. A new fiber's first
// frame is built by the Fiber constructor so that the final `ret` enters gcs_fiber_start, which
// calls r13(r12) — Fiber::Start(fiber) — on the fresh stack, 16-byte aligned.
extern "C" void gcs_fiber_switch(void** save, void* load);
extern "C" void gcs_fiber_start();
asm(R"(
  .text
  .p2align 4
  .globl gcs_fiber_switch
  .hidden gcs_fiber_switch
  .type gcs_fiber_switch, @function
gcs_fiber_switch:
  .cfi_startproc
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .cfi_endproc
  .size gcs_fiber_switch, .-gcs_fiber_switch

  .p2align 4
  .globl gcs_fiber_start
  .hidden gcs_fiber_start
  .type gcs_fiber_start, @function
gcs_fiber_start:
  .cfi_startproc
  .cfi_undefined rip
  movq %r12, %rdi
  callq *%r13
  ud2
  .cfi_endproc
  .size gcs_fiber_start, .-gcs_fiber_start
)");
#endif

namespace gcs::sched {
namespace {

// The context a switch left, so that the arriving side can record that stack's bounds for ASan.
thread_local Fiber* switching_from = nullptr;

}  // namespace

Fiber::Fiber() {
#if defined(GCS_FIBER_TSAN)
  tsan_fiber_ = __tsan_get_current_fiber();
#endif
}

Fiber::Fiber(size_t stack_bytes, Entry entry, void* arg) : entry_(entry), arg_(arg) {
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  stack_bytes = (stack_bytes + page - 1) / page * page;
  mapping_bytes_ = stack_bytes + page;
  // MAP_NORESERVE: like a thread's stack, only the pages a fiber touches cost memory.
  mapping_ = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  GCS_CHECK_MSG(mapping_ != MAP_FAILED, "mmap of a fiber stack failed");
  GCS_CHECK_MSG(mprotect(mapping_, page, PROT_NONE) == 0, "mprotect of a fiber guard page failed");
  stack_bottom_ = static_cast<char*>(mapping_) + page;
  stack_bytes_ = stack_bytes;

#if defined(__x86_64__)
  // The frame gcs_fiber_switch pops, from the saved stack pointer up: the control words, r15,
  // r14, r13 (the function gcs_fiber_start calls), r12 (its argument), rbx, rbp (0: the end of
  // the frame-pointer chain), the return address. Above it the stack pointer is 16-byte
  // aligned, as a call expects it.
  auto* top = reinterpret_cast<uint64_t*>(static_cast<char*>(mapping_) + mapping_bytes_ - 16);
  uint64_t* frame = top - 8;
  frame[0] = uint64_t{0x037F} << 32 | 0x1F80;  // x87 control word | MXCSR: the ABI's defaults
  frame[1] = 0;                                // r15
  frame[2] = 0;                                // r14
  frame[3] = reinterpret_cast<uint64_t>(&Fiber::Start);
  frame[4] = reinterpret_cast<uint64_t>(this);
  frame[5] = 0;  // rbx
  frame[6] = 0;  // rbp
  frame[7] = reinterpret_cast<uint64_t>(&gcs_fiber_start);
  sp_ = frame;
#else
  GCS_CHECK_MSG(getcontext(&context_) == 0, "getcontext failed");
  context_.uc_stack.ss_sp = const_cast<void*>(stack_bottom_);
  context_.uc_stack.ss_size = stack_bytes_;
  context_.uc_link = nullptr;
  // makecontext passes int arguments; a pointer travels as two halves.
  const auto self = reinterpret_cast<uintptr_t>(this);
  makecontext(&context_, reinterpret_cast<void (*)()>(&Fiber::Trampoline), 2,
              static_cast<unsigned int>(self >> 32), static_cast<unsigned int>(self));
#endif
#if defined(GCS_FIBER_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
  owns_tsan_fiber_ = true;
#endif
}

Fiber::~Fiber() {
#if defined(GCS_FIBER_TSAN)
  if (owns_tsan_fiber_) __tsan_destroy_fiber(tsan_fiber_);
#endif
  if (mapping_ != nullptr) {
#if defined(GCS_FIBER_ASAN)
    // Frames that lived on this stack left their redzones poisoned; memory mapped here later
    // must not inherit them.
    __asan_unpoison_memory_region(stack_bottom_, stack_bytes_);
#endif
    munmap(mapping_, mapping_bytes_);
  }
}

void Fiber::Switch(Fiber& from, Fiber& to) {
  // The exception state is the thread's; each fiber gets its own by swapping it at every switch.
  auto* eh = reinterpret_cast<ExceptionState*>(abi::__cxa_get_globals());
  from.exceptions_ = *eh;
  *eh = to.exceptions_;
  switching_from = &from;
#if defined(GCS_FIBER_ASAN)
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, to.stack_bottom_, to.stack_bytes_);
#endif
#if defined(GCS_FIBER_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
#if defined(__x86_64__)
  gcs_fiber_switch(&from.sp_, to.sp_);
#else
  GCS_CHECK_MSG(swapcontext(&from.context_, &to.context_) == 0, "swapcontext failed");
#endif
#if defined(GCS_FIBER_ASAN)
  Arrive(fake_stack);
#else
  Arrive(nullptr);
#endif
}

void Fiber::Arrive(void* fake_stack) {
#if defined(GCS_FIBER_ASAN)
  const void* bottom = nullptr;
  size_t bytes = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &bottom, &bytes);
  Fiber* from = switching_from;
  if (from != nullptr && from->mapping_ == nullptr) {
    from->stack_bottom_ = bottom;
    from->stack_bytes_ = bytes;
  }
#else
  (void)fake_stack;
#endif
}

#if defined(__x86_64__)
void Fiber::Start(Fiber* self) {
#else
void Fiber::Trampoline(unsigned int high, unsigned int low) {
  auto* self = reinterpret_cast<Fiber*>((static_cast<uintptr_t>(high) << 32) | low);
#endif
  Arrive(nullptr);
  self->entry_(self->arg_);
  GCS_CHECK_MSG(false, "a fiber's entry returned");
}

}  // namespace gcs::sched
