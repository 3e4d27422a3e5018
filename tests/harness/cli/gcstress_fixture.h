// gcstress tests — GcstressFixture: the built gcstress run as a subprocess in a fresh directory.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/harness/cli/subprocess.h"

namespace gcs::testing {

// The source tree's test inputs (GCS_SOURCE_DIR is defined by the test targets).
inline const std::string kTestdata = std::string(GCS_SOURCE_DIR) + "/tests/harness/cli/testdata/";
inline const std::string kScenarios = std::string(GCS_SOURCE_DIR) + "/scenarios/";

// Each test gets its own working directory, removed afterwards; gcstress runs in it.
class GcstressFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs the built gcstress (GCSTRESS_BINARY) with `args` in the test's directory.
  ProcessResult Gcstress(std::vector<std::string> args,
                         std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt);

  // `relative` under the test's directory.
  std::string Path(const std::string& relative) const { return cwd_ + "/" + relative; }
  bool Exists(const std::string& relative) const;
  // The whole file at `path`; "" if it cannot be read.
  static std::string Read(const std::string& path);

  // The path in the "  replay: gcstress replay <path>" line; "" if none.
  static std::string ReplayPath(const std::string& out);

  std::string cwd_;
};

}  // namespace gcs::testing
