// gcstress scenario — test support: the scenario files in the source tree and the known faults.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/scenario/scenario_loader.h"

namespace gcs::testing {

// The source tree's root (GCS_SOURCE_DIR).
std::filesystem::path SourceDir();

// Every *.json under scenarios/, recursively, sorted by path: the set at test time, not at
// configure time.
std::vector<std::filesystem::path> ScenarioFiles();

// The *.json files of scenarios/examples/, sorted.
std::vector<std::filesystem::path> ExampleFiles();

// The whole file; fails the current test (and returns "") if it cannot be read.
std::string ReadTextFile(const std::filesystem::path& path);

// The core target's fault names, from core/faults.def when the tree has it.
std::vector<std::string> CoreFaultNames();

// LoadOptions for the core target with its faults.
LoadOptions CoreLoadOptions();

}  // namespace gcs::testing
