// gcstress cli — loading the scenario files a command names, all before anything runs.
#pragma once

#include <string>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs::cli {

struct ScenarioInput {
  std::string path;
  Scenario scenario;
};

// Loads every file in order; the first bad one is the error, so a typo in the last of ten files
// exits 2 before the first one runs.
Expected<std::vector<ScenarioInput>> LoadScenarioInputs(const std::vector<std::string>& paths,
                                                        const LoadOptions& options);

}  // namespace gcs::cli
