// gcstress scenario — ViolationKind: the verdict kinds of harness/violations.def.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gcs {

namespace violation_detail {
inline constexpr uint8_t kCount = 0
#define GCS_VIOLATION(...) +1
#include "harness/violations.def"
#undef GCS_VIOLATION
    ;
}  // namespace violation_detail

// One enumerator per GCS_VIOLATION, in table order.
enum class ViolationKind : uint8_t {
#define GCS_VIOLATION(Name, json, help) k##Name,
#include "harness/violations.def"
#undef GCS_VIOLATION
  kMaxValue = violation_detail::kCount - 1,
};
inline constexpr size_t kViolationKindCount = violation_detail::kCount;

struct ViolationInfo {
  ViolationKind kind;
  std::string_view json;  // the name in reports and in a scenario's "expect" results
  std::string_view help;
};

inline constexpr std::array<ViolationInfo, kViolationKindCount> kViolationTable = {{
#define GCS_VIOLATION(Name, json, help) {ViolationKind::k##Name, json, help},
#include "harness/violations.def"
#undef GCS_VIOLATION
}};

constexpr const ViolationInfo& GetViolationInfo(ViolationKind kind) {
  return kViolationTable[static_cast<size_t>(kind)];
}
constexpr std::string_view ViolationName(ViolationKind kind) {
  return GetViolationInfo(kind).json;
}

constexpr std::optional<ViolationKind> ViolationFromName(std::string_view json) {
  for (const ViolationInfo& info : kViolationTable) {
    if (info.json == json) return info.kind;
  }
  return std::nullopt;
}

// The Markdown table of every verdict kind (scenarios/README.md embeds it; a test keeps them
// equal).
std::string FormatViolationsTable();

}  // namespace gcs
