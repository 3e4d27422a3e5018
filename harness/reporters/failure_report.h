// gcstress reporters — FailureReport: one failing execution as plain data, what every reporter
// renders (report.json, report.html, the console, JUnit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/engine/trace.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"

namespace gcs::reporters {

// report.json's schema version (json_reporter.h documents the schema).
inline constexpr int kReportFormat = 1;

// One violation, as reports show it.
struct ViolationEntry {
  std::string kind;
  std::string signature;
  std::string message;
  uint32_t thread = 0;  // scenario thread; == number of threads for setup and teardown
  uint32_t step = 0;
  std::string op, phase, site;
  uint64_t obj = 0;  // the allocation it is about; 0 = none
  uint64_t trace_index = 0;
  std::string location;  // "t2 step 0 (clone obj -> c)", "teardown"
  int64_t column = -1;   // the timeline column it showed in; -1 = none (a process death)
  bool operator==(const ViolationEntry&) const = default;
};

// One column of the timeline: a step (or the setup, a teardown release) in schedule order.
struct StepEntry {
  uint32_t lane = 0;   // scenario thread; == number of threads for the setup/teardown lane
  int64_t step = -1;   // step index within the thread; -1 for setup and teardown columns
  std::string label;   // "clone obj -> c", "setup", "teardown", "release c=#8"
  std::string result;  // "ok", "error", "skipped", "stopped", "running" (never ended), "setup",
                       // "teardown"
  std::string detail;  // the error or skip reason, or the value bound ("c=#8")
  std::vector<std::string> events;  // the core events in it, FormatEvent
  uint64_t first_entry = 0;         // its trace entries: [first_entry, last_entry]
  uint64_t last_entry = 0;
  bool violation = false;  // the verdict showed here
  bool operator==(const StepEntry&) const = default;
};

// A scenario step as written, and what became of it.
struct ThreadStep {
  std::string text;     // FormatStep
  std::string result;   // as StepEntry::result, or "not-run"
  int64_t column = -1;  // its timeline column; -1 = not run
  bool operator==(const ThreadStep&) const = default;
};

struct ThreadEntry {
  std::string name;
  bool worker = false;
  std::vector<ThreadStep> steps;
  bool operator==(const ThreadEntry&) const = default;
};

// An allocation's lifetime: the columns it was allocated and freed in.
struct ObjectEntry {
  uint64_t id = 0;
  int64_t vm = -1;
  bool type_object = false;  // a VM's builtin type (a type-register event names it)
  int64_t alloc_column = -1;
  int64_t free_column = -1;  // the first free; -1 = never freed
  uint32_t frees = 0;        // more than one: freed twice
  bool named = false;        // a violation names it: its history is in FailureReport::histories
  bool operator==(const ObjectEntry&) const = default;
};

// One thing that happened to a named allocation.
struct HistoryEntry {
  uint64_t obj = 0;
  uint64_t trace_index = 0;
  int64_t column = -1;
  std::string thread;  // thread name, or "setup"/"teardown"
  int64_t step = -1;
  std::string what;  // "created", "cloned", "dropped", "queued +1", "applied -1", "freed",
                     // "finalized", "bound to c", "released c", "used", ... (HistoryWhat)
  std::string text;  // the trace line
  bool operator==(const HistoryEntry&) const = default;
};

// The reproduction-rate gate's record (harness/triage/reproduction_gate.h).
struct Reproduction {
  uint32_t runs = 0;          // re-executions (--confirm N); 0 = not confirmed
  uint32_t reproduced = 0;    // of them, with the same signature
  bool deterministic = true;  // the repro replays its schedule bit for bit (not free mode)
  // Free mode: what the gate did to get a deterministic repro. "" = nothing (not free mode, or
  // the conversion was off); otherwise one line.
  std::string conversion;
  bool converted = false;       // the repro is a deterministic one found for the free failure
  uint64_t free_iteration = 0;  // converted: the free-mode failure's iteration
  bool operator==(const Reproduction&) const = default;
};

struct ReportConfig {
  std::string target;
  std::vector<std::string> faults;
  std::string strategy;
  uint64_t seed = 0;
  uint64_t iteration = 0;
  bool free_mode = false;
  uint32_t yield_per_mille = 0;
  bool operator==(const ReportConfig&) const = default;
};

// Explicitly non-deterministic: wall-clock facts, never compared by a test or used for a decision
// other than triage's first/last seen.
struct ReportTiming {
  std::string found_at;  // UTC, "2024-05-01T12:34:56Z"; "" = unknown
  double run_seconds = 0;
  bool operator==(const ReportTiming&) const = default;
};

struct FailureReport {
  int format = kReportFormat;
  std::string scenario;  // its name
  std::string description;
  uint64_t scenario_steps = 0;  // all threads' steps: triage's "shortest repro"
  ViolationEntry verdict;
  // Every violation the oracles reported in the execution, in trace order (the verdict among
  // them). violations_source says where they came from: "replay" (the execution replayed in this
  // process from its schedule, with every oracle's findings kept) or "verdict" (only the verdict:
  // free mode, or an execution whose process died).
  std::vector<ViolationEntry> violations;
  std::string violations_source;
  ReportConfig config;
  std::string schedule;  // the gcs1 text form
  uint64_t decisions = 0;
  std::string repro;           // the repro file as written ("reports/<slug>/repro.json")
  std::string replay_command;  // "gcstress replay reports/<slug>/repro.json"
  std::string evidence;        // a raw crash or sanitizer report beside the repro; "" = none
  Reproduction reproduction;
  std::vector<ThreadEntry> threads;
  std::vector<StepEntry> steps;  // the timeline's columns, in schedule order
  std::vector<ObjectEntry> objects;
  std::vector<HistoryEntry> histories;  // of the allocations the violations name, in trace order
  std::vector<std::string> trace;       // FormatTraceEntry per entry; empty after a death
  ReportTiming timing;
  bool operator==(const FailureReport&) const = default;
};

// What MakeFailureReport builds a report from.
struct ReportInput {
  const Scenario* scenario = nullptr;
  const RunConfig* config = nullptr;
  const Failure* failure = nullptr;
  // The execution to show: failure->execution.trace, or that of a replay of it (rejudge.h), whose
  // violations (all of them, with trace indices into that trace) come with it. Empty: only the
  // verdict.
  const Trace* trace = nullptr;
  std::vector<Violation> violations;
  std::string repro_path;
  std::string evidence_path;
  Reproduction reproduction;
  ReportTiming timing;
};

// The report: the timeline, lifetimes and histories derived from the trace. Deterministic but
// for `timing`.
FailureReport MakeFailureReport(const ReportInput& input);

// "2024-05-01T12:34:56Z", now: for ReportTiming::found_at.
std::string UtcNow();

}  // namespace gcs::reporters
