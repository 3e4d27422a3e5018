// gcstress triage — report folders grouped by signature: how often each failure was seen, when
// first and last, and its shortest repro.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"

namespace gcs::triage {

// One report folder: a directory holding repro.json, and report.json when a run wrote one (the
// zoo and older runs write only the repro).
struct ReportFolder {
  std::string dir;
  std::string signature;
  std::string kind;
  std::string scenario;
  uint64_t steps = 0;      // the repro's scenario steps, all threads
  uint64_t decisions = 0;  // its schedule's decisions
  std::string found_at;    // report.json's timing.found_at; "" = unknown
  std::string replay;      // "gcstress replay <dir>/repro.json"
  bool has_report = false;
};

struct TriageGroup {
  std::string signature;
  std::string kind;
  uint64_t count = 0;
  std::string first_seen, last_seen;  // "" = unknown
  ReportFolder shortest;              // fewest steps, then fewest decisions, then path
  std::vector<std::string> dirs;      // every folder, in path order
};

// Every folder under `roots` (searched recursively, in path order) that holds a repro.json; a
// root may itself be such a folder. A folder whose report.json or repro.json does not parse is
// an InputError naming the file and field.
Expected<std::vector<ReportFolder>> ScanReports(const std::vector<std::string>& roots);

// Deduplicates by signature. Groups by count (most first), then signature.
std::vector<TriageGroup> GroupBySignature(const std::vector<ReportFolder>& folders);

// The table `gcstress triage` prints: signature, count, first and last seen, shortest repro (its
// steps and replay command), then one summary line.
std::string FormatTriageTable(const std::vector<TriageGroup>& groups);

// {"format": 1, "folders": N, "groups": [...]}: the keys, in order, are triage_fields.def's rows.
nlohmann::ordered_json TriageToJson(const std::vector<TriageGroup>& groups, size_t folders);

}  // namespace gcs::triage
