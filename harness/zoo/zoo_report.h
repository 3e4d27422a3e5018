// gcstress zoo — the zoo's results as versioned JSON (the console table is the CLI's).
#pragma once

#include <nlohmann/json.hpp>

#include "harness/zoo/zoo.h"

namespace gcs {

// {"gcstress_zoo": 1, "ok": ..., "seconds": ..., "missed": [...], "cells": [...],
//  "passes": [...]}; a cell: fault, scenario, strategy, expected, found, kind, signature,
// iterations, seconds, scenario_steps, repro_steps, repro, replay (the command, or "").
nlohmann::ordered_json ZooToJson(const ZooReport& report);

// "gcstress replay <repro>" for a replayable cell's repro, else "".
std::string ReplayCommand(const ZooCell& cell);

}  // namespace gcs
