// gcstress tests — DescribedViolations: violations as comparable lines, for tests that check two
// ways of running give the same verdict.
#pragma once

#include <string>
#include <vector>

#include "harness/scenario/violation.h"

namespace gcs::testing {

// "<trace index> <signature>: <message>" per violation, in order.
inline std::vector<std::string> DescribedViolations(const std::vector<Violation>& violations) {
  std::vector<std::string> out;
  for (const Violation& v : violations)
    out.push_back(std::to_string(v.trace_index) + " " + v.Signature() + ": " + v.message);
  return out;
}

}  // namespace gcs::testing
