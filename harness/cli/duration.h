// gcstress cli — durations on the command line: 250ms, 30s, 5m, 1h, or 0.
#pragma once

#include <chrono>
#include <string_view>

#include "harness/input_error.h"

namespace gcs::cli {

// A whole number and a unit (ms, s, m, h), or "0" for none. Errors name `flag`:
//   <flag>: --time-budget: bad duration "5x" (expected a number and a unit: 250ms, 30s, 5m, 1h)
Expected<std::chrono::milliseconds> ParseDuration(std::string_view text, std::string_view flag);

}  // namespace gcs::cli
