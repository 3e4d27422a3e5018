// gcstress tests — the console format: summary lines, cases, and the lines after a repro.
#include "harness/reporters/console_reporter.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "tests/harness/address_sanitizer.h"
#include "tests/harness/reporters/report_fixture.h"

namespace gcs::reporters {
namespace {

std::string Captured(const std::function<void(std::FILE*)>& print) {
  std::FILE* f = std::tmpfile();
  print(f);
  std::rewind(f);
  std::string out;
  char buf[256];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  std::fclose(f);
  return out;
}

TEST(ConsoleReporterTest, SummaryLines) {
  GCS_SKIP_UNDER_ASAN();
  RunSummary pass;
  pass.strategy = "pct:depth=3,steps=17";
  pass.iterations = 1000;
  EXPECT_EQ(SummaryLine("x.json", pass, 1),
            "PASS x.json: 1000 iterations, no violation [pct:depth=3,steps=17 seed=1]");
  const testing::FailingRun& run = testing::RefpoolDoubleFree();
  RunSummary fail = pass;
  fail.iterations = 18;
  fail.violations = 1;
  fail.first_failure = run.failure;
  fail.failures = {run.failure};
  const std::string line = SummaryLine("x.json", fail, 1);
  EXPECT_EQ(line.rfind("FAIL x.json: double-free at iteration " +
                           std::to_string(run.failure.iteration) + " (18 iterations)",
                       0),
            0u)
      << line;
  RunSummary error;
  error.stop = StopReason::kInternalError;
  error.internal_error = "nondeterminism";
  EXPECT_EQ(SummaryLine("x.json", error, 1), "ERROR x.json: internal error: nondeterminism");
}

TEST(ConsoleReporterTest, RunCaseStatusAndDetails) {
  GCS_SKIP_UNDER_ASAN();
  const testing::FailingRun& run = testing::RefpoolDoubleFree();
  RunSummary fail;
  fail.strategy = "pct";
  fail.iterations = 3;
  fail.violations = 1;
  fail.first_failure = run.failure;
  fail.failures = {run.failure};
  const CaseResult c = MakeRunCase("run", "core", "r.json", run.scenario, fail, 1);
  EXPECT_EQ(c.status, CaseResult::Status::kFail);
  EXPECT_EQ(c.summary, SummaryLine("r.json", fail, 1));
  EXPECT_NE(c.details.find(run.failure.violation.Signature()), std::string::npos);
  EXPECT_NE(c.details.find("at " + FormatLocation(run.scenario, run.failure.violation)),
            std::string::npos);
  EXPECT_EQ(MakeRunCase("run", "core", "r.json", run.scenario, RunSummary{}, 1).status,
            CaseResult::Status::kPass);
  // The console reporter prints the summary line as is.
  EXPECT_EQ(Captured([&](std::FILE* f) { ConsoleReporter(f).ReportCase(c); }), c.summary + "\n");
}

TEST(ConsoleReporterTest, AfterTheReproItSaysWhereTheReportIs) {
  GCS_SKIP_UNDER_ASAN();
  FailureReport r = testing::RefpoolDoubleFree().report;
  EXPECT_EQ(Captured([&](std::FILE* f) { ConsoleReporter(f).ReportFailure(r); }),
            "  report: reports/double-free/report.html\n");
  r.reproduction.conversion = "the free-mode failure was found again by pct";
  EXPECT_EQ(Captured([&](std::FILE* f) { ConsoleReporter(f).ReportFailure(r); }),
            "  converted: the free-mode failure was found again by pct\n"
            "  report: reports/double-free/report.html\n");
}

TEST(ConsoleReporterTest, LocationNamesThreadStepAndOp) {
  GCS_SKIP_UNDER_ASAN();
  const testing::FailingRun& run = testing::RefpoolDoubleFree();
  Violation v = run.failure.violation;
  v.thread = 1;
  v.step = 0;
  EXPECT_EQ(FormatLocation(run.scenario, v), "t2 step 0 (clone obj -> c)");
  v.thread = 2;
  EXPECT_EQ(FormatLocation(run.scenario, v), "teardown");
}

}  // namespace
}  // namespace gcs::reporters
