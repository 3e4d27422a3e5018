// gcstress generator — tests: finding each seed fault's minimal scenario under scenarios/.
#include "seed_faults.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/faults.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/targets/core/core_target.h"

namespace gcs::testing {
LoadOptions CoreLoadOptions() {
  CoreTarget target;
  LoadOptions options;
  options.known_faults = target.FaultNames();
  options.supported_ops = target.SupportedOps();
  return options;
}

Scenario LoadScenarioForCore(const std::string& relative) {
  const std::string path = std::string(GCS_SOURCE_DIR) + "/scenarios/" + relative;
  Expected<Scenario> s = LoadScenarioFile(path, CoreLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

bool RunsInThisBuild(const SeedFault& fault) {
  return !kAddressSanitizer ||
         (fault.kind != ViolationKind::kDoubleFree && fault.kind != ViolationKind::kUseAfterFree);
}

std::vector<SeedFault> LoadSeedFaults() {
  std::vector<std::filesystem::path> files;
  for (const auto& dir :
       std::filesystem::directory_iterator(std::string(GCS_SOURCE_DIR) + "/scenarios")) {
    if (!dir.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(dir.path())) {
      const std::string name = file.path().filename().string();
      if (name.size() > 13 && name.ends_with("-minimal.json")) files.push_back(file.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<SeedFault> out;
  for (const core::FaultInfo& f : core::AllFaults()) {
    bool found = false;
    for (const auto& file : files) {
      Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
      if (!s.ok()) continue;
      for (const Expectation& e : s->expect) {
        if (e.faults.size() != 1 || e.faults[0] != f.name || !e.violation) continue;
        out.push_back(SeedFault{std::string(f.name), *e.violation, file.string(), *s});
        found = true;
      }
      if (found) break;
    }
    if (!found)
      ADD_FAILURE() << "no scenarios/*/*-minimal.json expects a violation under " << f.name;
  }
  return out;
}

}  // namespace gcs::testing
