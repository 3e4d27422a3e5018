// gcstress runner — ExitCode: the table, the verdict mapping and the precedence between outcomes.
#include "harness/runner/exit_code.h"

#include <algorithm>
#include <cstddef>

#include "core/check.h"

namespace gcs {
namespace {

constexpr ExitCodeInfo kExitCodes[] = {
#define GCS_EXIT_CODE(Name, value, name, help) {ExitCode::k##Name, name, help},
#include "harness/runner/exit_codes.def"
#undef GCS_EXIT_CODE
};

// Higher is more urgent. Every code must appear: a new row in exit_codes.def fails the build
// here until its precedence is decided.
constexpr int Urgency(ExitCode code) {
  switch (code) {
    case ExitCode::kPass:
      return 0;
    case ExitCode::kViolation:
      return 1;
    case ExitCode::kHang:
      return 2;
    case ExitCode::kBadInput:
      return 3;
    case ExitCode::kInternalError:
      return 4;
  }
  return -1;
}

}  // namespace

std::span<const ExitCodeInfo> ListExitCodes() {
  return kExitCodes;
}

const ExitCodeInfo& GetExitCodeInfo(ExitCode code) {
  for (const ExitCodeInfo& info : kExitCodes) {
    if (info.code == code) return info;
  }
  GCS_CHECK_MSG(false, "exit code missing from exit_codes.def");
  return kExitCodes[0];
}

ExitCode ExitCodeForVerdict(const std::optional<Violation>& verdict) {
  if (!verdict) return ExitCode::kPass;
  return verdict->kind == ViolationKind::kHang ? ExitCode::kHang : ExitCode::kViolation;
}

ExitCode WorseExitCode(ExitCode a, ExitCode b) {
  return Urgency(b) > Urgency(a) ? b : a;
}

std::string FormatExitCodes(bool markdown) {
  std::string out = markdown ? "| code | name | meaning |\n|---|---|---|\n" : "";
  size_t width = 0;
  for (const ExitCodeInfo& info : kExitCodes)
    width = std::max(width, info.name.size());
  for (const ExitCodeInfo& info : kExitCodes) {
    const std::string value = std::to_string(static_cast<int>(info.code));
    if (markdown) {
      out +=
          "| " + value + " | `" + std::string(info.name) + "` | " + std::string(info.help) + " |\n";
    } else {
      out += "  " + value + "  " + std::string(info.name) +
             std::string(width - info.name.size() + 2, ' ') + std::string(info.help) + "\n";
    }
  }
  return out;
}

}  // namespace gcs
