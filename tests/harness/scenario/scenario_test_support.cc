// gcstress scenario — test support: the scenario files in the source tree and the known faults.
#include "tests/harness/scenario/scenario_test_support.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace gcs::testing {
namespace {

std::vector<std::filesystem::path> JsonFilesUnder(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::filesystem::path SourceDir() {
  return GCS_SOURCE_DIR;
}

std::vector<std::filesystem::path> ScenarioFiles() {
  return JsonFilesUnder(SourceDir() / "scenarios");
}

std::vector<std::filesystem::path> ExampleFiles() {
  return JsonFilesUnder(SourceDir() / "scenarios" / "examples");
}

std::string ReadTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> CoreFaultNames() {
  // The loader knows no fault names (they belong to the targets); the tests use the built-in
  // targets' — what the runner passes too, since an expect block may name any target's faults.
  return {
#define GCS_FAULT(Name, flag, ...) flag,
#include "core/faults.def"
#undef GCS_FAULT
#define GCS_CPYTHON_FAULT(Name, flag, ...) flag,
#include "harness/targets/cpython/cpython_faults.def"
#undef GCS_CPYTHON_FAULT
  };
}

LoadOptions CoreLoadOptions() {
  LoadOptions options;
  options.known_faults = CoreFaultNames();
  return options;
}

}  // namespace gcs::testing
