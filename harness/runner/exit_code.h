// gcstress runner — ExitCode: the process exit codes of exit_codes.def, and how outcomes map to
// them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "harness/scenario/violation.h"

namespace gcs {

enum class ExitCode : int {
#define GCS_EXIT_CODE(Name, value, name, help) k##Name = value,
#include "harness/runner/exit_codes.def"
#undef GCS_EXIT_CODE
};

struct ExitCodeInfo {
  ExitCode code;
  std::string_view name;
  std::string_view help;
};

// Every exit code, in exit_codes.def order (ascending value).
std::span<const ExitCodeInfo> ListExitCodes();
const ExitCodeInfo& GetExitCodeInfo(ExitCode code);

// The exit code for one verdict: nullopt -> kPass, a hang -> kHang, any other violation ->
// kViolation.
ExitCode ExitCodeForVerdict(const std::optional<Violation>& verdict);

// Of two outcomes (say, of two scenarios in one `gcstress run`), the one the process reports:
// an internal error beats bad input beats a hang beats a violation beats a pass — the most
// urgent thing for whoever reads the exit status.
ExitCode WorseExitCode(ExitCode a, ExitCode b);

// "Exit codes:\n  0  pass  every execution passed...\n..." for --help; Markdown table if asked.
std::string FormatExitCodes(bool markdown);

}  // namespace gcs
