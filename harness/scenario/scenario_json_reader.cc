// gcstress scenario — the JSON form's reader: the document's shape, in the validator's order.
//
// The reader goes through the document in the order validation checks it (scenario_validation.cc:
// top level, thread shapes, steps thread by thread, "expect"), so that where it stops is a point
// in that order (DraftStop) and the first error overall can be chosen there.
#include "harness/scenario/scenario_json_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/scenario/json_input.h"

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;
using Stage = DraftStop::Stage;

constexpr std::array<std::string_view, 6> kTopLevelFields = {"format", "name",    "description",
                                                             "source", "threads", "expect"};

class JsonReader {
 public:
  ScenarioDraft Read(const Json& root) {
    if (ReadTopLevel(root)) {
      const Json& threads = *root.find("threads");
      if (ReadThreads(threads) && ReadAllSteps()) ReadExpect(root);
    }
    return std::move(draft_);
  }

 private:
  // Stops at `stage` (positions a, b, c); always false.
  bool Stop(Stage stage, std::string pointer, std::string message, uint32_t a = 0, uint32_t b = 0,
            uint32_t c = 0) {
    draft_.stop = DraftStop{stage, a, b, c, std::move(pointer), std::move(message)};
    return false;
  }
  bool StopType(Stage stage, std::string pointer, std::string_view expected, const Json& got,
                uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
    return Stop(stage, std::move(pointer),
                "expected " + std::string(expected) + ", got " + DescribeJsonValue(got), a, b, c);
  }

  bool ReadTopLevel(const Json& root) {
    if (!root.is_object()) return StopType(Stage::kTop, "", "the top level to be an object", root);
    auto format = root.find("format");
    if (format == root.end()) return Stop(Stage::kTop, "", "missing required field \"format\"");
    if (!format->is_number_integer())
      return StopType(Stage::kTop, "/format", "an integer", *format);
    if (format->is_number_unsigned() ? format->get<uint64_t>() != 1 : format->get<int64_t>() != 1) {
      return Stop(Stage::kTop, "/format", UnsupportedFormatMessage(format->dump()));
    }
    for (const auto& [key, value] : root.items()) {
      if (std::find(kTopLevelFields.begin(), kTopLevelFields.end(), key) == kTopLevelFields.end()) {
        return Stop(Stage::kTop, "", "unknown field " + QuoteForMessage(key));
      }
    }
    auto name = root.find("name");
    if (name == root.end()) return Stop(Stage::kTop, "", "missing required field \"name\"");
    if (!name->is_string()) return StopType(Stage::kTop, "/name", "a string", *name);
    draft_.name = name->get<std::string>();
    if (!ReadText(root, "description", Stage::kDescription, draft_.description) ||
        !ReadText(root, "source", Stage::kSource, draft_.source)) {
      return false;
    }
    auto threads = root.find("threads");
    if (threads == root.end())
      return Stop(Stage::kThreads, "", "missing required field \"threads\"");
    if (!threads->is_object()) {
      return StopType(Stage::kThreads, "/threads", "an object of threads", *threads);
    }
    return true;
  }

  bool ReadText(const Json& root, const char* key, Stage stage, std::string& out) {
    auto it = root.find(key);
    if (it == root.end()) return true;
    if (!it->is_string()) return StopType(stage, std::string("/") + key, "a string", *it);
    out = it->get<std::string>();
    return true;
  }

  // Every thread by name first: validation counts them before it looks at any.
  bool ReadThreads(const Json& threads) {
    draft_.threads.reserve(threads.size());
    for (const auto& [name, value] : threads.items())
      draft_.threads.push_back(DraftThread{.name = name});
    uint32_t t = 0;
    for (const auto& [name, value] : threads.items()) {
      if (!ReadThreadShape(value, t)) return false;
      ++t;
    }
    return true;
  }

