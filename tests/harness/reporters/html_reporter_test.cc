// gcstress tests — report.html: well-formed XHTML+SVG, every step present, the violation marked,
// self-contained, deterministic, and rendered by headless Chromium into a picture that is not
// blank.
#include "harness/reporters/html_reporter.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#ifdef GCS_HAVE_PNG
#include <png.h>
#endif

#include "tests/harness/address_sanitizer.h"
#include "tests/harness/reporters/report_fixture.h"
#include "tests/harness/reporters/xml_check.h"

namespace gcs::reporters {
namespace {

using testing::CheckXml;
using testing::RefpoolDoubleFree;
using testing::XmlCheck;
using testing::XmlElement;

std::string Attr(const XmlElement& e, const std::string& name) {
  for (const auto& [k, v] : e.attributes) {
    if (k == name) return v;
  }
  return "";
}

bool HasClass(const XmlElement& e, const std::string& cls) {
  const std::string all = " " + Attr(e, "class") + " ";
  return all.find(" " + cls + " ") != std::string::npos;
}

TEST(HtmlReporterTest, IsWellFormedXhtmlWithInlineSvg) {
  GCS_SKIP_UNDER_ASAN();
  const std::string html = RenderReportHtml(RefpoolDoubleFree().report);
  const XmlCheck x = CheckXml(html);
  ASSERT_TRUE(x.ok) << x.error;
  ASSERT_FALSE(x.elements.empty());
  EXPECT_EQ(x.elements[0].name, "html");
  EXPECT_EQ(Attr(x.elements[0], "xmlns"), "http://www.w3.org/1999/xhtml");
  size_t svgs = 0;
  for (const XmlElement& e : x.elements) {
    if (e.name != "svg") continue;
    ++svgs;
    EXPECT_EQ(Attr(e, "xmlns"), "http://www.w3.org/2000/svg");
  }
  EXPECT_EQ(svgs, 1u);
}

TEST(HtmlReporterTest, FetchesNothing) {
  GCS_SKIP_UNDER_ASAN();
  const XmlCheck x = CheckXml(RenderReportHtml(RefpoolDoubleFree().report));
  ASSERT_TRUE(x.ok) << x.error;
  for (const XmlElement& e : x.elements) {
    EXPECT_NE(e.name, "link");
    EXPECT_NE(e.name, "img");
    EXPECT_NE(e.name, "iframe");
    EXPECT_TRUE(Attr(e, "src").empty()) << e.name;
    const std::string href = Attr(e, "href");
    // Links stay inside the page (#e12 for trace entry 12).
    EXPECT_TRUE(href.empty() || href[0] == '#') << e.name << " href=" << href;
    EXPECT_EQ(Attr(e, "style").find("url("), std::string::npos);
  }
  for (const XmlElement& e : x.elements) {
    if (e.name == "style") {
      EXPECT_EQ(e.text.find("url("), std::string::npos);
      EXPECT_EQ(e.text.find("@import"), std::string::npos);
    }
    if (e.name == "script") {
      EXPECT_EQ(e.text.find("fetch("), std::string::npos);
      EXPECT_EQ(e.text.find("XMLHttpRequest"), std::string::npos);
    }
  }
}

TEST(HtmlReporterTest, ContainsEveryTraceEntryAndEveryStep) {
  GCS_SKIP_UNDER_ASAN();
  const FailureReport& r = RefpoolDoubleFree().report;
  ASSERT_FALSE(r.trace.empty());
  const XmlCheck x = CheckXml(RenderReportHtml(r));
  ASSERT_TRUE(x.ok) << x.error;
  // Each trace line is its own span, anchored by index.
  std::map<std::string, std::string> span_text;
  for (const XmlElement& e : x.elements) {
    if (e.name == "span" && !Attr(e, "id").empty()) span_text[Attr(e, "id")] = e.text;
  }
  for (size_t i = 0; i < r.trace.size(); ++i) {
    const auto it = span_text.find("e" + std::to_string(i));
    ASSERT_NE(it, span_text.end()) << "trace entry " << i;
    EXPECT_EQ(it->second.rfind(r.trace[i], 0), 0u) << it->second;
  }
  // Each step the execution ran is a box in the timeline whose tooltip names it.
  std::map<std::string, std::string> box_text;
  for (const XmlElement& e : x.elements) {
    if (e.name == "g" && HasClass(e, "step")) box_text[Attr(e, "id")] = e.text;
  }
  ASSERT_EQ(box_text.size(), r.steps.size());
  size_t scenario_steps_run = 0;
  for (size_t c = 0; c < r.steps.size(); ++c) {
    const auto it = box_text.find("c" + std::to_string(c));
    ASSERT_NE(it, box_text.end()) << "column " << c;
    EXPECT_NE(it->second.find(r.steps[c].label), std::string::npos) << it->second;
    scenario_steps_run += r.steps[c].step >= 0 ? 1 : 0;
  }
  // refpool-minimal: all nine steps of its two threads ran.
  EXPECT_EQ(scenario_steps_run, 9u);
  // And every step as written, per thread.
  std::string page;
  for (const XmlElement& e : x.elements) {
    if (e.name == "body") page = e.text;
  }
  for (const ThreadEntry& t : r.threads) {
    for (const ThreadStep& s : t.steps)
      EXPECT_NE(page.find(s.text), std::string::npos) << s.text;
  }
}

TEST(HtmlReporterTest, MarksTheViolatingStepAndExplainsIt) {
  GCS_SKIP_UNDER_ASAN();
  const FailureReport& r = RefpoolDoubleFree().report;
  ASSERT_GE(r.verdict.column, 0);
  const XmlCheck x = CheckXml(RenderReportHtml(r));
  ASSERT_TRUE(x.ok) << x.error;
  std::vector<std::string> marked;
  bool rule = false, history_table = false, twice_bar = false;
  std::string body;
  for (const XmlElement& e : x.elements) {
    if (e.name == "g" && HasClass(e, "viol")) marked.push_back(Attr(e, "id"));
    if (e.name == "line" && HasClass(e, "vrule")) rule = true;
    if (e.name == "rect" && HasClass(e, "twice")) twice_bar = true;
    if (e.name == "h2" && e.text.rfind("History of allocation #", 0) == 0) history_table = true;
    if (e.name == "body") body = e.text;
  }
  EXPECT_EQ(marked, std::vector<std::string>{"c" + std::to_string(r.verdict.column)});
  EXPECT_TRUE(rule);
  EXPECT_TRUE(twice_bar) << "the double-freed allocation's bar";
  EXPECT_TRUE(history_table);
  EXPECT_NE(body.find(r.verdict.message), std::string::npos);
  EXPECT_NE(body.find(r.replay_command), std::string::npos);
  EXPECT_NE(body.find("reproduced 5/5 (100%)"), std::string::npos);
  for (const char* what : {"created", "freed", "bound to obj", "released c"})
    EXPECT_NE(body.find(what), std::string::npos) << what;
}

TEST(HtmlReporterTest, EscapesHostileText) {
  GCS_SKIP_UNDER_ASAN();
  FailureReport r = RefpoolDoubleFree().report;
  r.verdict.message = "<script>alert(1)</script> & ]]> \x01 \xff\xfe \"q\" 'a'";
  r.scenario = "a<b>&c";
  r.trace.push_back("</pre><!-- -->");
  r.steps[0].label = "<g>";
  const std::string html = RenderReportHtml(r);
  const XmlCheck x = CheckXml(html);
  ASSERT_TRUE(x.ok) << x.error;
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
}

TEST(HtmlReporterTest, SameFailureSamePage) {
  GCS_SKIP_UNDER_ASAN();
  const auto again = testing::RunSeedBug("refpool/refpool-minimal.json", "refpool-deferred-incref",
                                         ViolationKind::kDoubleFree, 5);
  EXPECT_EQ(RenderReportHtml(again->report), RenderReportHtml(RefpoolDoubleFree().report));
}

TEST(HtmlReporterTest, AfterADeathShowsWhatIsKnown) {
  GCS_SKIP_UNDER_ASAN();
  FailureReport r = RefpoolDoubleFree().report;
  r.trace.clear();
  r.steps.clear();
  r.objects.clear();
  r.histories.clear();
  r.verdict.column = -1;
  r.violations = {r.verdict};
  r.evidence = "reports/x/sanitizer.txt";
  const XmlCheck x = CheckXml(RenderReportHtml(r));
  ASSERT_TRUE(x.ok) << x.error;
  std::string body;
  for (const XmlElement& e : x.elements) {
    if (e.name == "body") body = e.text;
  }
  EXPECT_NE(body.find("the execution's process died"), std::string::npos);
  EXPECT_NE(body.find("reports/x/sanitizer.txt"), std::string::npos);
}

// --- Headless Chromium ---------------------------------------------------------------------

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/snap/bin"}) {
      const std::string path = std::string(dir) + "/" + name;
      if (::access(path.c_str(), X_OK) == 0) return path;
    }
  }
  return "";
}

