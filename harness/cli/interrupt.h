// gcstress cli — Ctrl-C: the first SIGINT asks the run to stop between iterations.
#pragma once

#include <atomic>

namespace gcs::cli {

// Installs a SIGINT handler that sets the returned flag (the runner looks at it between
// iterations, so the run ends cleanly with its summary). The handler is one-shot: a second
// Ctrl-C kills the process the usual way, should an execution itself hang.
const std::atomic<bool>* InstallInterruptHandler();

}  // namespace gcs::cli
