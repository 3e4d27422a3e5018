// gcstress benchmarks — a one-thread scenario of many cheap steps, for steps/s.
#pragma once

#include <string>
#include <vector>

namespace gcs::bench {

// `first`, then `steps - 1` steps cycling through `cycle`, all on one thread: every schedule
// point has one runnable thread, so no decision is ever asked of the strategy. Steps are JSON
// objects as text.
inline std::string CyclingScenario(int steps, const std::string& first,
                                   const std::vector<std::string>& cycle) {
  std::string text = first;
  for (int i = 1; i < steps; ++i)
    text += ", " + cycle[static_cast<size_t>(i) % cycle.size()];
  return R"({"format": 1, "name": "steps", "threads": {"t": [)" + text + "]}}";
}

}  // namespace gcs::bench
