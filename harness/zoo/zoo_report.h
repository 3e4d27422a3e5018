// gcstress zoo — the zoo's results as versioned JSON (the console table is the CLI's).
#pragma once

#include <nlohmann/json.hpp>

#include "harness/zoo/zoo.h"
#include "harness/zoo/zoo_bench.h"

namespace gcs {

// {"gcstress_zoo": 1, ...}: the keys, in order, are zoo_fields.def's rows.
nlohmann::ordered_json ZooToJson(const ZooReport& report);

// {"gcstress_zoo_bench": 1, ...}: the keys, in order, are zoo_bench_fields.def's rows.
nlohmann::ordered_json ZooBenchToJson(const ZooBenchReport& report, const ZooBenchOptions& options);

// "gcstress replay <repro>" for a replayable cell's repro, else "".
std::string ReplayCommand(const ZooCell& cell);

}  // namespace gcs
