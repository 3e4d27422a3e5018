// gcstress cli — loading the scenario files a command names.
#include "harness/cli/scenario_inputs.h"

#include <utility>

namespace gcs::cli {

Expected<std::vector<ScenarioInput>> LoadScenarioInputs(const std::vector<std::string>& paths,
                                                        const LoadOptions& options) {
  std::vector<ScenarioInput> inputs;
  for (const std::string& path : paths) {
    Expected<Scenario> s = LoadScenarioFile(path, options);
    if (!s) return s.error();
    inputs.push_back(ScenarioInput{path, std::move(s).value()});
  }
  return inputs;
}

}  // namespace gcs::cli
