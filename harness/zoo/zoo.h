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
  std::string target = "core";  // at each of its versions, unless it names one ("comlink@4.4.1")
  // Then every real system the scenarios name in an expect entry's "target" (RealSystems), each
  // at each of its versions, with real_strategies and real_iterations.
  bool real_systems = false;
  std::vector<std::string> real_strategies = {"pct"};
  // A real system's execution costs milliseconds (a fresh interpreter, a Node worker), the core's
  // microseconds: its cells get more time.
  std::chrono::milliseconds real_cell_budget{10000};
  uint64_t real_iterations = 30;            // pct executions per pass expectation of a real system
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

// One cell of the table: a bug (a fault switch, or a real system's own code at one version), one
// scenario of its family, one strategy.
struct ZooCell {
  std::string target;  // the spec the cell ran ("core", "pyo3@0.17.3", "comlink@4.4.1")
  std::string system;  // its name ("pyo3") and version ("0.17.3", "" if none)
  std::string version;
  bool real = false;  // a real system's own bug (no fault switch): fault is ""
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
  std::string target;  // spec, as ZooCell
  std::string system;
  std::string version;
  bool real = false;
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
  std::vector<std::string> missed;  // faults (or "system@version") no pct cell found
  std::vector<std::string> abouts;  // per real system and version: what ran (Target::About)
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

// Runs the zoo: for every bug of the target — each fault switch, and at each version the target's
// own code (no fault) — every scenario whose expect entry for that target, version and fault set
// (ExpectationsFor) is a violation kind, under every strategy, until a violation of that kind or
// the cell budget; the first failure is minimized (unless its process died) and written as a
// repro. Then every pass expectation (under no fault, or a near miss under one) runs
// `fixed_iterations` pct executions. Then the same for each real system (options.real_systems).
// Scenario files a target cannot load are skipped; a malformed one is an InputError.
Expected<ZooReport> RunZoo(const ZooOptions& options, const ZooProgress& progress = {});

// The real systems of the scenarios under options.scenarios_dir: every target without fault
// switches, other than options.target, that some expect entry names, in target-table order.
Expected<std::vector<std::string>> RealSystems(const ZooOptions& options);

// A target spec at each version it runs in the zoo: itself if it names a version or the target
// has none, else "name@version" for each of its versions.
Expected<std::vector<std::string>> ZooTargetSpecs(const std::string& spec);

}  // namespace gcs
