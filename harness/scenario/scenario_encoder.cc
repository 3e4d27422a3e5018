// gcstress scenario — encoding a Scenario back to JSON and to human-readable text.
#include "harness/scenario/scenario_encoder.h"

#include <string>
#include <string_view>

#include "core/check.h"

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;

const std::string& VarName(const Scenario& s, VarId id) {
  GCS_CHECK_MSG(id < s.vars.size(), "step names a variable the scenario does not have");
  return s.vars[id].name;
}
const std::string& VmName(const Scenario& s, int16_t vm) {
  GCS_CHECK_MSG(vm >= 0 && static_cast<size_t>(vm) < s.vms.size(), "step names an unknown VM");
  return s.vms[static_cast<size_t>(vm)];
}
const std::string& ThreadName(const Scenario& s, int16_t thread) {
  GCS_CHECK_MSG(thread >= 0 && static_cast<size_t>(thread) < s.threads.size(),
                "step names an unknown thread");
  return s.threads[static_cast<size_t>(thread)].name;
}

// The value a step holds for one of its op's fields, as the JSON value of that field; null when
// the (optional) field is not set.
Json FieldValue(const Scenario& s, const Step& step, Field field) {
  if (const VarId* var = StepVarSlot(step, field)) {
    return *var == kNoVar ? Json() : Json(VarName(s, *var));
  }
  switch (field) {
    case Field::kField:
      GCS_CHECK_MSG(step.field < kMaxFields, "field index out of range");
      return step.field < 0 ? Json() : Json(step.field);
    case Field::kVm:
      return step.vm < 0 ? Json() : Json(VmName(s, step.vm));
    case Field::kWorker:
      return step.worker < 0 ? Json() : Json(ThreadName(s, step.worker));
    case Field::kType:
      return step.type == ObjType::kObject ? Json() : Json(ObjTypeName(step.type));
    default:
      break;
  }
  GCS_CHECK_MSG(false, "a variable field without a step slot");
  return Json();
}

Json StepToJson(const Scenario& s, const Step& step) {
  const OpInfo& info = GetOpInfo(step.op);
  Json out = Json::object();
  out["op"] = info.json;
  for (const FieldSpec& spec : info.Fields()) {
    Json value = FieldValue(s, step, spec.field);
    if (value.is_null()) {
      GCS_CHECK_MSG(spec.optional, "a step lacks a required field");
      continue;
    }
    out[std::string(FieldName(spec.field))] = std::move(value);
  }
  return out;
}

std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A value on one line, with a space after every ':' and ','.
std::string Inline(const Json& value) {
  std::string out;
  if (value.is_object()) {
    out += "{";
    for (const auto& [key, member] : value.items()) {
      if (out.size() > 1) out += ", ";
      out += Dump(Json(key)) + ": " + Inline(member);
    }
    return out + "}";
  }
  if (value.is_array()) {
    out += "[";
    for (const Json& element : value) {
      if (out.size() > 1) out += ", ";
      out += Inline(element);
    }
    return out + "]";
  }
  return Dump(value);
}

// An array with one element per line, closed at `indent`.
std::string Lines(const Json& array, std::string_view indent) {
  if (array.empty()) return "[]";
  std::string out = "[\n";
  for (size_t i = 0; i < array.size(); ++i) {
    out += std::string(indent) + "  " + Inline(array[i]) + (i + 1 < array.size() ? ",\n" : "\n");
  }
  return out + std::string(indent) + "]";
}

}  // namespace

nlohmann::ordered_json ScenarioToJson(const Scenario& s) {
  Json out = Json::object();
  out["format"] = s.format;
  out["name"] = s.name;
  if (!s.description.empty()) out["description"] = s.description;
  if (!s.source.empty()) out["source"] = s.source;
  Json threads = Json::object();
  for (const ThreadSpec& thread : s.threads) {
    Json steps = Json::array();
    for (const Step& step : thread.steps)
      steps.push_back(StepToJson(s, step));
    if (thread.worker) {
      threads[thread.name] = Json{{"worker", true}, {"steps", std::move(steps)}};
    } else {
      threads[thread.name] = std::move(steps);
    }
  }
  out["threads"] = std::move(threads);
  if (!s.expect.empty()) {
    Json expect = Json::array();
    for (const Expectation& e : s.expect) {
      Json entry;
      if (!e.target.empty()) entry["target"] = e.target;
      if (e.target.empty() || !e.faults.empty()) entry["faults"] = e.faults;
      entry["result"] = e.violation ? std::string(ViolationName(*e.violation)) : "pass";
      expect.push_back(std::move(entry));
    }
    out["expect"] = std::move(expect);
  }
  return out;
}

std::string FormatScenario(const Scenario& s) {
  Json json = ScenarioToJson(s);
  std::string out = "{\n";
  size_t remaining = json.size();
  for (const auto& [key, value] : json.items()) {
    out += "  " + Dump(Json(key)) + ": ";
    if (key == "threads") {
      out += "{\n";
      size_t threads_left = value.size();
      for (const auto& [name, thread] : value.items()) {
        out += "    " + Dump(Json(name)) + ": ";
        if (thread.is_array()) {
          out += Lines(thread, "    ");
        } else {
          out += "{\"worker\": true, \"steps\": " + Lines(thread["steps"], "    ") + "}";
        }
        out += --threads_left > 0 ? ",\n" : "\n";
      }
      out += "  }";
    } else if (key == "expect") {
      out += Lines(value, "  ");
    } else {
      out += Inline(value);
    }
    out += --remaining > 0 ? ",\n" : "\n";
  }
  return out + "}\n";
}

std::string FormatStep(const Scenario& s, const Step& step) {
  const OpInfo& info = GetOpInfo(step.op);
  std::string out(info.json);
  std::string binds;  // "-> v" goes last, whatever the field order
  for (size_t i = 0; i < info.Fields().size(); ++i) {
    Field field = info.Fields()[i].field;
    Json value = FieldValue(s, step, field);
    if (value.is_null()) continue;
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    switch (field) {
      case Field::kAs:
        binds = " -> " + text;
        break;
      case Field::kField:
        out += "[" + text + "]";
        break;
      case Field::kTo:
        out += " = " + text;
        break;
      case Field::kHeld:
        out += " held " + text;
        break;
      case Field::kFrom:
        out += " from " + text;
        break;
      case Field::kVm:
        out += (i == 0 ? " " : " to ") + text;
        break;
      case Field::kObj:
      case Field::kWeak:
      case Field::kToken:
      case Field::kWorker:
      case Field::kType:
        out += " " + text;
        break;
    }
  }
  return out + binds;
}

}  // namespace gcs
