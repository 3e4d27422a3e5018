// gcstress reporters — JUnitReporter: JUnit XML for CI test UIs, a testcase per scenario run or
// zoo cell.
#pragma once

#include <string>
#include <vector>

#include "harness/reporters/reporter.h"

namespace gcs::reporters {

// The document, in the dialect CI test UIs (GitHub, GitLab, Jenkins) read:
//
//   <?xml version="1.0" encoding="UTF-8"?>
//   <testsuites name="gcstress" tests=".." failures=".." errors=".." skipped="..">
//     <testsuite name="gcstress.<suite>" tests=".." failures=".." errors=".." skipped="..">
//       <testcase classname="gcstress.<suite>.<group>" name="<name>" time="0.120">
//         <failure type="fail" message="<summary>"><details></failure>   (or <error>, <skipped/>)
//         <system-out><summary></system-out>
//       </testcase> ...
//
// Suites in order of first appearance, cases in the order reported. Every attribute and text is
// escaped (xml_text.h). The time attributes are the only non-deterministic bytes.
std::string RenderJUnit(const std::vector<CaseResult>& cases);

// Accumulates cases; Finish writes RenderJUnit to the file atomically.
class JUnitReporter final : public Reporter {
 public:
  explicit JUnitReporter(std::string path) : path_(std::move(path)) {}
  std::string_view Name() const override { return "junit"; }
  void ReportCase(const CaseResult& result) override { cases_.push_back(result); }
  std::optional<InputError> Finish() override;
  const std::vector<CaseResult>& cases() const { return cases_; }

 private:
  std::string path_;
  std::vector<CaseResult> cases_;
};

}  // namespace gcs::reporters
