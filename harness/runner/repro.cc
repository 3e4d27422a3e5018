// gcstress runner — Repro: encoding, strict validating decoding, writing.
#include "harness/runner/repro.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "harness/runner/iteration_seed.h"
#include "harness/runner/report_dir.h"
#include "harness/scenario/json_input.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/strategy.h"

namespace gcs {

using Json = nlohmann::ordered_json;

bool Repro::operator==(const Repro& o) const {
  const auto verdict_fields = [](const Violation& v) {
    return std::tie(v.kind, v.message, v.thread, v.step, v.op, v.phase, v.site);
  };
  return scenario == o.scenario && target == o.target && faults == o.faults &&
         strategy == o.strategy && seed == o.seed && iteration == o.iteration &&
         free_mode == o.free_mode && yield_per_mille == o.yield_per_mille &&
         schedule == o.schedule && verdict_fields(verdict) == verdict_fields(o.verdict);
}

Repro MakeRepro(const Scenario& scenario, const RunConfig& config, const Failure& failure) {
  Repro r;
  r.scenario = scenario;
  r.target = config.target;
  r.faults = config.faults;
  r.schedule = failure.execution.schedule;
  r.strategy = r.schedule.strategy;
  r.seed = config.seed;
  r.iteration = failure.iteration;
  r.free_mode = failure.execution.free_mode;
  r.yield_per_mille = config.yield_per_mille;
  r.verdict = failure.violation;
  r.verdict.obj = core::kNoAlloc;
  r.verdict.trace_index = 0;
  return r;
}

namespace {

// Everything but the scenario, in file order.
Json HeadToJson(const Repro& r) {
  Json j;
  j["format"] = kReproFormat;
  j["gcstress_repro"] = 1;
  Json v;
  v["kind"] = std::string(ViolationName(r.verdict.kind));
  v["signature"] = r.verdict.Signature();
  v["message"] = r.verdict.message;
  v["thread"] = r.verdict.thread;
  v["step"] = r.verdict.step;
  v["op"] = r.verdict.op;
  v["phase"] = r.verdict.phase;
  v["site"] = r.verdict.site;
  j["verdict"] = std::move(v);
  j["target"] = r.target;
  j["faults"] = Json::array();
  for (const std::string& f : r.faults)
    j["faults"].push_back(f);
  j["strategy"] = r.strategy;
  j["seed"] = r.seed;
  j["iteration"] = r.iteration;
  j["free_mode"] = r.free_mode;
  j["yield_per_mille"] = r.yield_per_mille;
  j["schedule"] = sched::FormatSchedule(r.schedule);
  return j;
}

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Json ReproToJson(const Repro& r) {
  Json j = HeadToJson(r);
  j["scenario"] = ScenarioToJson(r.scenario);
  return j;
}

std::string FormatRepro(const Repro& r) {
  std::string text = Dump(HeadToJson(r), 2);  // "{\n  ...\n}"
  text.resize(text.size() - 2);               // drop "\n}"
  text += ",\n  \"scenario\": ";
  const std::string scenario = FormatScenario(r.scenario);
  for (size_t i = 0; i < scenario.size(); ++i) {
    text += scenario[i];
    if (scenario[i] == '\n' && i + 1 < scenario.size()) text += "  ";
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  text += "\n}\n";
  return text;
}

namespace {

constexpr std::array<std::string_view, 12> kTopLevelFields = {
    "format", "gcstress_repro", "verdict",   "target",          "faults",   "strategy",
    "seed",   "iteration",      "free_mode", "yield_per_mille", "schedule", "scenario"};
constexpr std::array<std::string_view, 8> kVerdictFields = {
    "kind", "signature", "message", "thread", "step", "op", "phase", "site"};

std::string Quote(std::string_view s) {
  return QuoteForMessage(s);
}

// Validates one parsed repro. Each Read* either fills its output or records the error and
// returns false; the first error wins.
class ReproReader {
 public:
  ReproReader(std::string_view file, const TargetLookup& lookup) : file_(file), lookup_(lookup) {}

  Expected<Repro> Read(const Json& root) {
    if (!ReadHeader(root) || !ReadTarget(root) || !ReadFaults(root) || !ReadStrategy(root) ||
        !ReadU64(root, "seed", repro_.seed) || !ReadU64(root, "iteration", repro_.iteration) ||
        !ReadFreeMode(root) || !ReadYield(root) || !ReadSchedule(root) || !ReadScenario(root) ||
        !ReadVerdict(root)) {
      return std::move(*error_);
    }
    return std::move(repro_);
  }

 private:
  bool Fail(std::string where, std::string message) {
    error_ = InputError{std::string(file_), std::move(where), std::move(message)};
    return false;
  }
  bool FailType(const std::string& where, std::string_view expected, const Json& got) {
    return Fail(where, "expected " + std::string(expected) + ", got " + DescribeJsonValue(got));
  }

  bool ReadVersion(const Json& root, std::string_view key, std::string_view what) {
    const Json& v = root.at(std::string(key));
    const std::string where = "/" + std::string(key);
    if (!v.is_number_integer()) return FailType(where, "an integer", v);
    if (!v.is_number_unsigned() || v.get<uint64_t>() != 1) {
      return Fail(where,
                  "unsupported " + std::string(what) + " " + v.dump() + " (this gcstress reads 1)");
    }
    return true;
  }

  bool ReadHeader(const Json& root) {
    if (!root.is_object()) return FailType("", "the top level to be an object", root);
    if (!root.contains("gcstress_repro")) {
      return Fail("", "not a gcstress repro: missing field \"gcstress_repro\"");
    }
    if (!ReadVersion(root, "gcstress_repro", "repro version")) return false;
    if (!root.contains("format")) return Fail("", "missing required field \"format\"");
    if (!ReadVersion(root, "format", "format")) return false;
    for (const auto& [key, value] : root.items()) {
      if (std::find(kTopLevelFields.begin(), kTopLevelFields.end(), key) == kTopLevelFields.end()) {
        return Fail("", "unknown field " + Quote(key));
      }
    }
    for (std::string_view key : kTopLevelFields) {
      if (!root.contains(std::string(key))) {
        return Fail("", "missing required field \"" + std::string(key) + "\"");
      }
    }
    return true;
  }

  bool ReadString(const Json& object, const std::string& pointer, std::string_view key,
                  std::string& out) {
    const Json& v = object.at(std::string(key));
    const std::string where = pointer + "/" + std::string(key);
    if (!v.is_string()) return FailType(where, "a string", v);
    out = v.get<std::string>();
    return true;
  }

  bool ReadU64(const Json& root, std::string_view key, uint64_t& out) {
    const Json& v = root.at(std::string(key));
    if (!v.is_number_unsigned()) {
      return FailType("/" + std::string(key), "an unsigned 64-bit integer", v);
    }
    out = v.get<uint64_t>();
    return true;
  }

  bool ReadTarget(const Json& root) {
    if (!ReadString(root, "", "target", repro_.target)) return false;
    Expected<std::unique_ptr<Target>> target = lookup_(repro_.target);
    if (!target) return Fail("/target", target.error().message);
    target_ = std::move(target).value();
    return true;
  }

  bool ReadFaults(const Json& root) {
    const Json& faults = root.at("faults");
    if (!faults.is_array()) return FailType("/faults", "an array of fault names", faults);
    const std::vector<std::string> known = target_->FaultNames();
    for (size_t i = 0; i < faults.size(); ++i) {
      const std::string where = "/faults/" + std::to_string(i);
      if (!faults[i].is_string()) return FailType(where, "a string", faults[i]);
      const std::string& name = faults[i].get_ref<const std::string&>();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return Fail(where, "unknown fault " + Quote(name) + " for target " + Quote(repro_.target));
      }
      if (std::find(repro_.faults.begin(), repro_.faults.end(), name) != repro_.faults.end()) {
        return Fail(where, "fault " + Quote(name) + " is listed twice");
      }
      repro_.faults.push_back(name);
    }
    return true;
  }

  bool ReadStrategy(const Json& root) {
    if (!ReadString(root, "", "strategy", repro_.strategy)) return false;
    if (repro_.strategy == "free") return true;
    auto strategy = sched::MakeStrategy(repro_.strategy);
    if (!strategy) return Fail("/strategy", strategy.error().message);
    if ((*strategy)->Spec() != repro_.strategy) {
      return Fail("/strategy",
                  "not in canonical form (expected " + Quote((*strategy)->Spec()) + ")");
    }
    return true;
  }

  bool ReadFreeMode(const Json& root) {
    const Json& v = root.at("free_mode");
    if (!v.is_boolean()) return FailType("/free_mode", "a boolean", v);
    repro_.free_mode = v.get<bool>();
    if (repro_.free_mode != (repro_.strategy == "free")) {
      return Fail("/free_mode", repro_.free_mode ? "free mode repros have strategy \"free\", not " +
                                                       Quote(repro_.strategy)
                                                 : "strategy \"free\" needs \"free_mode\": true");
    }
    return true;
  }

  bool ReadYield(const Json& root) {
    const Json& v = root.at("yield_per_mille");
    if (!v.is_number_unsigned() || v.get<uint64_t>() > 1000) {
      return FailType("/yield_per_mille", "an integer in [0, 1000]", v);
    }
    repro_.yield_per_mille = static_cast<uint32_t>(v.get<uint64_t>());
    return true;
  }

  bool ReadSchedule(const Json& root) {
    std::string text;
    if (!ReadString(root, "", "schedule", text)) return false;
    Expected<sched::Schedule> schedule = sched::ParseSchedule(text, file_);
    if (!schedule) {
      return Fail("/schedule", schedule.error().where + ": " + schedule.error().message);
    }
    repro_.schedule = std::move(schedule).value();
    if (repro_.schedule.strategy != repro_.strategy) {
      return Fail("/schedule", "the schedule's strategy " + Quote(repro_.schedule.strategy) +
                                   " differs from \"strategy\" " + Quote(repro_.strategy));
    }
    const uint64_t expected = IterationSeed(repro_.seed, repro_.iteration);
    if (repro_.schedule.seed != expected) {
      return Fail("/schedule", "seed " + std::to_string(repro_.schedule.seed) +
                                   " is not the seed of iteration " +
                                   std::to_string(repro_.iteration) + " with base seed " +
                                   std::to_string(repro_.seed) + " (expected " +
                                   std::to_string(expected) + ")");
    }
    if (repro_.free_mode && !repro_.schedule.decisions.empty()) {
      return Fail("/schedule", "a free mode schedule has no decisions");
    }
    return true;
  }

  bool ReadScenario(const Json& root) {
    // A scenario's expect block may name any target's faults and targets (scenarios/README.md).
    const LoadOptions options = ScenarioLoadOptionsFor(*target_);
    Expected<Scenario> scenario =
        ScenarioFromJson(root.at("scenario"), file_, "/scenario", options);
    if (!scenario) {
      error_ = scenario.error();
      return false;
    }
    repro_.scenario = std::move(scenario).value();
    return true;
  }

  bool ReadVerdict(const Json& root) {
    const Json& v = root.at("verdict");
    if (!v.is_object()) return FailType("/verdict", "an object", v);
    for (const auto& [key, value] : v.items()) {
      if (std::find(kVerdictFields.begin(), kVerdictFields.end(), key) == kVerdictFields.end()) {
        return Fail("/verdict", "unknown field " + Quote(key));
      }
    }
    for (std::string_view key : kVerdictFields) {
      if (!v.contains(std::string(key))) {
        return Fail("/verdict", "missing required field \"" + std::string(key) + "\"");
      }
    }
    Violation& out = repro_.verdict;
    std::string kind, signature;
    if (!ReadString(v, "/verdict", "kind", kind)) return false;
    const std::optional<ViolationKind> parsed = ViolationFromName(kind);
    if (!parsed) return Fail("/verdict/kind", "unknown violation kind " + Quote(kind));
    out.kind = *parsed;
    if (!ReadString(v, "/verdict", "signature", signature) ||
        !ReadString(v, "/verdict", "message", out.message)) {
      return false;
    }
    if (out.message.find('\n') != std::string::npos) {
      return Fail("/verdict/message", "must be one line");
    }
    if (!ReadIndex(v, "thread", out.thread) || !ReadIndex(v, "step", out.step) ||
        !ReadString(v, "/verdict", "op", out.op) ||
        !ReadString(v, "/verdict", "phase", out.phase) ||
        !ReadString(v, "/verdict", "site", out.site)) {
      return false;
    }
    const Scenario& s = repro_.scenario;
    if (out.thread > s.threads.size()) {
      return Fail("/verdict/thread", "thread " + std::to_string(out.thread) +
                                         " out of range (the scenario has " +
                                         std::to_string(s.threads.size()) + " threads; " +
                                         std::to_string(s.threads.size()) + " is teardown)");
    }
    if (out.thread < s.threads.size() && out.step >= s.threads[out.thread].steps.size()) {
      return Fail("/verdict/step", "step " + std::to_string(out.step) + " out of range (thread " +
                                       Quote(s.threads[out.thread].name) + " has " +
                                       std::to_string(s.threads[out.thread].steps.size()) +
                                       " steps)");
    }
    if (!out.op.empty() && !OpFromName(out.op)) {
      return Fail("/verdict/op", "unknown op " + Quote(out.op));
    }
    if (signature != out.Signature()) {
      return Fail("/verdict/signature", Quote(signature) +
                                            " does not match kind, op, phase and site (" +
                                            Quote(out.Signature()) + ")");
    }
    return true;
  }

  bool ReadIndex(const Json& v, std::string_view key, uint32_t& out) {
    const Json& n = v.at(std::string(key));
    const std::string where = "/verdict/" + std::string(key);
    if (!n.is_number_unsigned() || n.get<uint64_t>() > UINT32_MAX) {
      return FailType(where, "an unsigned 32-bit integer", n);
    }
    out = static_cast<uint32_t>(n.get<uint64_t>());
    return true;
  }

  std::string_view file_;
  const TargetLookup& lookup_;
  std::unique_ptr<Target> target_;
  Repro repro_;
  std::optional<InputError> error_;
};

}  // namespace

Expected<Repro> ParseRepro(std::string_view text, std::string_view file,
                           const TargetLookup& lookup) {
  Expected<Json> json = ParseJson(text, file, ScenarioJsonReadOptions("/scenario"));
  if (!json) return json.error();
  return ReproReader(file, lookup).Read(*json);
}

Expected<Repro> LoadRepro(const std::string& path, const TargetLookup& lookup) {
  Expected<std::string> text = ReadInputFile(path);
  if (!text) return text.error();
  return ParseRepro(*text, path, lookup);
}

Expected<std::string> WriteRepro(const std::string& reports_dir, const Repro& repro) {
  Expected<std::string> dir =
      CreateUniqueDirectory(reports_dir, SignatureSlug(repro.verdict.Signature()));
  if (!dir) return dir.error();
  const std::string path = *dir + "/repro.json";
  if (auto error = WriteFileAtomically(path, FormatRepro(repro))) return *error;
  return path;
}

}  // namespace gcs
