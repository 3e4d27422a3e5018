// gcstress zoo — detection speed: time and iterations to the first failure, the deterministic
// search against free.
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

// The detection-speed targets (DESIGN §9): a search median under kSearchMedianTarget, and
// kSpeedupTarget times faster than free on the same scenario (or free missing within its budget).
inline constexpr double kSearchMedianTarget = 1.0;  // seconds
inline constexpr double kSpeedupTarget = 100;

struct ZooBenchOptions {
  ZooOptions zoo;  // target, scenarios_dir, reports are used; strategies are not
  // The deterministic search: a strategy spec (zoo --bench-strategy).
  std::string strategy = "portfolio";
  uint32_t seeds = 20;      // searches first_seed..first_seed+seeds-1 (see BenchBaseSeed)
  uint32_t first_seed = 1;  // runs after the first search fresh seeds (zoo --bench-runs)
  std::chrono::milliseconds search_budget{2000};  // per search
  std::chrono::milliseconds free_budget{2000};
  // The free searches' injected yields (chance in 1000 per schedule point). 0: plain threads,
  // the `while cargo test; do :; done` loop that the speedup target is about. (zoo.yield_per_mille
  // is the zoo cells' and is not used here.)
  uint32_t free_yield_per_mille = 0;
};

// Search number n's base seed: n * 2^32. Iteration i of a search runs with seed
// splitmix64(base + i), so searches from consecutive base seeds would be one sequence shifted by
// an iteration, not independent samples; 2^32 apart they never share a seed.
constexpr uint64_t BenchBaseSeed(uint32_t search) {
  return uint64_t{search} << 32;
}

// One strategy's searches of one scenario. A search that does not find the expected kind within
// its budget is censored: it counts as slower than every search that found it, so the medians
// are over all searches, and a median that falls on a miss is "not found" (`median_found` false).
struct DetectionStats {
  uint32_t searches = 0;
  uint32_t found = 0;
  bool median_found = false;  // more than half the searches found it: the medians are times
  double median_seconds = 0;  // over all searches (valid when median_found)
  double median_iterations = 0;
  double max_seconds = 0;  // of the searches that found it
};

// One scenario of a bug's family (a fault's, or a real system's own at one version), searched
// `seeds` times with the deterministic search and with free.
struct ZooBenchRow {
  std::string target;    // the spec searched ("core", "pyo3@0.17.3")
  std::string fault;     // the fault switch; "" for a real system's own bug
  std::string bug;       // the fault, or "system version"
  std::string scenario;  // path
  ViolationKind expected = ViolationKind::kCrash;
  DetectionStats search, free;
  // free median / search median. When free's median is a miss it is a lower bound:
  // free_budget / search median (`speedup_is_bound`). 0 when the search's median is a miss.
  double speedup = 0;
  bool speedup_is_bound = false;
};

// A fault's verdict over its family. The deterministic search must find every time on every
// scenario, median under
// kSearchMedianTarget. The speedup is judged on the family's scenario that free finds slowest (most
// misses, then the highest median): a scheduler's speedup exists only where the bug needs a rare
// interleaving, and a family's minimal sequence often fails under every interleaving, so any
// loop finds it at once — those rows are shown, not judged.
struct ZooBenchFault {
  std::string fault;         // the bug: a fault switch, or "system version"
  bool real = false;         // a real system's own bug: every search must find it; times shown
  std::vector<size_t> rows;  // indices into ZooBenchReport::rows, in path order
  size_t judged = 0;         // the row the speedup is judged on
  bool search_ok = false;
  bool speedup_ok = false;
  bool ok() const { return search_ok && speedup_ok; }
};

struct ZooBenchReport {
  std::vector<ZooBenchRow> rows;
  std::vector<ZooBenchFault> faults;  // in the target's fault order; only faults with a family
  std::vector<std::string> missing;   // faults of the target no scenario expects
  bool ok() const;
};

// Every fault of the target against every scenario of its family (an expect entry naming just
// that fault with a violation kind), searched `seeds` times from independent base seeds with the
// strategy and with free mode, each search until the expected violation kind or its budget. A
// target with versions is searched at each; its own bug (the expect entry for it with no faults)
// counts as found at the first violation of any kind, as a loop of the real system's tests stops at
// any failure — a crash, usually, where the oracles name a use-after-free (free mode runs only the
// order-independent oracles); its executions run in child processes. Wall-clock figures: a
// benchmark, not a result. `row` is called as each row is done.
Expected<ZooBenchReport> RunZooBench(const ZooBenchOptions& options,
                                     const std::function<void(const ZooBenchRow&)>& row = {});

}  // namespace gcs
