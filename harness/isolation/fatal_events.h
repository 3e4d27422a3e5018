// gcstress isolation — the fatal-event recorder: what killed a child, noted in its ProgressPage
// before it dies.
#pragma once

#include "harness/isolation/progress_page.h"

// Two hooks, both writing into the page the process is watched through (FatalEvent, claimed
// once by whichever fires first):
//
//   - the sanitizer summary hook. Every sanitizer (ASan, LSan, TSan, UBSan) ends each report with
//     one SUMMARY line passed to __sanitizer_report_error_summary, a weak hook this library
//     defines: it prints the line exactly as the default does (to stderr; with a sanitizer
//     log_path the line goes to stderr rather than the log) and counts the report in the page,
//     keeping the first line. That is how a report is noticed even when the sanitizer carries on
//     (TSan's default), and classified even when its text went to a log file.
//   - handlers for the fatal signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS)
//     that nobody handles already. In a sanitizer build only SIGILL, SIGABRT, SIGTRAP and SIGSYS:
//     the sanitizers' own SEGV/BUS/FPE handlers print a symbolized report, which is better. The
//     handler notes the signal and a backtrace (return addresses; the parent names them), then
//     dies of the same signal with the default action, so the parent sees what really happened.
//
// The page pointer is the one process-wide variable here: a signal handler and a sanitizer
// callback can reach nothing else.

namespace gcs::isolation {

// Starts (region != nullptr) or stops watching this process's fatal events. Signal handlers are
// installed only if `signal_handlers`; a child process wants them, an in-process run does not
// (it would replace the default death of a debugged process). Call from the thread that runs
// executions, before any runs.
void WatchFatalEvents(PageRegion* region, bool signal_handlers);

// True in a binary built with a sanitizer (GCS_SANITIZE).
bool SanitizerBuild();

// Runs LeakSanitizer's check now, if this binary has LeakSanitizer (ASan builds): a leak report
// goes through the summary hook like any other report. True if it reported leaks; false without
// LeakSanitizer. A stop-the-world heap scan: per execution it is what an ASan run pays to know
// which execution leaked.
bool CheckForLeaks();

}  // namespace gcs::isolation
