// gcstress tests — GcstressFixture: a temporary working directory and the gcstress runner.
#include "tests/harness/cli/gcstress_fixture.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace gcs::testing {

void GcstressFixture::SetUp() {
  cwd_ = MakeTempDir();
}

void GcstressFixture::TearDown() {
  std::filesystem::remove_all(cwd_);
}

ProcessResult GcstressFixture::Gcstress(std::vector<std::string> args,
                                        std::optional<std::chrono::milliseconds> interrupt_after) {
  args.insert(args.begin(), GCSTRESS_BINARY);
  return RunProcess(args, cwd_, interrupt_after);
}

bool GcstressFixture::Exists(const std::string& relative) const {
  struct stat st {};
  return ::stat(Path(relative).c_str(), &st) == 0;
}

std::string GcstressFixture::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string GcstressFixture::ReplayPath(const std::string& out) {
  static const std::regex line(R"(^  replay: gcstress replay (\S+)$)");
  for (const std::string& l : Lines(out)) {
    std::smatch m;
    if (std::regex_match(l, m, line)) return m[1];
  }
  return "";
}

}  // namespace gcs::testing
