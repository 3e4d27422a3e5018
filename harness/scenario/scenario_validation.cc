// gcstress scenario — validating a ScenarioDraft into a Scenario, once for every input form.
//
// Validation runs in passes over the draft, and the first error of the first failing pass is the
// one reported, so that every input has exactly one, deterministic message:
//   1. top level: "format" first (a newer file should say so before anything else), then
//      "name", "description", "source";
//   2. threads: count, names; the worker VMs ("main" first, then one per worker);
//   3. steps, thread by thread: the op supported, then field by field: workers resolved,
//      switch_vm names interned as VMs in order of appearance, variable appearances recorded;
//   4. variables: kinds from binding sites, then every use checked against them (a variable
//      may be used before its binding in file order: at run time that use is simply skipped);
//   5. VM names used by other ops resolved against the full VM list;
//   6. "expect".
// A reader's stop (DraftStop) is a check at its place in these passes: Stopped(stage, ...) is
// asked exactly where the reader would have found it had it run interleaved with validation.
#include "harness/scenario/scenario_validation.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"
#include "harness/scenario/json_input.h"

namespace gcs {
namespace {

using Stage = DraftStop::Stage;

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

// A variable named by one step field; resolved in pass 4. The name lives in the draft.
struct VarAppearance {
  std::string_view name;
  BindKind bind = BindKind::kNone;  // the kind this field binds, for "as"
  BindKind use = BindKind::kNone;   // the kind this field needs, for the other variable fields
  uint16_t thread = 0;
  uint32_t step = 0;
  Field field = Field::kObj;
};

// A VM name used by an op other than switch_vm; resolved in pass 5.
struct VmReference {
  std::string_view name;
  uint16_t thread = 0;
  uint32_t step = 0;
};

// (target, sorted fault set) -> the expect entry that has them
using FaultSets = std::map<std::pair<std::string, std::vector<std::string>>, size_t>;

class Validator {
 public:
  Validator(const ScenarioDraft& draft, std::string_view file, std::string_view prefix,
            const LoadOptions& options)
      : draft_(draft), file_(file), prefix_(prefix), options_(options) {}

  Expected<Scenario> Validate() {
    if (!CheckTopLevel() || !CheckThreads() || !CheckAllSteps() || !ResolveVars() ||
        !ResolveVms() || !CheckExpect()) {
      return std::move(*error_);
    }
    return std::move(scenario_);
  }

 private:
  bool Fail(std::string_view pointer, std::string message) {
    error_ = InputError{std::string(file_), prefix_ + std::string(pointer), std::move(message)};
    return false;
  }

  // Whether the reader stopped here; if so, its error is the one reported.
  bool Stopped(Stage stage, size_t a = 0, size_t b = 0, size_t c = 0) {
    const std::optional<DraftStop>& stop = draft_.stop;
    if (!stop || stop->stage != stage || stop->a != a || stop->b != b || stop->c != c) return false;
    return !Fail(stop->pointer, stop->message);
  }

  std::string FieldPointer(size_t thread, size_t step, Field field) const {
    return DraftFieldPointer(draft_, thread, step, field);
  }

  // Pass 1.
  bool CheckTopLevel() {
    if (Stopped(Stage::kTop)) return false;
    if (draft_.format != 1) {
      return Fail("/format", UnsupportedFormatMessage(std::to_string(draft_.format)));
    }
    scenario_.name = draft_.name;
    if (auto problem = NameProblem("scenario", scenario_.name)) return Fail("/name", *problem);
    if (Stopped(Stage::kDescription) || !CheckText("description", draft_.description) ||
        Stopped(Stage::kSource) || !CheckText("source", draft_.source)) {
      return false;
    }
    scenario_.description = draft_.description;
    scenario_.source = draft_.source;
    return true;
  }

  bool CheckText(const char* key, const std::string& text) {
    if (text.size() > kMaxTextLength) {
      return Fail(std::string("/") + key,
                  "longer than " + std::to_string(kMaxTextLength) + " bytes");
    }
    return true;
  }

  // Pass 2. A JSON object of threads cannot repeat a name (ParseJson reports a duplicate key);
  // a draft built in memory can, and is told so in the same words.
  bool CheckThreads() {
    if (Stopped(Stage::kThreads)) return false;
    const size_t n = draft_.threads.size();
    if (n == 0) return Fail("/threads", "no threads");
    if (n > static_cast<size_t>(kMaxThreads)) {
      return Fail("/threads", std::to_string(n) + " threads; at most " +
                                  std::to_string(kMaxThreads) + " are allowed");
    }
    scenario_.threads.reserve(n);
    scenario_.vms.emplace_back("main");
    for (size_t t = 0; t < n; ++t) {
      const DraftThread& in = draft_.threads[t];
      if (auto problem = NameProblem("thread", in.name)) return Fail("/threads", *problem);
      if (scenario_.FindThread(in.name)) {
        return Fail("/threads", "duplicate thread name " + Quote(in.name));
      }
      if (Stopped(Stage::kThread, t)) return false;
      ThreadSpec& thread = scenario_.threads.emplace_back();
      thread.name = in.name;
      thread.worker = in.worker;
      if (thread.worker) {
        if (thread.name == "main") {
          return Fail(DraftThreadPointer(draft_, t),
                      "a worker cannot be named \"main\" (the main VM)");
        }
        thread.vm = static_cast<int16_t>(scenario_.vms.size());
        scenario_.vms.push_back(thread.name);
      }
    }
    return true;
  }

