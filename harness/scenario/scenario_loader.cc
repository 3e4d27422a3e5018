// gcstress scenario — loading and validating scenario JSON (format 1, scenarios/README.md).
//
// Validation runs in passes over the document, and the first error of the first failing pass is
// the one reported, so that every input has exactly one, deterministic message:
//   1. top level: "format" first (a newer file should say so before anything else), then
//      unknown fields, "name", "description", "source";
//   2. threads: names, plain/worker shape; the worker VMs ("main" first, then one per worker);
//   3. steps, thread by thread: op, fields, value types; workers resolved, switch_vm names
//      interned as VMs in order of appearance, variable appearances recorded;
//   4. variables: kinds from binding sites, then every use checked against them (a variable
//      may be used before its binding in file order: at run time that use is simply skipped);
//   5. VM names used by other ops resolved against the full VM list;
//   6. "expect".
#include "harness/scenario/scenario_loader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 6> kTopLevelFields = {"format", "name",    "description",
                                                             "source", "threads", "expect"};

std::string Quote(std::string_view text) {
  return QuoteForMessage(text);
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// "<what> name \"x\" is empty" etc., or nullopt for a valid name.
std::optional<std::string> NameProblem(std::string_view what, std::string_view name) {
  std::string problem;
  if (name.empty()) {
    problem = " is empty";
  } else if (name.size() > kMaxNameLength) {
    problem = " is longer than " + std::to_string(kMaxNameLength) + " characters";
  } else if (!std::all_of(name.begin(), name.end(), IsNameChar)) {
    problem = " may only contain letters, digits, '_', '-' and '.'";
  } else {
    return std::nullopt;
  }
  return std::string(what) + " name " + Quote(name) + problem;
}

std::string KindPhrase(BindKind kind) {
  switch (kind) {
    case BindKind::kHandle:
      return "a handle";
    case BindKind::kWeak:
      return "a weak reference";
    case BindKind::kToken:
      return "a registry token";
    case BindKind::kNone:
      break;
  }
  return "nothing";
}

BindKind UseKind(FieldKind kind) {
  switch (kind) {
    case FieldKind::kHandleVar:
      return BindKind::kHandle;
    case FieldKind::kWeakVar:
      return BindKind::kWeak;
    case FieldKind::kTokenVar:
      return BindKind::kToken;
    default:
      return BindKind::kNone;
  }
}

bool IsVarKind(FieldKind kind) {
  return kind == FieldKind::kBindVar || UseKind(kind) != BindKind::kNone;
}

// A variable named by one step field; resolved in pass 4.
struct VarAppearance {
  std::string name;
  BindKind bind = BindKind::kNone;  // the kind this field binds, for "as"
  BindKind use = BindKind::kNone;   // the kind this field needs, for the other variable fields
  uint16_t thread = 0;
  uint32_t step = 0;
  Field field = Field::kObj;
};

// A VM name used by an op other than switch_vm; resolved in pass 5.
struct VmReference {
  std::string name;
  uint16_t thread = 0;
  uint32_t step = 0;
};

class Loader {
 public:
  Loader(std::string_view file, std::string_view prefix, const LoadOptions& options)
      : file_(file), prefix_(prefix), options_(options) {}

  Expected<Scenario> Load(const Json& root) {
    if (!LoadTopLevel(root) || !LoadThreads(*root.find("threads")) || !LoadAllSteps() ||
        !ResolveVars() || !ResolveVms() || !LoadExpect(root)) {
      return std::move(*error_);
    }
    return std::move(scenario_);
  }

 private:
  bool Fail(std::string_view pointer, std::string message) {
    error_ = InputError{std::string(file_), prefix_ + std::string(pointer), std::move(message)};
    return false;
  }
  bool FailType(std::string_view pointer, std::string_view expected, const Json& got) {
    return Fail(pointer, "expected " + std::string(expected) + ", got " + DescribeJsonValue(got));
  }

  std::string ThreadPointer(size_t thread) const {
    return "/threads/" + EscapePointerComponent(scenario_.threads[thread].name);
  }
  std::string StepPointer(size_t thread, size_t step) const {
    return ThreadPointer(thread) + (scenario_.threads[thread].worker ? "/steps/" : "/") +
           std::to_string(step);
  }
  std::string FieldPointer(size_t thread, size_t step, Field field) const {
    return StepPointer(thread, step) + "/" + std::string(FieldName(field));
  }

  // Pass 1.
  bool LoadTopLevel(const Json& root) {
    if (!root.is_object()) return FailType("", "the top level to be an object", root);
    auto format = root.find("format");
    if (format == root.end()) return Fail("", "missing required field \"format\"");
    if (!format->is_number_integer()) return FailType("/format", "an integer", *format);
    if (format->is_number_unsigned() ? format->get<uint64_t>() != 1 : format->get<int64_t>() != 1) {
      return Fail("/format",
                  "unsupported format " + format->dump() + " (this gcstress reads format 1)");
    }
    for (const auto& [key, value] : root.items()) {
      if (std::find(kTopLevelFields.begin(), kTopLevelFields.end(), key) == kTopLevelFields.end()) {
        return Fail("", "unknown field " + Quote(key));
      }
    }
    auto name = root.find("name");
    if (name == root.end()) return Fail("", "missing required field \"name\"");
    if (!name->is_string()) return FailType("/name", "a string", *name);
    scenario_.name = name->get<std::string>();
    if (auto problem = NameProblem("scenario", scenario_.name)) return Fail("/name", *problem);
    if (!LoadText(root, "description", scenario_.description) ||
        !LoadText(root, "source", scenario_.source)) {
      return false;
    }
    if (!root.contains("threads")) return Fail("", "missing required field \"threads\"");
    return true;
  }

  bool LoadText(const Json& root, const char* key, std::string& out) {
    auto it = root.find(key);
    if (it == root.end()) return true;
    std::string pointer = std::string("/") + key;
    if (!it->is_string()) return FailType(pointer, "a string", *it);
    out = it->get<std::string>();
    if (out.size() > kMaxTextLength) {
      return Fail(pointer, "longer than " + std::to_string(kMaxTextLength) + " bytes");
    }
    return true;
  }

  // Pass 2.
  bool LoadThreads(const Json& threads) {
    if (!threads.is_object()) return FailType("/threads", "an object of threads", threads);
    if (threads.empty()) return Fail("/threads", "no threads");
    if (threads.size() > static_cast<size_t>(kMaxThreads)) {
      return Fail("/threads", std::to_string(threads.size()) + " threads; at most " +
                                  std::to_string(kMaxThreads) + " are allowed");
    }
    scenario_.vms.emplace_back("main");
    for (const auto& [name, value] : threads.items()) {
      if (auto problem = NameProblem("thread", name)) return Fail("/threads", *problem);
      ThreadSpec& thread = scenario_.threads.emplace_back();
      thread.name = name;
      std::string pointer = ThreadPointer(scenario_.threads.size() - 1);
      const Json* steps = &value;
      if (value.is_object()) {
        steps = nullptr;
        for (const auto& [key, member] : value.items()) {
          if (key == "worker") {
            if (!member.is_boolean()) return FailType(pointer + "/worker", "true or false", member);
            thread.worker = member.get<bool>();
          } else if (key == "steps") {
            steps = &member;
          } else {
            return Fail(pointer, "unknown field " + Quote(key));
          }
        }
        if (steps == nullptr) return Fail(pointer, "missing required field \"steps\"");
        if (!steps->is_array()) return FailType(pointer + "/steps", "an array of steps", *steps);
      } else if (!value.is_array()) {
        return FailType(
            pointer, "an array of steps or an object {\"worker\": ..., \"steps\": [...]}", value);
      }
      if (thread.worker) {
        if (name == "main") return Fail(pointer, "a worker cannot be named \"main\" (the main VM)");
        thread.vm = static_cast<int16_t>(scenario_.vms.size());
        scenario_.vms.push_back(name);
      }
      thread_steps_.push_back(steps);
    }
    return true;
  }

  // Pass 3.
  bool LoadAllSteps() {
    size_t total = 0;
    for (size_t t = 0; t < scenario_.threads.size(); ++t) {
      const Json& steps = *thread_steps_[t];
      scenario_.threads[t].steps.reserve(std::min(steps.size(), kMaxSteps));
      for (size_t s = 0; s < steps.size(); ++s) {
        if (++total > kMaxSteps) {
          return Fail(StepPointer(t, s),
                      "more than " + std::to_string(kMaxSteps) + " steps in all threads");
        }
        scenario_.threads[t].steps.emplace_back();
        if (!LoadStep(steps[s], t, s)) return false;
      }
    }
    return true;
  }

  bool LoadStep(const Json& value, size_t t, size_t s) {
    // Pointers are built only for the error message: loading stays allocation-light.
    auto at = [&](std::string_view suffix = "") { return StepPointer(t, s) + std::string(suffix); };
    if (!value.is_object()) return FailType(at(), "a step object", value);
    auto op_it = value.find("op");
    if (op_it == value.end()) return Fail(at(), "missing required field \"op\"");
    if (!op_it->is_string()) return FailType(at("/op"), "a string", *op_it);
    const std::string& op_name = op_it->get_ref<const std::string&>();
    std::optional<Op> op = OpFromName(op_name);
    if (!op) return Fail(at("/op"), "unknown op " + Quote(op_name));
    if (!options_.supported_ops.test(static_cast<size_t>(*op))) {
      return Fail(at("/op"),
                  "op " + Quote(op_name) + " is not supported by target " + Quote(options_.target));
    }
    const OpInfo& info = GetOpInfo(*op);
    std::array<const Json*, kFieldCount> values{};
    for (const auto& [key, member] : value.items()) {
      if (key == "op") continue;
      std::optional<Field> field = FieldFromName(key);
      if (!field) return Fail(at(), "unknown field " + Quote(key));
      if (info.FindField(*field) == nullptr) {
        return Fail(at(), "op " + Quote(info.json) + " has no field " + Quote(key));
      }
      values[static_cast<size_t>(*field)] = &member;
    }
    Step& step = scenario_.threads[t].steps[s];
    step.op = *op;
    for (const FieldSpec& spec : info.Fields()) {
      const Json* member = values[static_cast<size_t>(spec.field)];
      if (member == nullptr) {
        if (spec.optional) continue;
        return Fail(at(), "op " + Quote(info.json) + " is missing required field " +
                              Quote(FieldName(spec.field)));
      }
      if (!LoadField(info, spec.field, *member, t, s, step)) return false;
    }
    return true;
  }

  bool LoadField(const OpInfo& info, Field field, const Json& value, size_t t, size_t s,
                 Step& step) {
    auto at = [&] { return FieldPointer(t, s, field); };
    FieldKind kind = GetFieldInfo(field).kind;
    if (kind == FieldKind::kFieldIndex) {
      if (!value.is_number_integer()) return FailType(at(), "an integer", value);
      bool in_range = value.is_number_unsigned()
                          ? value.get<uint64_t>() < static_cast<uint64_t>(kMaxFields)
                          : value.get<int64_t>() >= 0 && value.get<int64_t>() < kMaxFields;
      if (!in_range) {
        return Fail(at(), "field index " + value.dump() + " is out of range [0, " +
                              std::to_string(kMaxFields) + ")");
      }
      step.field = static_cast<int8_t>(value.get<int64_t>());
      return true;
    }
    if (!value.is_string()) return FailType(at(), "a string", value);
    const std::string& name = value.get_ref<const std::string&>();
    if (IsVarKind(kind)) {
      if (auto problem = NameProblem("variable", name)) return Fail(at(), *problem);
      appearances_.push_back(
          VarAppearance{name, kind == FieldKind::kBindVar ? info.bind : BindKind::kNone,
                        UseKind(kind), static_cast<uint16_t>(t), static_cast<uint32_t>(s), field});
      return true;
    }
    switch (kind) {
      case FieldKind::kVmName:
        return LoadVmName(info, name, t, s, step);
      case FieldKind::kWorkerName:
        return LoadWorkerName(info, name, t, s, step);
      case FieldKind::kTypeName: {
        std::optional<ObjType> type = ObjTypeFromName(name);
        if (!type) {
          return Fail(at(),
                      "unknown type " + Quote(name) + " (expected \"object\" or \"subclass\")");
        }
        step.type = *type;
        return true;
      }
      case FieldKind::kHandleVar:
      case FieldKind::kWeakVar:
      case FieldKind::kTokenVar:
      case FieldKind::kBindVar:
      case FieldKind::kFieldIndex:
        break;  // handled above
    }
    GCS_CHECK_MSG(false, "a field kind the loader does not handle");
    return false;
  }

  bool LoadVmName(const OpInfo& info, const std::string& name, size_t t, size_t s, Step& step) {
    if (info.op != Op::kSwitchVm) {
      vm_references_.push_back(
          VmReference{name, static_cast<uint16_t>(t), static_cast<uint32_t>(s)});
      return true;
    }
    auto at = [&] { return FieldPointer(t, s, Field::kVm); };
    if (auto problem = NameProblem("VM", name)) return Fail(at(), *problem);
    std::optional<int16_t> vm = scenario_.FindVm(name);
    if (!vm) {
      if (scenario_.vms.size() == kMaxVms) {
        return Fail(at(), "more than " + std::to_string(kMaxVms) + " VMs");
      }
      vm = static_cast<int16_t>(scenario_.vms.size());
      scenario_.vms.push_back(name);
    }
    step.vm = *vm;
    return true;
  }

  bool LoadWorkerName(const OpInfo& info, const std::string& name, size_t t, size_t s, Step& step) {
    auto at = [&] { return FieldPointer(t, s, Field::kWorker); };
    std::optional<size_t> worker = scenario_.FindThread(name);
    if (!worker) return Fail(at(), "unknown worker " + Quote(name));
    ThreadSpec& thread = scenario_.threads[*worker];
    if (!thread.worker) return Fail(at(), "thread " + Quote(name) + " is not a worker");
    if (info.op == Op::kSpawn) {
      if (*worker == t) return Fail(at(), "worker " + Quote(name) + " cannot spawn itself");
      thread.spawned = true;
    }
    step.worker = static_cast<int16_t>(*worker);
    return true;
  }

  // Pass 4.
  bool ResolveVars() {
    std::map<std::string, VarId, std::less<>> ids;
    std::vector<const VarAppearance*> bound_at;  // per variable: its first binding
    for (const VarAppearance& a : appearances_) {
      if (ids.count(a.name) != 0) continue;
      if (scenario_.vars.size() == kMaxVars) {
        return Fail(FieldPointer(a.thread, a.step, a.field),
                    "more than " + std::to_string(kMaxVars) + " variables");
      }
      ids.emplace(a.name, static_cast<VarId>(scenario_.vars.size()));
      scenario_.vars.push_back(VarSpec{a.name, BindKind::kNone});
      bound_at.push_back(nullptr);
    }
    for (const VarAppearance& a : appearances_) {
      if (a.bind == BindKind::kNone) continue;
      VarId id = ids.find(a.name)->second;
      const VarAppearance* first = bound_at[id];
      if (first == nullptr) {
        bound_at[id] = &a;
        scenario_.vars[id].kind = a.bind;
      } else if (first->bind != a.bind) {
        return Fail(FieldPointer(a.thread, a.step, a.field),
                    "variable " + Quote(a.name) + " is bound to " + KindPhrase(a.bind) +
                        " here but to " + KindPhrase(first->bind) + " at " + prefix_ +
                        FieldPointer(first->thread, first->step, first->field));
      }
    }
    for (const VarAppearance& a : appearances_) {
      VarId id = ids.find(a.name)->second;
      if (a.use != BindKind::kNone) {
        BindKind kind = scenario_.vars[id].kind;
        if (kind == BindKind::kNone) {
          return Fail(FieldPointer(a.thread, a.step, a.field),
                      "variable " + Quote(a.name) + " is never bound");
        }
        if (kind != a.use) {
          return Fail(FieldPointer(a.thread, a.step, a.field), "variable " + Quote(a.name) +
                                                                   " holds " + KindPhrase(kind) +
                                                                   ", not " + KindPhrase(a.use));
        }
      }
      *StepVarSlot(scenario_.threads[a.thread].steps[a.step], a.field) = id;
    }
    return true;
  }

  // Pass 5.
  bool ResolveVms() {
    for (const VmReference& ref : vm_references_) {
      std::optional<int16_t> vm = scenario_.FindVm(ref.name);
      if (!vm) {
        return Fail(FieldPointer(ref.thread, ref.step, Field::kVm),
                    "unknown VM " + Quote(ref.name) +
                        " (not \"main\", a worker or a name some switch_vm introduces)");
      }
      scenario_.threads[ref.thread].steps[ref.step].vm = *vm;
    }
    return true;
  }

  // Pass 6.
  bool LoadExpect(const Json& root) {
    auto expect = root.find("expect");
    if (expect == root.end()) return true;
    if (!expect->is_array()) return FailType("/expect", "an array", *expect);
    if (expect->size() > kMaxExpectations) {
      return Fail("/expect", std::to_string(expect->size()) + " entries; at most " +
                                 std::to_string(kMaxExpectations) + " are allowed");
    }
    std::set<std::string_view> known(options_.known_faults.begin(), options_.known_faults.end());
    std::map<std::vector<std::string>, size_t> seen;  // sorted fault set -> entry index
    for (size_t i = 0; i < expect->size(); ++i) {
      std::string pointer = "/expect/" + std::to_string(i);
      const Json& entry = (*expect)[i];
      if (!entry.is_object()) {
        return FailType(pointer, "an object {\"faults\": [...], \"result\": ...}", entry);
      }
      Expectation& out = scenario_.expect.emplace_back();
      for (const auto& [key, value] : entry.items()) {
        if (key != "faults" && key != "result") return Fail(pointer, "unknown field " + Quote(key));
      }
      auto faults = entry.find("faults");
      if (faults != entry.end() && !LoadFaults(*faults, pointer + "/faults", known, out)) {
        return false;
      }
      auto result = entry.find("result");
      if (result == entry.end()) return Fail(pointer, "missing required field \"result\"");
      if (!result->is_string()) return FailType(pointer + "/result", "a string", *result);
      const std::string& name = result->get_ref<const std::string&>();
      if (name != "pass") {
        out.violation = ViolationFromName(name);
        if (!out.violation) {
          return Fail(pointer + "/result",
                      "unknown result " + Quote(name) + " (expected \"pass\" or a violation kind)");
        }
        if (*out.violation == ViolationKind::kExpectMismatch) {
          return Fail(pointer + "/result", "result " + Quote(name) + " cannot be expected");
        }
      }
      std::vector<std::string> key = out.faults;
      std::sort(key.begin(), key.end());
      auto [it, inserted] = seen.emplace(std::move(key), i);
      if (!inserted) {
        return Fail(pointer, "the same faults as " + prefix_ + "/expect/" +
                                 std::to_string(it->second) + "; expect one result per fault set");
      }
    }
    return true;
  }

  bool LoadFaults(const Json& faults, const std::string& pointer,
                  const std::set<std::string_view>& known, Expectation& out) {
    if (!faults.is_array()) return FailType(pointer, "an array of fault names", faults);
    for (size_t k = 0; k < faults.size(); ++k) {
      std::string fault_pointer = pointer + "/" + std::to_string(k);
      if (!faults[k].is_string()) return FailType(fault_pointer, "a string", faults[k]);
      const std::string& name = faults[k].get_ref<const std::string&>();
      if (known.count(name) == 0) {
        return Fail(fault_pointer,
                    "unknown fault " + Quote(name) + " for target " + Quote(options_.target));
      }
      if (std::find(out.faults.begin(), out.faults.end(), name) != out.faults.end()) {
        return Fail(fault_pointer, "fault " + Quote(name) + " is listed twice");
      }
      out.faults.push_back(name);
    }
    return true;
  }

  std::string_view file_;
  std::string prefix_;
  const LoadOptions& options_;
  Scenario scenario_;
  std::optional<InputError> error_;
  std::vector<const Json*> thread_steps_;  // per thread: its step array
  std::vector<VarAppearance> appearances_;
  std::vector<VmReference> vm_references_;
};

}  // namespace

Expected<Scenario> ScenarioFromJson(const nlohmann::ordered_json& json, std::string_view file,
                                    std::string_view pointer_prefix, const LoadOptions& options) {
  return Loader(file, pointer_prefix, options).Load(json);
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
