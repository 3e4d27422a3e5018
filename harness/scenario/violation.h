// gcstress scenario — Violation: the verdict kinds of harness/violations.def, and one finding of
// an oracle (or the runner, a sanitizer, a target) in one execution.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "core/ids.h"

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

// One finding. Plain data; the signature is what deduplication, triage and minimization compare,
// so it must be stable across runs and schedules: it names the kind of violation, the op of the
// step during which it showed, the phase of the execution, and the core site of the event that
// exposed it — never allocation ids, thread indices or step numbers.
struct Violation {
  ViolationKind kind = ViolationKind::kCrash;
  std::string message;  // one line, for people: "allocation #7 freed twice (...)"
  uint32_t thread = 0;  // scenario thread of the step; == threads.size() for teardown
  uint32_t step = 0;    // step index within that thread
  std::string op;       // op name of that step ("" when not during a step)
  std::string phase;    // "step", "teardown", "drop-check", "deadlock", "crash", ...
  std::string site;     // core site of the exposing event ("" if none)
  core::AllocId obj = core::kNoAlloc;
  size_t trace_index = 0;  // the trace entry at which it was detected

  // "<kind>/<op>/<phase>/<site>", e.g. "double-free/attach/step/lifecycle.dealloc".
  std::string Signature() const {
    return std::string(ViolationName(kind)) + "/" + (op.empty() ? "-" : op) + "/" +
           (phase.empty() ? "-" : phase) + "/" + (site.empty() ? "-" : site);
  }
};

// The verdict order: the more severe kind (the lower enumerator of harness/violations.def) wins;
// among equals the earlier trace entry; then signature and message, so that the choice never
// depends on the order in which oracles happened to report.
inline bool MoreSevere(const Violation& a, const Violation& b) {
  return std::make_tuple(static_cast<int>(a.kind), a.trace_index, a.Signature(), a.message) <
         std::make_tuple(static_cast<int>(b.kind), b.trace_index, b.Signature(), b.message);
}

// The verdict of an execution among all its violations (nullopt: it passed).
inline std::optional<Violation> MostSevere(std::span<const Violation> all) {
  const Violation* best = nullptr;
  for (const Violation& v : all) {
    if (best == nullptr || MoreSevere(v, *best)) best = &v;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace gcs
