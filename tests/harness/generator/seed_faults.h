// gcstress generator — tests: the seed faults of the core, each with the verdict kind and the
// hand-written minimal scenario of its family (scenarios/<family>/<family>-minimal.json).
#pragma once

#include <string>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/violation.h"
#include "tests/harness/address_sanitizer.h"

namespace gcs::testing {

struct SeedFault {
  std::string fault;   // a core fault name (core/faults.def)
  ViolationKind kind;  // what the minimal scenario's expect block says the fault produces
  std::string minimal_path;
  Scenario minimal;
};

// False under ASan for a fault whose verdict is a double free or a use after free: its runs
// touch freed memory, which ASan reports (correctly) by aborting.
bool RunsInThisBuild(const SeedFault& fault);

// One per core fault, in core/faults.def order: the scenarios/*/*-minimal.json whose expect block
// names that fault alone. Fails the calling test (ADD_FAILURE) for a fault without one.
std::vector<SeedFault> LoadSeedFaults();

// How scenarios load for the core target: its faults and ops.
LoadOptions CoreLoadOptions();

// scenarios/<relative>, loaded for the core target; fails the calling test if it does not load.
Scenario LoadScenarioForCore(const std::string& relative);

}  // namespace gcs::testing
