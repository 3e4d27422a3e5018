// gcstress scenario — loading scenarios (format 1, scenarios/README.md): read, then validate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "harness/scenario/json_input.h"
#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_validation.h"

namespace gcs {

// Every error is one InputError: file, a JSON pointer (or "line L column C" for syntax errors)
// and a one-line message. None of these throws, whatever the input.
Expected<Scenario> LoadScenarioFile(const std::string& path, const LoadOptions& options);
Expected<Scenario> LoadScenarioText(std::string_view text, std::string_view file,
                                    const LoadOptions& options);

// Reads (DraftFromJson) and validates an already parsed scenario, e.g. one embedded in a repro file
// under "/scenario": pointers in messages start with `pointer_prefix`. Recomputes vars, vms and
// `spawned` from the steps, so ScenarioFromJson(ScenarioToJson(s)) also normalizes a
// programmatically built s.
Expected<Scenario> ScenarioFromJson(const nlohmann::ordered_json& json, std::string_view file,
                                    std::string_view pointer_prefix, const LoadOptions& options);

// ScenarioFromJson(ScenarioToJson(draft), file, "", options) without the JSON: the same
// validation (ValidateDraft of DraftFromScenario), result and first error (a draft's thread names
// may repeat, which JSON cannot say: "duplicate thread name", as ParseJson words it). What
// ScenarioToJson GCS_CHECKs about a draft (indices in range, required fields set) is GCS_CHECKed
// here too.
// For scenarios built in memory once per fuzz case or minimizer candidate, where building and
// reading back a JSON document would cost more than running the scenario.
Expected<Scenario> NormalizeScenario(const Scenario& draft, std::string_view file,
                                     const LoadOptions& options);

// The strict-parse options scenario text is read with (a duplicate key under
// `<pointer_prefix>/threads` is reported as a duplicate thread name). For files embedding one.
JsonReadOptions ScenarioJsonReadOptions(std::string pointer_prefix = "");

}  // namespace gcs
