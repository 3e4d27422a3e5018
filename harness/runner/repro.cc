// gcstress runner — Repro: encoding, strict validating decoding, writing.
#include "harness/runner/repro.h"

#include <algorithm>
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

namespace {

Json VerdictToJson(const Violation& v) {
  Json j;
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc)
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc) j[key] = encoding;
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  return j;
}

}  // namespace

// The verdict compares as the repro keeps it: its repro_fields.def keys.
bool Repro::operator==(const Repro& o) const {
  return scenario == o.scenario && target == o.target && faults == o.faults &&
         strategy == o.strategy && seed == o.seed && iteration == o.iteration &&
         free_mode == o.free_mode && yield_per_mille == o.yield_per_mille &&
         schedule == o.schedule && VerdictToJson(verdict) == VerdictToJson(o.verdict);
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

constexpr std::string_view kScenarioKey = "scenario";

// Everything but the scenario, in file order.
Json HeadToJson(const Repro& r) {
  Json j;
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc) \
  if (std::string_view(key) != kScenarioKey) j[key] = encoding;
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc)
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  return j;
}

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Json ReproToJson(const Repro& r) {
  Json j = HeadToJson(r);
  j[std::string(kScenarioKey)] = ScenarioToJson(r.scenario);
  return j;
}

std::string ReproSchemaText() {
  std::string out = "repro.json, format " + std::to_string(kReproFormat) +
                    ": one JSON object, keys in this order (all required, no others)\n";
  const auto line = [&](int indent, std::string_view key, std::string_view doc) {
    std::string text = std::string(indent, ' ') + "\"" + std::string(key) + "\"";
    text.resize(std::max<size_t>(text.size() + 1, 24), ' ');
    out += text + std::string(doc) + "\n";
  };
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc) line(2, key, doc);
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc)
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  out += "  \"verdict\" is an object:\n";
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc)
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc) line(4, key, doc);
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  return out;
}

std::string FormatRepro(const Repro& r) {
  std::string text = Dump(HeadToJson(r), 2);  // "{\n  ...\n}"
  text.resize(text.size() - 2);               // drop "\n}"
  text += ",\n  \"" + std::string(kScenarioKey) + "\": ";
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

enum Pass { kHeader, kInOrder, kAfterScenario };

constexpr std::string_view kTopLevelFields[] = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc) key,
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc)
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
};
constexpr std::string_view kVerdictFields[] = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc)
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc) key,
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
};

template <class Fields>
bool Lists(const Fields& fields, std::string_view key) {
  return std::find(std::begin(fields), std::end(fields), key) != std::end(fields);
}

std::string Quote(std::string_view s) {
  return QuoteForMessage(s);
}

// Validates one parsed repro. Each Read* either fills its output or records the error and
// returns false; the first error wins.
class ReproReader {
 public:
  ReproReader(std::string_view file, const TargetLookup& lookup) : file_(file), lookup_(lookup) {}

  // The header first, then each key in file order but those whose checks need the scenario.
  Expected<Repro> Read(const Json& root) {
    if (!ReadHeader(root)) return std::move(*error_);
    for (const Pass pass : {kInOrder, kAfterScenario}) {
      for (const Row& row : kRows) {
        if (row.pass == pass && !(this->*row.read)(root)) {
          return std::move(*error_);
        }
      }
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
      if (!Lists(kTopLevelFields, key)) {
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

  // "format" and "gcstress_repro": ReadHeader has checked them.
  bool ReadInHeader(const Json&) { return true; }
  bool ReadSeed(const Json& root) { return ReadU64(root, "seed", repro_.seed); }
  bool ReadIteration(const Json& root) { return ReadU64(root, "iteration", repro_.iteration); }

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
      if (!Lists(kVerdictFields, key)) {
        return Fail("/verdict", "unknown field " + Quote(key));
      }
    }
    for (std::string_view key : kVerdictFields) {
      if (!v.contains(std::string(key))) {
        return Fail("/verdict", "missing required field \"" + std::string(key) + "\"");
      }
    }
    for (const VerdictRow& row : kVerdictRows) {
      if (!(this->*row.read)(v)) return false;
    }
    return CheckVerdict();
  }

  bool ReadKind(const Json& v) {
    std::string kind;
    if (!ReadString(v, "/verdict", "kind", kind)) return false;
    const std::optional<ViolationKind> parsed = ViolationFromName(kind);
    if (!parsed) return Fail("/verdict/kind", "unknown violation kind " + Quote(kind));
    repro_.verdict.kind = *parsed;
    return true;
  }
  bool ReadSignature(const Json& v) { return ReadString(v, "/verdict", "signature", signature_); }
  bool ReadMessage(const Json& v) {
    if (!ReadString(v, "/verdict", "message", repro_.verdict.message)) return false;
    if (repro_.verdict.message.find('\n') != std::string::npos) {
      return Fail("/verdict/message", "must be one line");
    }
    return true;
  }
  bool ReadThread(const Json& v) { return ReadIndex(v, "thread", repro_.verdict.thread); }
  bool ReadStep(const Json& v) { return ReadIndex(v, "step", repro_.verdict.step); }
  bool ReadOp(const Json& v) { return ReadString(v, "/verdict", "op", repro_.verdict.op); }
  bool ReadPhase(const Json& v) { return ReadString(v, "/verdict", "phase", repro_.verdict.phase); }
  bool ReadSite(const Json& v) { return ReadString(v, "/verdict", "site", repro_.verdict.site); }

  // What the verdict's keys say together, against the scenario.
  bool CheckVerdict() {
    const Violation& out = repro_.verdict;
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
    if (signature_ != out.Signature()) {
      return Fail("/verdict/signature", Quote(signature_) +
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

  using ReadFn = bool (ReproReader::*)(const Json&);
  struct Row {
    std::string_view key;
    Pass pass;
    ReadFn read;
  };
  static constexpr Row kRows[] = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc) {key, Pass, &ReproReader::Read},
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc)
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  };
  struct VerdictRow {
    std::string_view key;
    ReadFn read;
  };
  static constexpr VerdictRow kVerdictRows[] = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc)
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc) {key, &ReproReader::Read},
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  };

  std::string_view file_;
  const TargetLookup& lookup_;
  std::unique_ptr<Target> target_;
  Repro repro_;
  std::string signature_;  // the verdict's, checked against the others once all are read
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