  bool ReadThreadShape(const Json& value, uint32_t t) {
    DraftThread& thread = draft_.threads[t];
    std::string pointer = DraftThreadPointer(draft_, t);
    const Json* steps = &value;
    if (value.is_object()) {
      steps = nullptr;
      for (const auto& [key, member] : value.items()) {
        if (key == "worker") {
          if (!member.is_boolean()) {
            return StopType(Stage::kThread, pointer + "/worker", "true or false", member, t);
          }
          thread.worker = member.get<bool>();
        } else if (key == "steps") {
          steps = &member;
        } else {
          return Stop(Stage::kThread, pointer, "unknown field " + QuoteForMessage(key), t);
        }
      }
      if (steps == nullptr)
        return Stop(Stage::kThread, pointer, "missing required field \"steps\"", t);
      if (!steps->is_array()) {
        return StopType(Stage::kThread, pointer + "/steps", "an array of steps", *steps, t);
      }
    } else if (!value.is_array()) {
      return StopType(Stage::kThread, pointer,
                      "an array of steps or an object {\"worker\": ..., \"steps\": [...]}", value,
                      t);
    }
    thread_steps_.push_back(steps);
    return true;
  }

  // Validation fails at the first step past kMaxSteps, before looking at it: reading stops
  // there too (with no stop of its own), so an oversized document costs no more than the limit.
  bool ReadAllSteps() {
    size_t total = 0;
    for (uint32_t t = 0; t < draft_.threads.size(); ++t) {
      const Json& steps = *thread_steps_[t];
      std::vector<DraftStep>& out = draft_.threads[t].steps;
      out.reserve(std::min(steps.size(), kMaxSteps + 1));
      for (uint32_t s = 0; s < steps.size(); ++s) {
        // The step is in the draft even if reading it stops, so that validation reaches it.
        DraftStep& step = out.emplace_back();
        if (++total > kMaxSteps || !ReadStep(steps[s], t, s, step)) return false;
      }
    }
    return true;
  }

  bool ReadStep(const Json& value, uint32_t t, uint32_t s, DraftStep& step) {
    // Pointers are built only for the error message: reading stays allocation-light.
    auto at = [&](std::string_view suffix = "") {
      return DraftStepPointer(draft_, t, s) + std::string(suffix);
    };
    if (!value.is_object()) return StopType(Stage::kStep, at(), "a step object", value, t, s);
    auto op_it = value.find("op");
    if (op_it == value.end())
      return Stop(Stage::kStep, at(), "missing required field \"op\"", t, s);
    if (!op_it->is_string()) return StopType(Stage::kStep, at("/op"), "a string", *op_it, t, s);
    const std::string& op_name = op_it->get_ref<const std::string&>();
    std::optional<Op> op = OpFromName(op_name);
    if (!op) return Stop(Stage::kStep, at("/op"), "unknown op " + QuoteForMessage(op_name), t, s);
    step.op = *op;
    const OpInfo& info = GetOpInfo(*op);
    std::array<const Json*, kFieldCount> values{};
    for (const auto& [key, member] : value.items()) {
      if (key == "op") continue;
      std::optional<Field> field = FieldFromName(key);
      if (!field)
        return Stop(Stage::kStepFields, at(), "unknown field " + QuoteForMessage(key), t, s);
      if (info.FindField(*field) == nullptr) {
        return Stop(Stage::kStepFields, at(),
                    "op " + QuoteForMessage(info.json) + " has no field " + QuoteForMessage(key), t,
                    s);
      }
      values[static_cast<size_t>(*field)] = &member;
    }
    const auto fields = info.Fields();
    for (uint32_t k = 0; k < fields.size(); ++k) {
      const Json* member = values[static_cast<size_t>(fields[k].field)];
      if (member == nullptr) {
        if (fields[k].optional) continue;
        return Stop(Stage::kField, at(),
                    "op " + QuoteForMessage(info.json) + " is missing required field " +
                        QuoteForMessage(FieldName(fields[k].field)),
                    t, s, k);
      }
      step.set[k] = true;
      if (!ReadField(fields[k].field, *member, t, s, k, step)) return false;
    }
    return true;
  }

