// gcstress reporters — the timeline of one execution: its steps in schedule order, one lane per
// thread, the allocations' lifetimes and the histories of chosen allocations, from its trace.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "harness/engine/trace.h"
#include "harness/reporters/failure_report.h"
#include "harness/scenario/scenario.h"

namespace gcs::reporters {

// The model. A trace is a sequence of entries; a report reads it as columns, one per "thing a
// lane did" in schedule order:
//   - a step: from its kStepBegin to its kStepEnd (or the end of the trace: "running"); a
//     skipped step (kStepSkipped) and a stop (kThreadStop) are one-entry columns;
//   - the setup: the target's entries before any thread ran (VM construction), on the extra lane;
//   - the teardown, and each release of a variable during it, on that lane too.
// Entries between columns (a thread's start and end, schedule decisions) belong to none, but map
// to the latest column so far so that a violation detected there still points somewhere. A
// release or an event of a thread outside its steps (a drop's decref right after the step ended)
// joins that thread's latest column: nothing else ran in between, as in deterministic mode only
// schedule points switch threads and a release is not one.
struct Timeline {
  std::vector<StepEntry> steps;
  std::vector<ThreadEntry> threads;      // one per scenario thread, every step as written
  std::vector<ObjectEntry> objects;      // by allocation id
  std::vector<int64_t> column_of_entry;  // per trace entry; -1 before the first column
};

Timeline BuildTimeline(const Scenario& scenario, const Trace& trace);

// What happened to the allocations `ids`, in trace order: core events naming them (as subject or
// as the other allocation), the steps that bound a variable to them, their releases.
std::vector<HistoryEntry> BuildHistories(const Scenario& scenario, const Trace& trace,
                                         const Timeline& timeline, const std::set<uint64_t>& ids);

}  // namespace gcs::reporters
