// gcstress isolation — PostMortem: the verdict on an execution whose process died or hung, from
// its ProgressPage, its exit status and its stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/isolation/child_process.h"
#include "harness/isolation/progress_page.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"

// What the verdict says, in order of precedence (the first thing that went wrong wins):
//
//   1. a sanitizer report (the page counted one, or the stderr tail holds one): its kind and site
//      by sanitizer_report.h. A report outranks whatever the process did afterwards — an abort,
//      a hang, an oracle's verdict on the rest of the execution.
//   2. the watchdog killed it: `hang`, site "" — no schedule progress within the step timeout.
//   3. a fatal signal (noted by the recorder, or the exit status): `crash`, site
//      "<cause>:<function>" — cause "check" for a failed GCS_CHECK (its line is on stderr),
//      else the signal in lower case ("sigsegv"); function = the first own frame of the
//      backtrace the recorder took, symbolized here.
//   4. an exit with a non-zero code and nothing else to go on: `crash`, site "exit-<code>".
// Then the oracles' most severe finding of the execution before it died (the page's
// OracleFinding) replaces that verdict if it is of a strictly more severe kind (violations.def
// order). So a real system that crashes touching memory the oracles just reported freed keeps
// the oracles' use-after-free as its verdict, while a sanitizer's report still outranks an
// earlier wrong-VM finding, and keeps its own site against an oracle finding of its own kind.
//
// Where: the scenario thread the event struck (its OS thread ran that scenario thread), else in
// deterministic mode the thread holding the baton, else (a hang in free mode) the lowest thread
// inside a step. thread/step are that thread's and its current step; op is the step's op while
// the thread is inside it, "" between steps and for data races (which of two racing threads
// reports depends on timing); phase is where the execution was: "setup" (the target's Begin),
// "step", "teardown" (thread = threads.size()), "judge" (the oracles, after the target finished).
// Nothing that varies between runs of the same execution — addresses, pids, tids, line numbers,
// timings — goes into kind, op, phase or site.

namespace gcs::isolation {

struct DeathInput {
  const Scenario* scenario = nullptr;
  const PageRegion* region = nullptr;
  ChildExit exit;
  bool hung = false;  // the watchdog killed it
  std::chrono::milliseconds step_timeout{0};
  std::string_view stderr_text;
};

struct DeathReport {
  Violation verdict;
  uint64_t iteration = kNoIteration;
  // The execution's schedule up to its death (deterministic mode), from the page: seed, the spec
  // it ran with, every decision taken. "free" in free mode.
  sched::Schedule schedule;
  bool schedule_complete = true;  // false: more decisions than the page holds
  // The raw evidence, for the report directory only: the stderr tail, and the file to keep it in
  // ("sanitizer.txt" when a sanitizer report decided the verdict, else "crash.txt").
  std::string evidence;
  std::string evidence_file;
};

// True if the page shows an execution under way (or a fatal event in one): a death then has a
// verdict. A death between executions is the harness's own failure.
bool DiedInExecution(const PageRegion& region);

DeathReport PostMortem(const DeathInput& input);

// PostMortem of a hang in this process's own executions (the in-process watchdog's): no child,
// no stderr, just the page.
DeathReport HangPostMortem(const Scenario& scenario, const PageRegion& region,
                           std::chrono::milliseconds step_timeout);

// "t1 at step 3 (gc); t2 after step 1 (drop obj); t3 finished; w not started" — each thread's
// last step, from the page.
std::string DescribeThreads(const Scenario& scenario, const ProgressPage& page);

}  // namespace gcs::isolation
