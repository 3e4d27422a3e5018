// gcstress reporters — JsonReporter: report.json, a failure for programs (triage, dashboards).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "harness/reporters/failure_report.h"
#include "harness/reporters/reporter.h"

// report.json, schema 1. One JSON object, keys in this order (all present; lists may be empty):
//
//   "gcstress_report": 1          the schema version; a reader rejects any other
//   "scenario": {"name", "description", "steps"}    steps = all threads' steps (triage: shortest)
//   "verdict": V                  the violation the execution was judged by
//   "violations": [V...]          every violation the oracles reported, in trace order
//   "violations_source": "replay" | "verdict"   replay: re-executed here from the schedule with
//                                 every oracle's findings kept; verdict: only the verdict (free
//                                 mode, or the execution's process died)
//   "config": {"target", "faults": [..], "strategy", "seed", "iteration", "free_mode",
//              "yield_per_mille"}
//   "schedule": "gcs1:...", "decisions": N
//   "repro": "reports/<slug>/repro.json", "replay": "gcstress replay ...", "evidence": "" | path
//   "reproduction": {"runs", "reproduced", "rate", "deterministic", "converted",
//                    "free_iteration", "conversion"}   rate = reproduced / runs (0 if no runs)
//   "threads": [{"name", "worker", "steps": [{"text", "result", "column"}]}]
//   "steps": [{"lane", "step", "label", "result", "detail", "events": [..], "first_entry",
//              "last_entry", "violation"}]            the timeline's columns in schedule order
//   "objects": [{"id", "vm", "type_object", "alloc_column", "free_column", "frees", "named"}]
//   "histories": [{"obj", "trace_index", "column", "thread", "step", "what", "text"}]
//   "trace": ["t1 step 0 begin: attach", ...]          FormatTraceEntry per entry
//   "timing": {"found_at": "2024-05-01T12:34:56Z", "run_seconds": 0.12}
//
// V = {"kind", "signature", "message", "thread", "step", "op", "phase", "site", "obj",
//      "trace_index", "location", "column"}. Columns index "steps" (-1 = none); lanes and
// "thread" are scenario thread indices, the number of threads meaning the setup/teardown lane;
// "step" -1 = not a scenario step. u64 fields take the full range.
//
// Everything but "timing" is a pure function of the failing execution: the same failure gives
// the same bytes. "timing" is the one explicitly wall-clock object.

namespace gcs::reporters {

nlohmann::ordered_json ReportToJson(const FailureReport& report);
// Two-space indentation and a final newline.
std::string RenderReportJson(const FailureReport& report);
// Errors name the file and the JSON pointer of the bad field.
Expected<FailureReport> ParseReportJson(std::string_view text, const std::string& file);
Expected<FailureReport> LoadReportJson(const std::string& path);

// Writes <dir of report.repro>/report.json atomically.
class JsonReporter final : public Reporter {
 public:
  std::string_view Name() const override { return "json"; }
  std::optional<InputError> ReportFailure(const FailureReport& report) override;
  const std::string& last_path() const { return last_path_; }

 private:
  std::string last_path_;
};

}  // namespace gcs::reporters
