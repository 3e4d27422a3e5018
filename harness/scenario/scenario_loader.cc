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
// A draft (NormalizeScenario) goes through the same passes, read from the Scenario itself instead
// of from JSON: passes 1-3 and 6 have a JSON reader and a draft reader, which share every check
// beyond the JSON's shape; passes 4 and 5 are the same code.
#include "harness/scenario/scenario_loader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <numeric>
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

  // The draft as ScenarioToJson would write it: only the fields its ops have, variables, VMs
  // and workers by name. What the encoder GCS_CHECKs (an index out of range, a required field
  // unset) is GCS_CHECKed here too.
  Expected<Scenario> Load(const Scenario& draft) {
    if (!LoadTopLevel(draft) || !LoadThreads(draft) || !LoadAllSteps(draft) || !ResolveVars() ||
        !ResolveVms() || !LoadExpect(draft)) {
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

  bool LoadTopLevel(const Scenario& draft) {
    if (draft.format != 1) {
      return Fail("/format", "unsupported format " + std::to_string(draft.format) +
                                 " (this gcstress reads format 1)");
    }
    scenario_.name = draft.name;
    if (auto problem = NameProblem("scenario", scenario_.name)) return Fail("/name", *problem);
    scenario_.description = draft.description;
    scenario_.source = draft.source;
    return CheckText("description", scenario_.description) && CheckText("source", scenario_.source);
  }

  bool LoadText(const Json& root, const char* key, std::string& out) {
    auto it = root.find(key);
    if (it == root.end()) return true;
    if (!it->is_string()) return FailType(std::string("/") + key, "a string", *it);
    out = it->get<std::string>();
    return CheckText(key, out);
  }

  bool CheckText(const char* key, const std::string& text) {
    if (text.size() > kMaxTextLength) {
      return Fail(std::string("/") + key,
                  "longer than " + std::to_string(kMaxTextLength) + " bytes");
    }
    return true;
  }

  // Pass 2.
  bool LoadThreads(const Json& threads) {
    if (!threads.is_object()) return FailType("/threads", "an object of threads", threads);
    if (!CheckThreadCount(threads.size())) return false;
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
      if (thread.worker && !AddWorkerVm(thread, pointer)) return false;
      thread_steps_.push_back(steps);
    }
    return true;
  }

  // The JSON object of threads cannot repeat a name (ParseJson reports a duplicate key); a
  // draft can, and is told so in the same words.
  bool LoadThreads(const Scenario& draft) {
    if (!CheckThreadCount(draft.threads.size())) return false;
    scenario_.threads.reserve(draft.threads.size());
    scenario_.vms.reserve(std::min(draft.vms.size(), kMaxVms));
    scenario_.vms.emplace_back("main");
    for (const ThreadSpec& spec : draft.threads) {
      if (auto problem = NameProblem("thread", spec.name)) return Fail("/threads", *problem);
      if (scenario_.FindThread(spec.name)) {
        return Fail("/threads", "duplicate thread name " + Quote(spec.name));
      }
      ThreadSpec& thread = scenario_.threads.emplace_back();
      thread.name = spec.name;
      thread.worker = spec.worker;
      if (thread.worker && !AddWorkerVm(thread, ThreadPointer(scenario_.threads.size() - 1))) {
        return false;
      }
    }
    return true;
  }

  bool CheckThreadCount(size_t n) {
    if (n == 0) return Fail("/threads", "no threads");
    if (n > static_cast<size_t>(kMaxThreads)) {
      return Fail("/threads", std::to_string(n) + " threads; at most " +
                                  std::to_string(kMaxThreads) + " are allowed");
    }
    return true;
  }

  bool AddWorkerVm(ThreadSpec& thread, const std::string& pointer) {
    if (thread.name == "main") {
      return Fail(pointer, "a worker cannot be named \"main\" (the main VM)");
    }
    thread.vm = static_cast<int16_t>(scenario_.vms.size());
    scenario_.vms.push_back(thread.name);
    return true;
  }

  // Pass 3.
  bool LoadAllSteps() {
    size_t total = 0;
    for (size_t t = 0; t < scenario_.threads.size(); ++t) {
      const Json& steps = *thread_steps_[t];
      scenario_.threads[t].steps.reserve(std::min(steps.size(), kMaxSteps));
      for (size_t s = 0; s < steps.size(); ++s) {
        if (!AddStep(total, t, s) || !LoadStep(steps[s], t, s)) return false;
      }
    }
    return true;
  }

  bool LoadAllSteps(const Scenario& draft) {
    // One allocation for the appearances: every variable slot a step sets is one.
    size_t slots = 0;
    for (const ThreadSpec& thread : draft.threads) {
      for (const Step& step : thread.steps) {
        for (const VarId v :
             {step.obj, step.as, step.to, step.weak, step.held, step.token, step.from})
          slots += v != kNoVar ? 1 : 0;
      }
    }
    appearances_.reserve(std::min(slots, kMaxSteps * 7));
    size_t total = 0;
    for (size_t t = 0; t < scenario_.threads.size(); ++t) {
      const std::vector<Step>& steps = draft.threads[t].steps;
      scenario_.threads[t].steps.reserve(std::min(steps.size(), kMaxSteps));
      for (size_t s = 0; s < steps.size(); ++s) {
        if (!AddStep(total, t, s) || !LoadStep(draft, steps[s], t, s)) return false;
      }
    }
    return true;
  }

  // Step `s` of thread `t`, default-constructed, the total-step count checked first.
  bool AddStep(size_t& total, size_t t, size_t s) {
    if (++total > kMaxSteps) {
      return Fail(StepPointer(t, s),
                  "more than " + std::to_string(kMaxSteps) + " steps in all threads");
    }
    scenario_.threads[t].steps.emplace_back();
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
    const OpInfo& info = GetOpInfo(*op);
    if (!CheckSupported(info, t, s)) return false;
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

  bool CheckSupported(const OpInfo& info, size_t t, size_t s) {
    if (options_.supported_ops.test(static_cast<size_t>(info.op))) return true;
    return Fail(StepPointer(t, s) + "/op",
                "op " + Quote(info.json) + " is not supported by target " + Quote(options_.target));
  }

  // What ScenarioToJson writes for each of the op's fields, read straight from the draft: an
  // unset optional field is absent, a set one goes through the checks LoadField makes past the
  // JSON value's type.
  bool LoadStep(const Scenario& draft, const Step& in, size_t t, size_t s) {
    const OpInfo& info = GetOpInfo(in.op);
    if (!CheckSupported(info, t, s)) return false;
    Step& step = scenario_.threads[t].steps[s];
    step.op = in.op;
    for (const FieldSpec& spec : info.Fields()) {
      const FieldKind kind = GetFieldInfo(spec.field).kind;
      bool ok = true;
      bool set = true;
      if (const VarId* var = StepVarSlot(in, spec.field)) {
        set = *var != kNoVar;
        if (set) {
          GCS_CHECK_MSG(*var < draft.vars.size(),
                        "step names a variable the scenario does not have");
          ok = AddAppearance(info, spec.field, kind, draft.vars[*var].name, t, s);
        }
      } else if (kind == FieldKind::kFieldIndex) {
        set = in.field >= 0;
        GCS_CHECK_MSG(in.field < kMaxFields, "field index out of range");
        if (set) step.field = in.field;
      } else if (kind == FieldKind::kVmName) {
        set = in.vm >= 0;
        if (set) {
          GCS_CHECK_MSG(static_cast<size_t>(in.vm) < draft.vms.size(), "step names an unknown VM");
          ok = LoadVmName(info, draft.vms[static_cast<size_t>(in.vm)], t, s, step);
        }
      } else if (kind == FieldKind::kWorkerName) {
        set = in.worker >= 0;
        if (set) {
          GCS_CHECK_MSG(static_cast<size_t>(in.worker) < draft.threads.size(),
                        "step names an unknown thread");
          ok = LoadWorkerName(info, draft.threads[static_cast<size_t>(in.worker)].name, t, s, step);
        }
      } else {
        GCS_CHECK_MSG(kind == FieldKind::kTypeName, "a field kind the loader does not handle");
        set = in.type != ObjType::kObject;
        step.type = in.type;
      }
      GCS_CHECK_MSG(set || spec.optional, "a step lacks a required field");
      if (!ok) return false;
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
    if (IsVarKind(kind)) return AddAppearance(info, field, kind, name, t, s);
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

  bool AddAppearance(const OpInfo& info, Field field, FieldKind kind, const std::string& name,
                     size_t t, size_t s) {
    if (auto problem = NameProblem("variable", name)) {
      return Fail(FieldPointer(t, s, field), *problem);
    }
    appearances_.push_back(
        VarAppearance{name, kind == FieldKind::kBindVar ? info.bind : BindKind::kNone,
                      UseKind(kind), static_cast<uint16_t>(t), static_cast<uint32_t>(s), field});
    return true;
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
    // Variables are numbered in order of first appearance. The appearances of one name are found
    // by sorting them once (by name, then position), not with a map from names: a few vectors
    // instead of a node per variable, since the generator normalizes a draft per fuzz case.
    const size_t n = appearances_.size();
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      const int c = appearances_[x].name.compare(appearances_[y].name);
      return c != 0 ? c < 0 : x < y;
    });
    std::vector<uint32_t> first_of(n);  // per appearance: the first appearance of its name
    size_t names = 0;
    for (size_t k = 0; k < n; ++k) {
      const uint32_t i = order[k];
      const bool same = k > 0 && appearances_[order[k - 1]].name == appearances_[i].name;
      first_of[i] = same ? first_of[order[k - 1]] : i;
      names += same ? 0 : 1;
    }
    std::vector<VarId> id_of(n);                 // per appearance: its variable
    std::vector<const VarAppearance*> bound_at;  // per variable: its first binding
    bound_at.reserve(std::min(names, kMaxVars));
    scenario_.vars.reserve(std::min(names, kMaxVars));
    for (size_t i = 0; i < n; ++i) {
      const VarAppearance& a = appearances_[i];
      if (first_of[i] != i) {
        id_of[i] = id_of[first_of[i]];
        continue;
      }
      if (scenario_.vars.size() == kMaxVars) {
        return Fail(FieldPointer(a.thread, a.step, a.field),
                    "more than " + std::to_string(kMaxVars) + " variables");
      }
      id_of[i] = static_cast<VarId>(scenario_.vars.size());
      scenario_.vars.push_back(VarSpec{a.name, BindKind::kNone});
      bound_at.push_back(nullptr);
    }
    for (size_t i = 0; i < appearances_.size(); ++i) {
      const VarAppearance& a = appearances_[i];
      if (a.bind == BindKind::kNone) continue;
      const VarId id = id_of[i];
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
    for (size_t i = 0; i < appearances_.size(); ++i) {
      const VarAppearance& a = appearances_[i];
      const VarId id = id_of[i];
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
    if (!CheckExpectCount(expect->size())) return false;
    std::set<std::string_view> known(options_.known_faults.begin(), options_.known_faults.end());
    // (target, sorted fault set) -> entry index
    std::map<std::pair<std::string, std::vector<std::string>>, size_t> seen;
    for (size_t i = 0; i < expect->size(); ++i) {
      std::string pointer = "/expect/" + std::to_string(i);
      const Json& entry = (*expect)[i];
      if (!entry.is_object()) {
        return FailType(pointer, "an object {\"faults\": [...], \"result\": ...}", entry);
      }
      Expectation& out = scenario_.expect.emplace_back();
      for (const auto& [key, value] : entry.items()) {
        if (key != "faults" && key != "result" && key != "target") {
          return Fail(pointer, "unknown field " + Quote(key));
        }
      }
      auto target = entry.find("target");
      if (target != entry.end()) {
        if (!target->is_string()) return FailType(pointer + "/target", "a string", *target);
        if (!LoadTarget(target->get_ref<const std::string&>(), pointer + "/target", out)) {
          return false;
        }
      }
      auto faults = entry.find("faults");
      if (faults != entry.end() && !LoadFaults(*faults, pointer + "/faults", known, out)) {
        return false;
      }
      auto result = entry.find("result");
      if (result == entry.end()) return Fail(pointer, "missing required field \"result\"");
      if (!result->is_string()) return FailType(pointer + "/result", "a string", *result);
      if (!LoadResult(result->get_ref<const std::string&>(), pointer, out) ||
          !CheckFaultSetOnce(out, i, pointer, seen)) {
        return false;
      }
    }
    return true;
  }

  bool LoadExpect(const Scenario& draft) {
    if (draft.expect.empty()) return true;
    if (!CheckExpectCount(draft.expect.size())) return false;
    std::set<std::string_view> known(options_.known_faults.begin(), options_.known_faults.end());
    std::map<std::pair<std::string, std::vector<std::string>>, size_t> seen;
    for (size_t i = 0; i < draft.expect.size(); ++i) {
      const Expectation& in = draft.expect[i];
      std::string pointer = "/expect/" + std::to_string(i);
      Expectation& out = scenario_.expect.emplace_back();
      if (!in.target.empty() && !LoadTarget(in.target, pointer + "/target", out)) return false;
      for (size_t k = 0; k < in.faults.size(); ++k) {
        if (!AddFault(in.faults[k], pointer + "/faults/" + std::to_string(k), known, out)) {
          return false;
        }
      }
      const std::string result = in.violation ? std::string(ViolationName(*in.violation)) : "pass";
      if (!LoadResult(result, pointer, out) || !CheckFaultSetOnce(out, i, pointer, seen)) {
        return false;
      }
    }
    return true;
  }

  bool CheckExpectCount(size_t n) {
    if (n <= kMaxExpectations) return true;
    return Fail("/expect", std::to_string(n) + " entries; at most " +
                               std::to_string(kMaxExpectations) + " are allowed");
  }

  bool LoadResult(const std::string& name, const std::string& pointer, Expectation& out) {
    if (name == "pass") return true;
    out.violation = ViolationFromName(name);
    if (!out.violation) {
      return Fail(pointer + "/result",
                  "unknown result " + Quote(name) + " (expected \"pass\" or a violation kind)");
    }
    if (*out.violation == ViolationKind::kExpectMismatch) {
      return Fail(pointer + "/result", "result " + Quote(name) + " cannot be expected");
    }
    return true;
  }

  // "name" or "name@version", the name a target's and the pair one of its versions.
  bool LoadTarget(const std::string& spec, const std::string& pointer, Expectation& out) {
    const size_t at = spec.find('@');
    const std::string name = spec.substr(0, at);
    if (auto problem = NameProblem("target", name)) return Fail(pointer, *problem);
    if (at != std::string::npos) {
      if (auto problem = NameProblem("version", spec.substr(at + 1)))
        return Fail(pointer, *problem);
    }
    const auto& known = options_.known_targets;
    if (!known.empty() && std::find(known.begin(), known.end(), spec) == known.end()) {
      const bool name_known = std::find(known.begin(), known.end(), name) != known.end();
      return Fail(pointer, name_known ? "target " + Quote(name) + " has no version " +
                                            Quote(spec.substr(at + 1))
                                      : "unknown target " + Quote(name));
    }
    out.target = spec;
    return true;
  }

  bool CheckFaultSetOnce(const Expectation& out, size_t i, const std::string& pointer,
                         std::map<std::pair<std::string, std::vector<std::string>>, size_t>& seen) {
    std::vector<std::string> key = out.faults;
    std::sort(key.begin(), key.end());
    auto [it, inserted] = seen.emplace(std::make_pair(out.target, std::move(key)), i);
    if (inserted) return true;
    if (out.target.empty()) {
      return Fail(pointer, "the same faults as " + prefix_ + "/expect/" +
                               std::to_string(it->second) + "; expect one result per fault set");
    }
    return Fail(pointer, "the same target and faults as " + prefix_ + "/expect/" +
                             std::to_string(it->second) +
                             "; expect one result per target and fault set");
  }

  bool LoadFaults(const Json& faults, const std::string& pointer,
                  const std::set<std::string_view>& known, Expectation& out) {
    if (!faults.is_array()) return FailType(pointer, "an array of fault names", faults);
    for (size_t k = 0; k < faults.size(); ++k) {
      std::string fault_pointer = pointer + "/" + std::to_string(k);
      if (!faults[k].is_string()) return FailType(fault_pointer, "a string", faults[k]);
      if (!AddFault(faults[k].get_ref<const std::string&>(), fault_pointer, known, out)) {
        return false;
      }
    }
    return true;
  }

  bool AddFault(const std::string& name, const std::string& pointer,
                const std::set<std::string_view>& known, Expectation& out) {
    if (known.count(name) == 0) {
      return Fail(pointer,
                  "unknown fault " + Quote(name) + " for target " + Quote(options_.target));
    }
    if (std::find(out.faults.begin(), out.faults.end(), name) != out.faults.end()) {
      return Fail(pointer, "fault " + Quote(name) + " is listed twice");
    }
    out.faults.push_back(name);
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

Expected<Scenario> NormalizeScenario(const Scenario& draft, std::string_view file,
                                     const LoadOptions& options) {
  return Loader(file, "", options).Load(draft);
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
