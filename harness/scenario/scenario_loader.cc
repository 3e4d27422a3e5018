// gcstress scenario — loading scenarios: each input form's reader, then one validation.
//
//   text or file -> ParseJson -> DraftFromJson  --> ValidateDraft --> Scenario
//   a Scenario built in memory -> DraftFromScenario --> ValidateDraft --> Scenario
#include "harness/scenario/scenario_loader.h"

#include <string>

#include "harness/scenario/scenario_draft.h"
#include "harness/scenario/scenario_json_reader.h"

namespace gcs {

Expected<Scenario> ScenarioFromJson(const nlohmann::ordered_json& json, std::string_view file,
                                    std::string_view pointer_prefix, const LoadOptions& options) {
  return ValidateDraft(DraftFromJson(json), file, pointer_prefix, options);
}

Expected<Scenario> NormalizeScenario(const Scenario& draft, std::string_view file,
                                     const LoadOptions& options) {
  return ValidateDraft(DraftFromScenario(draft), file, "", options);
}

JsonReadOptions ScenarioJsonReadOptions(std::string pointer_prefix) {
  JsonReadOptions read;
  read.duplicate_key_message = [threads = pointer_prefix + "/threads"](std::string_view pointer,
                                                                       std::string_view key) {
    return (pointer == threads ? "duplicate thread name " : "duplicate key ") +
           QuoteForMessage(key);
  };
  return read;
}

Expected<Scenario> LoadScenarioText(std::string_view text, std::string_view file,
                                    const LoadOptions& options) {
  Expected<nlohmann::ordered_json> json = ParseJson(text, file, ScenarioJsonReadOptions());
  if (!json) return json.error();
  return ScenarioFromJson(*json, file, "", options);
}

Expected<Scenario> LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  Expected<std::string> text = ReadInputFile(path);
  if (!text) return text.error();
  return LoadScenarioText(*text, path, options);
}

}  // namespace gcs
