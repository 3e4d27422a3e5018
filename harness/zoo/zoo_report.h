// gcstress zoo — the zoo's results as versioned JSON (the console table is the CLI's).
#pragma once

#include <nlohmann/json.hpp>

#include "harness/zoo/zoo.h"
#include "harness/zoo/zoo_bench.h"

namespace gcs {

// {"gcstress_zoo": 1, "ok": ..., "seconds": ..., "missed": [...], "cells": [...],
//  "passes": [...]}; a cell: fault, scenario, strategy, expected, found, kind, signature,
// iterations, seconds, scenario_steps, repro_steps, repro, replay (the command, or "").
nlohmann::ordered_json ZooToJson(const ZooReport& report);

// {"gcstress_zoo_bench": 1, "ok": ..., "free_yield_per_mille": ..., "missing": [...],
//  "rows": [...], "faults": [...]}; a row: fault, scenario, expected, pct and free (searches,
// found, median_found, median_seconds, median_iterations, max_seconds), speedup,
// speedup_is_bound; a fault: fault, ok, pct_ok, speedup_ok, judged (its scenario), scenarios.
nlohmann::ordered_json ZooBenchToJson(const ZooBenchReport& report, const ZooBenchOptions& options);

// "gcstress replay <repro>" for a replayable cell's repro, else "".
std::string ReplayCommand(const ZooCell& cell);

}  // namespace gcs
