// gcstress scheduler — Schedule: a seed plus every decision taken, and its versioned text form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"

// The text form, version 1. One line, no spaces, only [a-z0-9=,:._-] so it pastes into a shell
// argument unquoted (no glob, tilde or history characters):
//
//   gcs1:seed=<u64>:strategy=<spec>:<decisions>
//
//   <spec>       the strategy's canonical spec, [a-z0-9=,:_-]+ ("pct:depth=3,steps=64"). It may
//                contain ':' itself; the decisions are whatever follows the LAST ':', since
//                they never contain one.
//   <decisions>  empty, or items joined by '.', in the order they were taken:
//       T        the thread T was chosen at a choice point           e.g. 2
//       TxN      T chosen N times in a row (N >= 2): "3x4" = 3.3.3.3 e.g. 0x12
//       rV       a random draw that returned V                       e.g. r17
//   numbers      unsigned decimal, no sign, no leading zeros (a thread index fits in 32 bits,
//                a seed and a draw in 64).
//
//   gcs1:seed=42:strategy=pct:depth=3,steps=64:0x3.1.r9203711.0.1x2
//
// FormatSchedule writes the canonical form: maximal runs as TxN, a single pick as T. ParseSchedule
// also accepts non-canonical but unambiguous runs ("1.1", "1x2.1"), ignores whitespace around the
// line (a trailing newline from a file or `echo`), and rejects everything else with the offset
// of the first bad character. A schedule holds at most kMaxScheduleDecisions decisions, so a
// short line ("0x999999999999") cannot ask for unbounded memory.

namespace gcs::sched {

struct Decision {
  enum class Kind : uint8_t { kThread, kDraw };
  Kind kind = Kind::kThread;
  uint64_t value = 0;  // the thread index, or the value drawn

  friend bool operator==(const Decision&, const Decision&) = default;
};

struct Schedule {
  uint64_t seed = 0;
  std::string strategy;  // the spec of the strategy that produced it
  std::vector<Decision> decisions;

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

inline constexpr size_t kMaxScheduleDecisions = size_t{1} << 24;

inline constexpr Decision ThreadDecision(uint64_t thread) {
  return {Decision::Kind::kThread, thread};
}
inline constexpr Decision DrawDecision(uint64_t value) {
  return {Decision::Kind::kDraw, value};
}

// The canonical text form. The strategy spec must be non-empty and in [a-z0-9=,:_-], every thread
// decision must fit in 32 bits (GCS_CHECK: our strategies guarantee both).
std::string FormatSchedule(const Schedule& schedule);

// Parses the text form; `file` names where it came from for the error ("<flag>", a repro path).
// Errors: InputError{file, "offset N", message}, N = 0-based character offset in `text`.
Expected<Schedule> ParseSchedule(std::string_view text, std::string_view file);

}  // namespace gcs::sched
