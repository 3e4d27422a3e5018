// gcstress runner — Repro: a failing execution as a file that replays it (scenario + schedule +
// config + the verdict it gave).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"
#include "harness/target/target.h"

// The repro file, format 1: one JSON object whose keys, order and meanings are declared once in
// repro_fields.def (ReproSchemaText renders them); all required, no others. Every malformed,
// missing, extra, wrong-typed or inconsistent field is an InputError naming its JSON pointer
// ("/verdict/step", "/scenario/threads/t1/3/op"), exit code 2.

namespace gcs {

inline constexpr int kReproFormat = 1;

struct Repro {
  Scenario scenario;
  std::string target;
  std::vector<std::string> faults;
  std::string strategy;  // == schedule.strategy
  uint64_t seed = 0;
  uint64_t iteration = 0;
  bool free_mode = false;
  uint32_t yield_per_mille = 0;
  sched::Schedule schedule;
  // kind, message, thread, step, op, phase and site; obj and trace_index are not kept.
  Violation verdict;

  bool operator==(const Repro&) const;
};

// The repro of a failure found by a run with `config`.
Repro MakeRepro(const Scenario& scenario, const RunConfig& config, const Failure& failure);

nlohmann::ordered_json ReproToJson(const Repro& repro);
// The format as text, one line per key ("verdict"'s indented under it).
std::string ReproSchemaText();
// ReproToJson as text: two-space indentation, the scenario in FormatScenario's layout (one step
// per line), a final newline. Deterministic.
std::string FormatRepro(const Repro& repro);

// Finds a target by name, to validate the scenario and faults against it. MakeTarget by default.
using TargetLookup = std::function<Expected<std::unique_ptr<Target>>(std::string_view name)>;

Expected<Repro> ParseRepro(std::string_view text, std::string_view file,
                           const TargetLookup& lookup = MakeTarget);
Expected<Repro> LoadRepro(const std::string& path, const TargetLookup& lookup = MakeTarget);

// Writes <reports_dir>/<SignatureSlug(signature)>[-N]/repro.json atomically, in a directory no
// other run shares (report_dir.h). Returns the file's path.
Expected<std::string> WriteRepro(const std::string& reports_dir, const Repro& repro);

}  // namespace gcs