  bool ReadField(Field field, const Json& value, uint32_t t, uint32_t s, uint32_t k,
                 DraftStep& step) {
    auto at = [&] { return DraftFieldPointer(draft_, t, s, field); };
    const FieldKind kind = GetFieldInfo(field).kind;
    if (kind == FieldKind::kFieldIndex) {
      if (!value.is_number_integer()) {
        return StopType(Stage::kField, at(), "an integer", value, t, s, k);
      }
      bool in_range = value.is_number_unsigned()
                          ? value.get<uint64_t>() < static_cast<uint64_t>(kMaxFields)
                          : value.get<int64_t>() >= 0 && value.get<int64_t>() < kMaxFields;
      if (!in_range) {
        return Stop(Stage::kField, at(),
                    "field index " + value.dump() + " is out of range [0, " +
                        std::to_string(kMaxFields) + ")",
                    t, s, k);
      }
      step.field = static_cast<int8_t>(value.get<int64_t>());
      return true;
    }
    if (!value.is_string()) return StopType(Stage::kField, at(), "a string", value, t, s, k);
    const std::string& name = value.get_ref<const std::string&>();
    if (kind == FieldKind::kTypeName) {
      std::optional<ObjType> type = ObjTypeFromName(name);
      if (!type) {
        return Stop(
            Stage::kField, at(),
            "unknown type " + QuoteForMessage(name) + " (expected \"object\" or \"subclass\")", t,
            s, k);
      }
      step.type = *type;
      return true;
    }
    step.names[k] = name;  // a variable, VM or worker name: the validator's
    return true;
  }

  void ReadExpect(const Json& root) {
    auto expect = root.find("expect");
    if (expect == root.end()) return;
    if (!expect->is_array()) {
      StopType(Stage::kExpect, "/expect", "an array", *expect);
      return;
    }
    draft_.expect.reserve(std::min(expect->size(), kMaxExpectations + 1));
    for (uint32_t i = 0; i < expect->size(); ++i) {
      if (!ReadEntry((*expect)[i], i, draft_.expect.emplace_back())) return;
    }
  }

  bool ReadEntry(const Json& entry, uint32_t i, DraftExpectation& out) {
    std::string pointer = "/expect/" + std::to_string(i);
    if (!entry.is_object()) {
      return StopType(Stage::kEntry, pointer, "an object {\"faults\": [...], \"result\": ...}",
                      entry, i);
    }
    for (const auto& [key, value] : entry.items()) {
      if (key != "faults" && key != "result" && key != "target") {
        return Stop(Stage::kEntry, pointer, "unknown field " + QuoteForMessage(key), i);
      }
    }
    auto target = entry.find("target");
    if (target != entry.end()) {
      if (!target->is_string()) {
        return StopType(Stage::kEntry, pointer + "/target", "a string", *target, i);
      }
      out.target = target->get<std::string>();
    }
    auto faults = entry.find("faults");
    if (faults != entry.end()) {
      if (!faults->is_array()) {
        return StopType(Stage::kFault, pointer + "/faults", "an array of fault names", *faults, i);
      }
      for (uint32_t k = 0; k < faults->size(); ++k) {
        const Json& fault = (*faults)[k];
        if (!fault.is_string()) {
          return StopType(Stage::kFault, pointer + "/faults/" + std::to_string(k), "a string",
                          fault, i, k);
        }
        out.faults.push_back(fault.get<std::string>());
      }
    }
    auto result = entry.find("result");
    if (result == entry.end()) {
      return Stop(Stage::kResult, pointer, "missing required field \"result\"", i);
    }
    if (!result->is_string()) {
      return StopType(Stage::kResult, pointer + "/result", "a string", *result, i);
    }
    const std::string& name = result->get_ref<const std::string&>();
    if (name == "pass") return true;
    out.violation = ViolationFromName(name);
    if (!out.violation) {
      return Stop(
          Stage::kResult, pointer + "/result",
          "unknown result " + QuoteForMessage(name) + " (expected \"pass\" or a violation kind)",
          i);
    }
    return true;
  }

  ScenarioDraft draft_;
  std::vector<const Json*> thread_steps_;  // per thread: its step array
};

}  // namespace

ScenarioDraft DraftFromJson(const nlohmann::ordered_json& json) {
  return JsonReader().Read(json);
}

}  // namespace gcs