  // Pass 3.
  bool CheckAllSteps() {
    // One allocation for the appearances: every variable field a step sets is one.
    size_t slots = 0;
    for (const DraftThread& thread : draft_.threads) {
      for (const DraftStep& step : thread.steps) {
        const auto fields = GetOpInfo(step.op).Fields();
        for (size_t k = 0; k < fields.size(); ++k)
          slots += step.set[k] && IsVarKind(GetFieldInfo(fields[k].field).kind) ? 1 : 0;
      }
    }
    appearances_.reserve(std::min(slots, kMaxSteps * kMaxOpFields));
    size_t total = 0;
    for (size_t t = 0; t < draft_.threads.size(); ++t) {
      const std::vector<DraftStep>& steps = draft_.threads[t].steps;
      scenario_.threads[t].steps.reserve(std::min(steps.size(), kMaxSteps));
      for (size_t s = 0; s < steps.size(); ++s) {
        if (++total > kMaxSteps) {
          return Fail(DraftStepPointer(draft_, t, s),
                      "more than " + std::to_string(kMaxSteps) + " steps in all threads");
        }
        if (!CheckStep(steps[s], t, s, scenario_.threads[t].steps.emplace_back())) return false;
      }
    }
    return true;
  }

  bool CheckStep(const DraftStep& in, size_t t, size_t s, Step& step) {
    if (Stopped(Stage::kStep, t, s)) return false;
    const OpInfo& info = GetOpInfo(in.op);
    if (!options_.supported_ops.test(static_cast<size_t>(info.op))) {
      return Fail(
          DraftStepPointer(draft_, t, s) + "/op",
          "op " + Quote(info.json) + " is not supported by target " + Quote(options_.target));
    }
    if (Stopped(Stage::kStepFields, t, s)) return false;
    step.op = in.op;
    const auto fields = info.Fields();
    for (size_t k = 0; k < fields.size(); ++k) {
      if (Stopped(Stage::kField, t, s, k)) return false;
      if (in.set[k] && !CheckField(info, fields[k].field, in, k, t, s, step)) return false;
    }
    return true;
  }

  bool CheckField(const OpInfo& info, Field field, const DraftStep& in, size_t k, size_t t,
                  size_t s, Step& step) {
    const FieldKind kind = GetFieldInfo(field).kind;
    if (IsVarKind(kind)) {
      if (auto problem = NameProblem("variable", in.names[k])) {
        return Fail(FieldPointer(t, s, field), *problem);
      }
      appearances_.push_back(
          VarAppearance{in.names[k], kind == FieldKind::kBindVar ? info.bind : BindKind::kNone,
                        UseKind(kind), static_cast<uint16_t>(t), static_cast<uint32_t>(s), field});
      return true;
    }
    switch (kind) {
      case FieldKind::kVmName:
        return CheckVmName(info, in.names[k], t, s, step);
      case FieldKind::kWorkerName:
        return CheckWorkerName(info, in.names[k], t, s, step);
      case FieldKind::kFieldIndex:
        step.field = in.field;
        return true;
      case FieldKind::kTypeName:
        step.type = in.type;
        return true;
      case FieldKind::kHandleVar:
      case FieldKind::kWeakVar:
      case FieldKind::kTokenVar:
      case FieldKind::kBindVar:
        break;  // handled above
    }
    GCS_CHECK_MSG(false, "a field kind the loader does not handle");
    return false;
  }

  bool CheckVmName(const OpInfo& info, const std::string& name, size_t t, size_t s, Step& step) {
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

  bool CheckWorkerName(const OpInfo& info, const std::string& name, size_t t, size_t s,
                       Step& step) {
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
    // instead of a node per variable, since the generator loads every scenario it writes (unless
    // a fuzzer turned that off: GeneratorOptions::check_with_loader).
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
      scenario_.vars.push_back(VarSpec{std::string(a.name), BindKind::kNone});
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
  bool CheckExpect() {
    if (Stopped(Stage::kExpect)) return false;
    const size_t n = draft_.expect.size();
    if (n > kMaxExpectations) {
      return Fail("/expect", std::to_string(n) + " entries; at most " +
                                 std::to_string(kMaxExpectations) + " are allowed");
    }
    const std::set<std::string_view> known(options_.known_faults.begin(),
                                           options_.known_faults.end());
    FaultSets seen;
    scenario_.expect.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const DraftExpectation& in = draft_.expect[i];
      const std::string pointer = "/expect/" + std::to_string(i);
      Expectation& out = scenario_.expect.emplace_back();
      if (Stopped(Stage::kEntry, i)) return false;
      if (in.target && !CheckTarget(*in.target, pointer + "/target", out)) return false;
      for (size_t k = 0; k < in.faults.size(); ++k) {
        if (!AddFault(in.faults[k], pointer + "/faults/" + std::to_string(k), known, out)) {
          return false;
        }
      }
      if (Stopped(Stage::kFault, i, in.faults.size()) || Stopped(Stage::kResult, i)) return false;
      out.violation = in.violation;
      if (out.violation == ViolationKind::kExpectMismatch) {
        return Fail(pointer + "/result",
                    "result " + Quote(ViolationName(*out.violation)) + " cannot be expected");
      }
      if (!CheckFaultSetOnce(out, i, pointer, seen)) return false;
    }
    return true;
  }

  // "name" or "name@version", the name a target's and the pair one of its versions.
  bool CheckTarget(const std::string& spec, const std::string& pointer, Expectation& out) {
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
                         FaultSets& seen) {
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

  const ScenarioDraft& draft_;
  std::string_view file_;
  std::string prefix_;
  const LoadOptions& options_;
  Scenario scenario_;
  std::optional<InputError> error_;
  std::vector<VarAppearance> appearances_;
  std::vector<VmReference> vm_references_;
};

}  // namespace

Expected<Scenario> ValidateDraft(const ScenarioDraft& draft, std::string_view file,
                                 std::string_view pointer_prefix, const LoadOptions& options) {
  return Validator(draft, file, pointer_prefix, options).Validate();
}

}  // namespace gcs
