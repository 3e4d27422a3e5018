// gcstress reporters — JUnit XML.
#include "harness/reporters/junit_reporter.h"

#include <cstdio>

#include "harness/reporters/xml_text.h"
#include "harness/runner/report_dir.h"

namespace gcs::reporters {
namespace {

struct Counts {
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  void Add(CaseResult::Status s) {
    ++tests;
    failures += s == CaseResult::Status::kFail ? 1 : 0;
    errors += s == CaseResult::Status::kError ? 1 : 0;
    skipped += s == CaseResult::Status::kSkipped ? 1 : 0;
  }
  std::string Attributes() const {
    return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
           "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
           "\"";
  }
};

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string Case(const CaseResult& c) {
  std::string classname = "gcstress." + c.suite + (c.group.empty() ? "" : "." + c.group);
  std::string o = "    <testcase classname=\"" + XmlEscape(classname) + "\" name=\"" +
                  XmlEscape(c.name) + "\" time=\"" + Seconds(c.seconds) + "\">\n";
  switch (c.status) {
    case CaseResult::Status::kPass:
      break;
    case CaseResult::Status::kFail:
      o += "      <failure type=\"violation\" message=\"" + XmlEscape(c.summary) + "\">" +
           XmlEscape(c.details) + "</failure>\n";
      break;
    case CaseResult::Status::kError:
      o += "      <error type=\"error\" message=\"" + XmlEscape(c.summary) + "\">" +
           XmlEscape(c.details) + "</error>\n";
      break;
    case CaseResult::Status::kSkipped:
      o += "      <skipped message=\"" + XmlEscape(c.summary) + "\"/>\n";
      break;
  }
  o += "      <system-out>" + XmlEscape(c.summary) + "</system-out>\n    </testcase>\n";
  return o;
}

}  // namespace

std::string RenderJUnit(const std::vector<CaseResult>& cases) {
  std::vector<std::string> suites;
  for (const CaseResult& c : cases) {
    bool known = false;
    for (const std::string& s : suites)
      known = known || s == c.suite;
    if (!known) suites.push_back(c.suite);
  }
  Counts all;
  for (const CaseResult& c : cases)
    all.Add(c.status);
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gcstress\" " +
                  all.Attributes() + ">\n";
  for (const std::string& suite : suites) {
    Counts counts;
    double seconds = 0;
    std::string body;
    for (const CaseResult& c : cases) {
      if (c.suite != suite) continue;
      counts.Add(c.status);
      seconds += c.seconds;
      body += Case(c);
    }
    o += "  <testsuite name=\"" + XmlEscape("gcstress." + suite) + "\" " + counts.Attributes() +
         " time=\"" + Seconds(seconds) + "\">\n" + body + "  </testsuite>\n";
  }
  o += "</testsuites>\n";
  return o;
}

std::optional<InputError> JUnitReporter::Finish() {
  return WriteFileAtomically(path_, RenderJUnit(cases_));
}

}  // namespace gcs::reporters
