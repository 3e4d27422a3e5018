// gcstress scenario — encoding a Scenario back to JSON and to human-readable text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "harness/scenario/scenario.h"

namespace gcs {

// The canonical JSON of a valid scenario: top-level keys in the order format, name, description,
// source, threads, expect (empty optional ones left out); each step's keys "op" first, then the
// op's fields in ops.def order, optional fields only when set ("type" only for "subclass");
// plain threads as step arrays, workers as {"worker": true, "steps": [...]}. Deterministic.
// GCS_CHECKs that s is valid (indices in range, required fields set).
nlohmann::ordered_json ScenarioToJson(const Scenario& s);

// ScenarioToJson as stable, readable text: two-space indentation, one step per line, a final
// newline. LoadScenarioText(FormatScenario(s)) == s for every loaded s.
std::string FormatScenario(const Scenario& s);

// One line for traces and reports: "clone obj -> c", "set a[1] = b", "export o to w1 -> p".
std::string FormatStep(const Scenario& s, const Step& step);

}  // namespace gcs
