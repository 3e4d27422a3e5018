// gcstress tests — the fault sets a test that compares two ways of running every seed fault uses.
#pragma once

#include <string>
#include <vector>

#include "core/faults.h"
#include "tests/harness/address_sanitizer.h"

namespace gcs::testing {

// The fixed core (no fault), then each seed fault on its own. Under ASan the fixed core only: the
// faulty paths touch freed memory there and abort the test process.
inline std::vector<std::vector<std::string>> FixedCoreThenEachFault() {
  std::vector<std::vector<std::string>> sets = {{}};
  if (!kAddressSanitizer) {
    for (const core::FaultInfo& f : core::AllFaults())
      sets.push_back({std::string(f.name)});
  }
  return sets;
}

}  // namespace gcs::testing
