// gcstress scenario — the JSON form's reader: a parsed scenario document into a ScenarioDraft.
#pragma once

#include <nlohmann/json.hpp>

#include "harness/scenario/scenario_draft.h"

namespace gcs {

// Reads `json` in the validator's order, checking only the document's shape: JSON types, known
// ops and fields, required fields, "format", field indices in range, type and result names.
// At the first shape error it stops (ScenarioDraft::stop) and leaves the rest unread; every
// other check, and the choice between a stop and an earlier validation error, is
// ValidateDraft's. Never throws.
ScenarioDraft DraftFromJson(const nlohmann::ordered_json& json);

}  // namespace gcs
