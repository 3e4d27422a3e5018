// gcstress tests — JUnit XML: well-formed, counted, escaped, grouped into suites.
#include "harness/reporters/junit_reporter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/harness/reporters/xml_check.h"

namespace gcs::reporters {
namespace {

using Status = CaseResult::Status;
using testing::CheckXml;
using testing::XmlCheck;
using testing::XmlElement;

std::string Attr(const XmlElement& e, const std::string& name) {
  for (const auto& [k, v] : e.attributes) {
    if (k == name) return v;
  }
  return "<none>";
}

std::vector<CaseResult> Cases() {
  return {
      {"run", "core", "scenarios/a.json", Status::kPass, "PASS a: 10 iterations", "", 0.5},
      {"run", "core", "scenarios/b.json", Status::kFail, "FAIL b: double-free at iteration 3",
       "double-free/attach/step/x: <freed> twice & more\n  at t1 step 5\n", 0.25},
      {"zoo", "refpool-deferred-incref", "refpool-minimal [random]", Status::kSkipped,
       "not found in 10 iterations", "", 2},
      {"run", "core", "scenarios/c.json", Status::kError, "ERROR c: internal error: \"x\"",
       "nondeterminism\n", 0},
  };
}

TEST(JUnitReporterTest, WellFormedWithCountsPerSuite) {
  const XmlCheck x = CheckXml(RenderJUnit(Cases()));
  ASSERT_TRUE(x.ok) << x.error;
  ASSERT_EQ(x.elements[0].name, "testsuites");
  EXPECT_EQ(Attr(x.elements[0], "tests"), "4");
  EXPECT_EQ(Attr(x.elements[0], "failures"), "1");
  EXPECT_EQ(Attr(x.elements[0], "errors"), "1");
  EXPECT_EQ(Attr(x.elements[0], "skipped"), "1");
  std::vector<std::string> suites;
  std::vector<std::string> cases;
  for (const XmlElement& e : x.elements) {
    if (e.name == "testsuite") {
      suites.push_back(Attr(e, "name") + ":" + Attr(e, "tests") + ":" + Attr(e, "failures"));
    }
    if (e.name == "testcase") cases.push_back(Attr(e, "classname") + "|" + Attr(e, "name"));
  }
  EXPECT_EQ(suites, (std::vector<std::string>{"gcstress.run:3:1", "gcstress.zoo:1:0"}));
  EXPECT_EQ(cases, (std::vector<std::string>{
                       "gcstress.run.core|scenarios/a.json", "gcstress.run.core|scenarios/b.json",
                       "gcstress.run.core|scenarios/c.json",
                       "gcstress.zoo.refpool-deferred-incref|refpool-minimal [random]"}));
}

TEST(JUnitReporterTest, FailureCarriesTheSummaryAndDetailsEscaped) {
  const XmlCheck x = CheckXml(RenderJUnit(Cases()));
  ASSERT_TRUE(x.ok) << x.error;
  size_t failures = 0, skipped = 0, errors = 0;
  for (const XmlElement& e : x.elements) {
    if (e.name == "failure") {
      ++failures;
      EXPECT_EQ(Attr(e, "message"), "FAIL b: double-free at iteration 3");
      EXPECT_EQ(e.text, "double-free/attach/step/x: <freed> twice & more\n  at t1 step 5\n");
    }
    if (e.name == "error") {
      ++errors;
      EXPECT_EQ(Attr(e, "message"), "ERROR c: internal error: \"x\"");
    }
    skipped += e.name == "skipped" ? 1 : 0;
  }
  EXPECT_EQ(failures, 1u);
  EXPECT_EQ(errors, 1u);
  EXPECT_EQ(skipped, 1u);
}

TEST(JUnitReporterTest, EmptyRunIsAValidDocument) {
  const XmlCheck x = CheckXml(RenderJUnit(std::vector<CaseResult>{}));
  ASSERT_TRUE(x.ok) << x.error;
  EXPECT_EQ(Attr(x.elements[0], "tests"), "0");
}

TEST(JUnitReporterTest, FinishWritesTheFile) {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("gcs-junit-" + std::to_string(::getpid()));
  JUnitReporter junit(path.string());
  for (const CaseResult& c : Cases())
    junit.ReportCase(c);
  ASSERT_FALSE(junit.Finish().has_value());
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, RenderJUnit(Cases()));
  fs::remove(path);
  // MakeReporter picks it by name.
  EXPECT_EQ(MakeReporter("junit", {stdout, "x.xml"})->Name(), "junit");
  EXPECT_EQ(MakeReporter("yaml"), nullptr);
}

}  // namespace
}  // namespace gcs::reporters
