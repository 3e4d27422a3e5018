// gcstress zoo — JSON of a zoo run.
#include "harness/zoo/zoo_report.h"

namespace gcs {

std::string ReplayCommand(const ZooCell& cell) {
  return cell.replayable && !cell.repro.empty() ? "gcstress replay " + cell.repro : "";
}

nlohmann::ordered_json ZooToJson(const ZooReport& report) {
  using Json = nlohmann::ordered_json;
  Json out;
  out["gcstress_zoo"] = 1;
  out["ok"] = report.ok();
  out["seconds"] = report.seconds;
  out["missed"] = report.missed;
  out["systems"] = report.abouts;
  Json cells = Json::array();
  for (const ZooCell& c : report.cells) {
    Json j;
    j["target"] = c.target;
    j["system"] = c.system;
    j["version"] = c.version;
    j["real"] = c.real;
    j["fault"] = c.fault;
    j["scenario"] = c.scenario;
    j["strategy"] = c.strategy;
    j["expected"] = std::string(ViolationName(c.expected));
    j["found"] = c.found;
    j["kind"] = c.kind ? Json(std::string(ViolationName(*c.kind))) : Json(nullptr);
    j["signature"] = c.signature;
    j["iterations"] = c.iterations;
    j["seconds"] = c.seconds;
    j["scenario_steps"] = c.scenario_steps;
    j["repro_steps"] = c.repro_steps;
    j["repro"] = c.repro;
    j["replay"] = ReplayCommand(c);
    cells.push_back(std::move(j));
  }
  out["cells"] = std::move(cells);
  Json passes = Json::array();
  for (const ZooPassRow& p : report.passes) {
    Json j;
    j["target"] = p.target;
    j["real"] = p.real;
    j["scenario"] = p.scenario;
    j["faults"] = p.faults;
    j["iterations"] = p.iterations;
    j["passed"] = p.passed;
    j["signature"] = p.signature;
    j["repro"] = p.repro;
    passes.push_back(std::move(j));
  }
  out["passes"] = std::move(passes);
  return out;
}

namespace {

nlohmann::ordered_json StatsToJson(const DetectionStats& s) {
  nlohmann::ordered_json j;
  j["searches"] = s.searches;
  j["found"] = s.found;
  j["median_found"] = s.median_found;
  j["median_seconds"] = s.median_seconds;
  j["median_iterations"] = s.median_iterations;
  j["max_seconds"] = s.max_seconds;
  return j;
}

}  // namespace

nlohmann::ordered_json ZooBenchToJson(const ZooBenchReport& report,
                                      const ZooBenchOptions& options) {
  using Json = nlohmann::ordered_json;
  Json out;
  out["gcstress_zoo_bench"] = 1;
  out["ok"] = report.ok();
  out["strategy"] = options.strategy;
  out["seeds"] = options.seeds;
  out["first_seed"] = options.first_seed;
  out["search_budget_seconds"] = std::chrono::duration<double>(options.search_budget).count();
  out["free_budget_seconds"] = std::chrono::duration<double>(options.free_budget).count();
  out["free_yield_per_mille"] = options.free_yield_per_mille;
  out["missing"] = report.missing;
  Json rows = Json::array();
  for (const ZooBenchRow& r : report.rows) {
    Json j;
    j["target"] = r.target;
    j["fault"] = r.fault;
    j["bug"] = r.bug;
    j["scenario"] = r.scenario;
    j["expected"] = std::string(ViolationName(r.expected));
    j["search"] = StatsToJson(r.search);
    j["free"] = StatsToJson(r.free);
    j["speedup"] = r.speedup;
    j["speedup_is_bound"] = r.speedup_is_bound;
    rows.push_back(std::move(j));
  }
  out["rows"] = std::move(rows);
  Json faults = Json::array();
  for (const ZooBenchFault& f : report.faults) {
    Json j;
    j["fault"] = f.fault;
    j["ok"] = f.ok();
    j["search_ok"] = f.search_ok;
    j["speedup_ok"] = f.speedup_ok;
    j["judged"] = report.rows[f.judged].scenario;
    Json scenarios = Json::array();
    for (size_t i : f.rows)
      scenarios.push_back(report.rows[i].scenario);
    j["scenarios"] = std::move(scenarios);
    faults.push_back(std::move(j));
  }
  out["faults"] = std::move(faults);
  return out;
}

}  // namespace gcs
