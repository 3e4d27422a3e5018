// gcstress cli — durations on the command line.
#include "harness/cli/duration.h"

#include <cstdint>
#include <string>

namespace gcs::cli {

Expected<std::chrono::milliseconds> ParseDuration(std::string_view text, std::string_view flag) {
  const auto bad = [&] {
    return InputError{"<flag>", std::string(flag),
                      "bad duration \"" + std::string(text) +
                          "\" (expected a number and a unit: 250ms, 30s, 5m, 1h; or 0)"};
  };
  if (text == "0") return std::chrono::milliseconds(0);
  size_t digits = 0;
  uint64_t value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (digits == 12) return bad();  // beyond any sensible budget, and far from overflow
    value = value * 10 + static_cast<uint64_t>(text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return bad();
  const std::string_view unit = text.substr(digits);
  uint64_t ms_per_unit = 0;
  if (unit == "ms") {
    ms_per_unit = 1;
  } else if (unit == "s") {
    ms_per_unit = 1000;
  } else if (unit == "m") {
    ms_per_unit = 60 * 1000;
  } else if (unit == "h") {
    ms_per_unit = 60 * 60 * 1000;
  } else {
    return bad();
  }
  return std::chrono::milliseconds(static_cast<int64_t>(value * ms_per_unit));
}

}  // namespace gcs::cli
