// gcstress zoo — detection speed: time and iterations to the first failure, pct against free.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/violation.h"
#include "harness/zoo/zoo.h"

namespace gcs {

struct ZooBenchOptions {
  ZooOptions zoo;       // target, scenarios_dir, reports are used; strategies are not
  uint32_t seeds = 20;  // base seeds 1..seeds, each a separate search
  std::chrono::milliseconds pct_budget{10000};  // per search
  std::chrono::milliseconds free_budget{10000};
};

// One strategy's searches for one fault.
struct DetectionStats {
  uint32_t searches = 0;
  uint32_t found = 0;
  double median_seconds = 0;  // over the searches that found it
  double median_iterations = 0;
  double max_seconds = 0;
};

struct ZooBenchRow {
  std::string fault;
  std::string scenario;  // the family's smallest scenario
  ViolationKind expected = ViolationKind::kCrash;
  DetectionStats pct, free;
  // free median / pct median when free found it in every search; 0 otherwise.
  double speedup = 0;
};

// For every fault of the target: its family's scenario with the fewest steps, searched `seeds`
// times from different base seeds with pct and with free mode, each search until the expected
// violation kind or its budget. Wall-clock figures: a benchmark, not a result.
Expected<std::vector<ZooBenchRow>> RunZooBench(
    const ZooBenchOptions& options, const std::function<void(const ZooBenchRow&)>& row = {});

}  // namespace gcs
