// gcstress tests — Subprocess: runs the built gcstress binary and captures what it did.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gcs::testing {

struct ProcessResult {
  int code = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the binary's path) in directory `cwd`, stdin from /dev/null, stdout and
// stderr captured. With `interrupt_after`, sends SIGINT once that much time has passed.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& cwd,
                         std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt);

// Splits captured output into lines (no trailing empty line).
std::vector<std::string> Lines(const std::string& text);

// A fresh empty directory under the test temp dir.
std::string MakeTempDir();

}  // namespace gcs::testing
