// gcstress triage — scanning report folders and grouping them.
#include "harness/triage/triage.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/json_fields.h"
#include "harness/reporters/json_reporter.h"

namespace gcs::triage {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

Expected<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError{path, "", "cannot open"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// What triage needs of a repro file, without validating it against a target (a report folder
// from another build or target still groups): the verdict's signature and kind, the scenario's
// name and step count, the schedule's decision count.
Expected<ReportFolder> ReadRepro(const std::string& dir) {
  const std::string path = dir + "/repro.json";
  Expected<std::string> text = ReadFile(path);
  if (!text) return text.error();
  const Json j = Json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InputError{path, "", "not a JSON object"};
  auto str = [&](const Json& obj, const char* key,
                 const std::string& where) -> Expected<std::string> {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
      return InputError{path, where + "/" + key, "expected a string"};
    return it->get<std::string>();
  };
  auto verdict = j.find("verdict");
  if (verdict == j.end() || !verdict->is_object()) return InputError{path, "/verdict", "missing"};
  ReportFolder f;
  f.dir = dir;
  Expected<std::string> sig = str(*verdict, "signature", "/verdict");
  if (!sig) return sig.error();
  f.signature = *sig;
  Expected<std::string> kind = str(*verdict, "kind", "/verdict");
  if (!kind) return kind.error();
  f.kind = *kind;
  auto scenario = j.find("scenario");
  if (scenario == j.end() || !scenario->is_object())
    return InputError{path, "/scenario", "missing"};
  if (auto name = scenario->find("name"); name != scenario->end() && name->is_string()) {
    f.scenario = name->get<std::string>();
  }
  auto threads = scenario->find("threads");
  if (threads == scenario->end() || !threads->is_object()) {
    return InputError{path, "/scenario/threads", "expected an object"};
  }
  for (const auto& [name, steps] : threads->items()) {
    if (steps.is_array()) f.steps += steps.size();
  }
  Expected<std::string> schedule = str(j, "schedule", "");
  if (!schedule) return schedule.error();
  // The decisions follow the last ':'; "TxN" counts N.
  const std::string decisions = schedule->substr(schedule->rfind(':') + 1);
  std::stringstream items(decisions);
  std::string item;
  while (std::getline(items, item, '.')) {
    if (item.empty()) continue;
    const size_t x = item.find('x');
    f.decisions += x == std::string::npos ? 1 : std::strtoull(item.c_str() + x + 1, nullptr, 10);
  }
  f.replay = "gcstress replay " + path;
  return f;
}

bool Shorter(const ReportFolder& a, const ReportFolder& b) {
  return std::tie(a.steps, a.decisions, a.dir) < std::tie(b.steps, b.decisions, b.dir);
}

}  // namespace

Expected<std::vector<ReportFolder>> ScanReports(const std::vector<std::string>& roots) {
  std::vector<std::string> dirs;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return InputError{root, "", "not a directory"};
    if (fs::exists(fs::path(root) / "repro.json", ec)) dirs.push_back(root);
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && fs::exists(it->path() / "repro.json", ec)) {
        dirs.push_back(it->path().string());
      }
    }
    if (ec) return InputError{root, "", "cannot read: " + ec.message()};
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::vector<ReportFolder> out;
  for (const std::string& dir : dirs) {
    Expected<ReportFolder> folder = ReadRepro(dir);
    if (!folder) return folder.error();
    std::error_code ec;
    if (fs::exists(dir + "/report.json", ec)) {
      Expected<reporters::FailureReport> report = reporters::LoadReportJson(dir + "/report.json");
      if (!report) return report.error();
      folder->has_report = true;
      folder->found_at = report->timing.found_at;
      if (report->verdict.signature != folder->signature) {
        return InputError{dir + "/report.json", "/verdict/signature",
                          "differs from the repro's (" + folder->signature + ")"};
      }
    }
    out.push_back(std::move(folder).value());
  }
  return out;
}

std::vector<TriageGroup> GroupBySignature(const std::vector<ReportFolder>& folders) {
  std::map<std::string, TriageGroup> by;
  for (const ReportFolder& f : folders) {
    TriageGroup& g = by[f.signature];
    if (g.count == 0) {
      g.signature = f.signature;
      g.kind = f.kind;
      g.shortest = f;
    } else if (Shorter(f, g.shortest)) {
      g.shortest = f;
    }
    ++g.count;
    g.dirs.push_back(f.dir);
    // ISO-8601 UTC strings order as the times they name.
    if (!f.found_at.empty()) {
      if (g.first_seen.empty() || f.found_at < g.first_seen) g.first_seen = f.found_at;
      if (g.last_seen.empty() || f.found_at > g.last_seen) g.last_seen = f.found_at;
    }
  }
  std::vector<TriageGroup> out;
  for (auto& [sig, g] : by) {
    std::sort(g.dirs.begin(), g.dirs.end());
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TriageGroup& a, const TriageGroup& b) { return a.count > b.count; });
  return out;
}

std::string FormatTriageTable(const std::vector<TriageGroup>& groups) {
  std::vector<std::vector<std::string>> rows = {
      {"count", "signature", "first seen", "last seen", "steps", "shortest repro"}};
  size_t folders = 0;
  for (const TriageGroup& g : groups) {
    folders += g.count;
    rows.push_back({std::to_string(g.count), g.signature, g.first_seen.empty() ? "-" : g.first_seen,
                    g.last_seen.empty() ? "-" : g.last_seen, std::to_string(g.shortest.steps),
                    g.shortest.replay});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  out += "triage: " + std::to_string(folders) + " report folder" + (folders == 1 ? "" : "s") +
         ", " + std::to_string(groups.size()) + " distinct signature" +
         (groups.size() == 1 ? "" : "s") + "\n";
  return out;
}

namespace {

// What the top level reads.
struct TriageView {
  const std::vector<TriageGroup>& groups;
  size_t folders;
};

const std::tuple kFields{
#define GCS_TRIAGE_FIELD GCS_JSON_FIELD
#include "harness/triage/triage_fields.def"
#undef GCS_TRIAGE_FIELD
    JsonFieldsEnd{}};

}  // namespace

Json TriageToJson(const std::vector<TriageGroup>& groups, size_t folders) {
  return EncodeFields(kFields, TriageView{groups, folders});
}

}  // namespace gcs::triage
