// gcstress zoo — the main job: every seed fault against its scenario family, per strategy.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"
#include "harness/target/target.h"

namespace gcs {

struct ZooOptions {
  std::string target = "core";
  std::string scenarios_dir = "scenarios";  // searched recursively for *.json
  std::vector<std::string> strategies = {"pct", "random", "dfs", "free"};
  std::chrono::milliseconds cell_budget{2000};  // per (scenario, strategy) cell
  uint64_t seed = 1;
  // Free mode's injected yields (chance in 1000 per schedule point) in the free cells: 100 is
  // gcstress's own free mode; 0 is the plain loop of real threads (`while cargo test; do :;
  // done`). The bench has its own (ZooBenchOptions::free_yield_per_mille).
  uint32_t yield_per_mille = 100;
  uint64_t fixed_iterations = 1000;  // pct executions per pass expectation
  bool minimize = true;
  std::chrono::milliseconds minimize_budget{5000};
  std::string reports_dir = "reports/zoo";
};

// One cell of the table: a fault, one scenario of its family, one strategy.
struct ZooCell {
  std::string fault;
  std::string scenario;  // path
  std::string strategy;  // as given ("pct"; "free" for free mode)
  ViolationKind expected = ViolationKind::kCrash;
  bool found = false;
  std::optional<ViolationKind> kind;  // of the failure found (the expected kind when found)
  std::string signature;
  uint64_t iterations = 0;  // executions run, up to and including the first failure
  double seconds = 0;       // wall time to the first failure (or of the whole cell)
  size_t scenario_steps = 0;
  size_t repro_steps = 0;   // of the minimized repro (0: not minimized)
  std::string repro;        // path of the repro written ("" if none)
  bool replayable = false;  // deterministic schedule: `gcstress replay` reproduces it exactly
};

// A pass expectation (fixed core, or a near miss under a fault) checked on one scenario.
struct ZooPassRow {
  std::string scenario;
  std::vector<std::string> faults;
  uint64_t iterations = 0;
  bool passed = true;
  std::string signature;  // of the violation, when not passed
  std::string repro;
};

struct ZooReport {
  std::vector<ZooCell> cells;
  std::vector<ZooPassRow> passes;
  std::vector<std::string> missed;  // faults no pct cell found
  double seconds = 0;
  bool ok() const;  // nothing missed, every pass row passed
};

// A scenario file the zoo can run on its target.
struct ZooScenario {
  std::string path;
  Scenario scenario;
};

// Every *.json under options.scenarios_dir (recursively, in path order) that `target` can run:
// expectations may name any built-in target's faults; files using ops the target lacks are left
// out. A malformed file is an InputError.
Expected<std::vector<ZooScenario>> LoadZooScenarios(const ZooOptions& options,
                                                    const Target& target);

struct ZooProgress {
  std::function<void(const ZooCell&)> cell;
  std::function<void(const ZooPassRow&)> pass;
};

// Runs the zoo: for every fault of the target, every scenario whose `expect` names exactly that
// fault with a violation kind, under every strategy, until a violation of that kind or the cell
// budget; the first failure is minimized and written as a repro. Then every pass expectation
// (under no fault, or a near miss under one) runs `fixed_iterations` pct executions. Scenario
// files the target cannot load are skipped; a malformed one is an InputError.
Expected<ZooReport> RunZoo(const ZooOptions& options, const ZooProgress& progress = {});

}  // namespace gcs