// Runs argv with stdout/stderr to `log`, killed after `seconds`. Returns the exit status.
int RunWithTimeout(const std::vector<std::string>& argv, const std::string& log, int seconds) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(static_cast<unsigned>(seconds));  // SIGALRM ends a browser that never returns
    FILE* f = std::freopen(log.c_str(), "w", stdout);
    (void)f;
    ::dup2(STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

#ifdef GCS_HAVE_PNG
struct Picture {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgba;
};

std::optional<Picture> ReadPng(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) return std::nullopt;
  image.format = PNG_FORMAT_RGBA;
  Picture p;
  p.width = image.width;
  p.height = image.height;
  p.rgba.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, p.rgba.data(), 0, nullptr) == 0) return std::nullopt;
  return p;
}
#endif

// Renders the page as a user's browser would and looks at the pixels: a blank or broken page is
// one colour (white, or Chromium's error grey); ours has text, coloured boxes, bars, and the
// violation's red.
TEST(HtmlReporterTest, RendersInHeadlessChromium) {
  GCS_SKIP_UNDER_ASAN();
  const std::string chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium not installed (tools/setup --with-browser)";
#ifndef GCS_HAVE_PNG
  GTEST_SKIP() << "built without libpng (tools/setup installs libpng-dev)";
#else
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gcs-html-" + std::to_string(::getpid()));
  fs::create_directories(dir / "profile");
  const fs::path html = dir / "report.html";
  const fs::path png = dir / "shot.png";
  std::ofstream(html) << RenderReportHtml(RefpoolDoubleFree().report);
  const int status = RunWithTimeout(
      {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
       "--user-data-dir=" + (dir / "profile").string(), "--screenshot=" + png.string(),
       "--window-size=1400,900", "file://" + html.string()},
      (dir / "chromium.log").string(), 120);
  std::ifstream log_in(dir / "chromium.log");
  const std::string log((std::istreambuf_iterator<char>(log_in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(WIFEXITED(status) && fs::exists(png)) << "status " << status << "\n" << log;
  const std::optional<Picture> pic = ReadPng(png.string());
  ASSERT_TRUE(pic.has_value()) << "not a PNG: " << png;
  EXPECT_EQ(pic->width, 1400u);
  EXPECT_EQ(pic->height, 900u);
  std::map<uint32_t, size_t> colours;
  size_t red = 0;
  const size_t pixels = static_cast<size_t>(pic->width) * pic->height;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* px = &pic->rgba[i * 4];
    colours[(uint32_t{px[0]} << 16) | (uint32_t{px[1]} << 8) | px[2]]++;
    if (px[0] > 180 && px[1] < 90 && px[2] < 90) ++red;
  }
  size_t most = 0;
  for (const auto& [c, n] : colours)
    most = std::max(most, n);
  // Not blank: at least 5% of the pixels differ from the most common colour, in many colours
  // (anti-aliased text alone gives dozens), and the violation's red shows.
  EXPECT_LT(most, pixels * 95 / 100) << colours.size() << " colours";
  EXPECT_GT(colours.size(), 50u);
  EXPECT_GT(red, 100u) << "the red of the kind badge and the violation marker";
  std::error_code ec;
  fs::remove_all(dir, ec);
#endif
}

}  // namespace
}  // namespace gcs::reporters
