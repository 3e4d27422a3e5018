// gcstress cli — the SIGINT flag. The one process-wide variable in gcstress: a signal handler
// can reach nothing else.
#include "harness/cli/interrupt.h"

#include <csignal>

namespace gcs::cli {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the handler needs a lock-free store");

extern "C" void OnInterrupt(int) {
  interrupted.store(true);
}

}  // namespace

const std::atomic<bool>* InstallInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  return &interrupted;
}

}  // namespace gcs::cli
