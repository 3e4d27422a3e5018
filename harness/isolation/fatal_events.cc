// gcstress isolation — the fatal-event recorder: the sanitizer summary hook and the fatal-signal
// handlers. Everything reachable from them is async-signal-safe: raw syscalls, atomics, plain
// stores, and backtrace() warmed up before the first signal.
#include "harness/isolation/fatal_events.h"

#include <execinfo.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <span>

#include "core/check.h"

namespace gcs::isolation {
namespace {

std::atomic<ProgressPage*> watched{nullptr};

// The runtimes intercept write(); a raw syscall cannot re-enter a sanitizer that is reporting.
void RawWrite(const char* data, size_t size) {
  while (size > 0) {
    const long n = ::syscall(SYS_write, 2, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

size_t Length(const char* s) {
  size_t n = 0;
  while (s[n] != '\0')
    ++n;
  return n;
}

void Claim(ProgressPage& p, int signal, bool with_backtrace) {
  uint32_t expected = 0;
  if (!p.fatal.claimed.compare_exchange_strong(expected, 1)) return;
  FatalEvent& f = p.fatal;
  f.signal = signal;
  f.exec_state = p.state.load(std::memory_order_relaxed);
  f.running = p.running.load(std::memory_order_relaxed);
  const auto tid = static_cast<int32_t>(::syscall(SYS_gettid));
  const uint32_t n = p.num_threads.load(std::memory_order_relaxed);
  for (uint32_t t = 0; t < n && t < ProgressPage::kMaxThreads; ++t) {
    if (p.threads[t].tid.load(std::memory_order_relaxed) != tid) continue;
    f.thread = t;
    f.thread_state = p.threads[t].state.load(std::memory_order_relaxed);
    f.step = p.threads[t].step.load(std::memory_order_relaxed);
    break;
  }
  if (with_backtrace) {
    const int depth = ::backtrace(reinterpret_cast<void**>(f.backtrace), 48);
    f.backtrace_depth = depth > 0 ? static_cast<uint32_t>(depth) : 0;
  }
  f.claimed.store(2, std::memory_order_release);
}

void OnFatalSignal(int signal, siginfo_t*, void*) {
  if (ProgressPage* p = watched.load(std::memory_order_acquire)) Claim(*p, signal, true);
  // Die of it: with the default action back, the raise stays pending while this handler blocks
  // the signal and is delivered on return (a hardware fault would recur anyway).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(signal, &dfl, nullptr);
  ::raise(signal);
}

void InstallSignalHandlers() {
  // backtrace() loads libgcc on first use, which is not safe in a handler: do it now.
  void* warm[4];
  ::backtrace(warm, 4);
  if (!SanitizerBuild()) {
    // A stack overflow can only be caught on another stack.
    constexpr size_t kAltStack = 64 * 1024;
    void* mem =
        ::mmap(nullptr, kAltStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED) {
      stack_t ss{};
      ss.ss_sp = mem;
      ss.ss_size = kAltStack;
      GCS_CHECK(::sigaltstack(&ss, nullptr) == 0);
    }
  }
  constexpr int kAll[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
  constexpr int kNotTheSanitizers[] = {SIGILL, SIGABRT, SIGTRAP, SIGSYS};
  const bool sanitized = SanitizerBuild();
  for (int signal :
       sanitized ? std::span<const int>(kNotTheSanitizers) : std::span<const int>(kAll)) {
    struct sigaction old {};
    GCS_CHECK(::sigaction(signal, nullptr, &old) == 0);
    if ((old.sa_flags & SA_SIGINFO) != 0 || old.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_sigaction = OnFatalSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    GCS_CHECK(::sigaction(signal, &action, nullptr) == 0);
  }
}

}  // namespace

// LeakSanitizer's interface, present only in binaries linked with it.
extern "C" int __lsan_do_recoverable_leak_check() __attribute__((weak));

bool CheckForLeaks() {
  return &__lsan_do_recoverable_leak_check != nullptr && __lsan_do_recoverable_leak_check() != 0;
}

bool SanitizerBuild() {
#ifdef GCS_SANITIZE_STRING
  return true;
#else
  return false;
#endif
}

void WatchFatalEvents(PageRegion* region, bool signal_handlers) {
  watched.store(region != nullptr ? &region->page() : nullptr, std::memory_order_release);
  if (region != nullptr && signal_handlers) InstallSignalHandlers();
}

}  // namespace gcs::isolation

// The sanitizer runtimes' weak hook, called once per report with its SUMMARY line (sanitizer/
// common_interface_defs.h). Defined for every build: without a sanitizer nobody calls it.
extern "C" void __sanitizer_report_error_summary(const char* error_summary) {
  using gcs::isolation::ProgressPage;
  const size_t n = gcs::isolation::Length(error_summary);
  gcs::isolation::RawWrite(error_summary, n);
  gcs::isolation::RawWrite("\n", 1);
  ProgressPage* p = gcs::isolation::watched.load(std::memory_order_acquire);
  if (p == nullptr) return;
  if (p->reports.fetch_add(1) == 0) {
    p->summary_length.store(
        gcs::isolation::CopyBounded(p->summary, ProgressPage::kMaxSummary, error_summary, n),
        std::memory_order_release);
  }
  gcs::isolation::Claim(*p, 0, false);
}
