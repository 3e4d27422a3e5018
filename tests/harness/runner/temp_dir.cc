// gcstress tests — TempDirUntilExit: mkdtemp, and one list removed at exit.
#include "tests/harness/runner/temp_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <vector>

namespace gcs::testing {
namespace {

struct TempDirs {
  std::vector<std::string> made;
  ~TempDirs() {
    for (const std::string& d : made)
      std::filesystem::remove_all(d);
  }
};

}  // namespace

std::string TempDirUntilExit(const std::string& prefix) {
  static TempDirs dirs;
  std::string templ = ::testing::TempDir() + prefix + "XXXXXX";
  EXPECT_NE(::mkdtemp(templ.data()), nullptr);
  dirs.made.push_back(templ);
  return templ;
}

}  // namespace gcs::testing
