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
  Json cells = Json::array();
  for (const ZooCell& c : report.cells) {
    Json j;
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

}  // namespace gcs
