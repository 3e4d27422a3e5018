// gcstress reporters — building a FailureReport from a failure and its trace.
#include "harness/reporters/failure_report.h"

#include <ctime>
#include <set>

#include "harness/reporters/console_reporter.h"
#include "harness/reporters/timeline.h"
#include "harness/scheduler/schedule.h"

namespace gcs::reporters {
namespace {

ViolationEntry Entry(const Scenario& scenario, const Violation& v, const Timeline& timeline,
                     bool has_trace) {
  ViolationEntry e;
  e.kind = std::string(ViolationName(v.kind));
  e.signature = v.Signature();
  e.message = v.message;
  e.thread = v.thread;
  e.step = v.step;
  e.op = v.op;
  e.phase = v.phase;
  e.site = v.site;
  e.obj = v.obj;
  e.trace_index = v.trace_index;
  e.location = FormatLocation(scenario, v);
  if (has_trace && !timeline.column_of_entry.empty()) {
    // A violation detected after the last entry (a deadlock, a leak after teardown) shows in the
    // last column.
    const size_t i = std::min<size_t>(v.trace_index, timeline.column_of_entry.size() - 1);
    e.column = timeline.column_of_entry[i];
  }
  return e;
}

}  // namespace

FailureReport MakeFailureReport(const ReportInput& in) {
  const Scenario& s = *in.scenario;
  const Failure& f = *in.failure;
  FailureReport r;
  r.scenario = s.name;
  r.description = s.description;
  r.scenario_steps = s.TotalSteps();
  r.config.target = in.config->target;
  r.config.faults = in.config->faults;
  r.config.strategy = f.execution.schedule.strategy;
  r.config.seed = in.config->seed;
  r.config.iteration = f.iteration;
  r.config.free_mode = f.execution.free_mode;
  r.config.yield_per_mille = in.config->yield_per_mille;
  r.schedule =
      f.execution.schedule.strategy.empty() ? "" : sched::FormatSchedule(f.execution.schedule);
  r.decisions = f.execution.schedule.decisions.size();
  r.repro = in.repro_path;
  r.replay_command = in.repro_path.empty() ? "" : "gcstress replay " + in.repro_path;
  r.evidence = in.evidence_path;
  r.reproduction = in.reproduction;
  r.timing = in.timing;

  static const Trace kEmpty;
  const Trace& trace = in.trace != nullptr ? *in.trace : kEmpty;
  const bool has_trace = !trace.entries.empty();
  Timeline timeline = BuildTimeline(s, trace);
  if (!has_trace) {
    // A death leaves no trace: what each step became is not known.
    for (ThreadEntry& t : timeline.threads) {
      for (ThreadStep& step : t.steps)
        step.result = "unknown";
    }
  }
  // The verdict is one of the violations when they were re-judged; else it is all there is.
  const bool rejudged = has_trace && !in.violations.empty();
  r.violations_source = rejudged ? "replay" : "verdict";
  r.verdict = Entry(s, f.violation, timeline, has_trace);
  if (rejudged) {
    for (const Violation& v : in.violations) {
      r.violations.push_back(Entry(s, v, timeline, has_trace));
      if (v.Signature() == f.violation.Signature() && v.message == f.violation.message) {
        r.verdict = r.violations.back();
      }
    }
  } else {
    r.violations.push_back(r.verdict);
  }
  if (r.verdict.column >= 0) timeline.steps[static_cast<size_t>(r.verdict.column)].violation = true;

  std::set<uint64_t> named;
  for (const ViolationEntry& v : r.violations) {
    if (v.obj != 0) named.insert(v.obj);
  }
  for (ObjectEntry& o : timeline.objects)
    o.named = named.count(o.id) != 0;
  r.histories = BuildHistories(s, trace, timeline, named);
  r.trace = FormatTraceLines(s, trace);
  r.threads = std::move(timeline.threads);
  r.steps = std::move(timeline.steps);
  r.objects = std::move(timeline.objects);
  return r;
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace gcs::reporters
