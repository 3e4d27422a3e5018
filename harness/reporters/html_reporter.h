// gcstress reporters — HtmlReporter: report.html, a failure for people. One self-contained file:
// inline CSS, SVG and a few lines of JS, nothing fetched.
#pragma once

#include <string>

#include "harness/reporters/failure_report.h"
#include "harness/reporters/reporter.h"

namespace gcs::reporters {

// The page, top to bottom:
//   - the verdict: kind, signature, the oracle's explanation, where, the reproduction rate, and
//     the replay command (with a copy button);
//   - the timeline (SVG): a lane per thread plus the setup/teardown lane, a box per step in
//     schedule order (colour = result; the violating step outlined in red, a red rule through
//     every lane at its column), grey curves where control passed between threads; under it a
//     bar per allocation from its alloc to its free (open-ended and orange if never freed, red if
//     freed twice), the allocations the violations name first, with a mark per thing that
//     happened to them; every box and bar has a tooltip and links to its trace lines;
//   - every violation the oracles reported; the history of each allocation they name (created,
//     cloned, dropped, freed: by which thread and step);
//   - each thread's steps as written and what became of them; the config and the schedule;
//   - the full trace, each line anchored (#e<index>), the violating one marked.
// The markup is XHTML (well-formed XML) served as HTML: void elements self-close, no other
// element does, the script is wrapped in CDATA. Deterministic but for the report's timing.
std::string RenderReportHtml(const FailureReport& report);

// Writes <dir of report.repro>/report.html atomically.
class HtmlReporter final : public Reporter {
 public:
  std::string_view Name() const override { return "html"; }
  std::optional<InputError> ReportFailure(const FailureReport& report) override;
  const std::string& last_path() const { return last_path_; }

 private:
  std::string last_path_;
};

}  // namespace gcs::reporters
