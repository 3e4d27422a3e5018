// gcstress scenario — Scenario: lookups over the plain data.
#include "harness/scenario/scenario.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/check.h"

namespace gcs {

std::string_view ObjTypeName(ObjType type) {
  switch (type) {
    case ObjType::kObject:
      return "object";
    case ObjType::kSubclass:
      return "subclass";
  }
  return "?";
}

std::optional<ObjType> ObjTypeFromName(std::string_view name) {
  if (name == "object") return ObjType::kObject;
  if (name == "subclass") return ObjType::kSubclass;
  return std::nullopt;
}

const VarId* StepVarSlot(const Step& step, Field field) {
  switch (field) {
    case Field::kObj:
      return &step.obj;
    case Field::kAs:
      return &step.as;
    case Field::kTo:
      return &step.to;
    case Field::kWeak:
      return &step.weak;
    case Field::kHeld:
      return &step.held;
    case Field::kToken:
      return &step.token;
    case Field::kFrom:
      return &step.from;
    case Field::kField:
    case Field::kVm:
    case Field::kWorker:
    case Field::kType:
      return nullptr;
  }
  return nullptr;
}

VarId* StepVarSlot(Step& step, Field field) {
  return const_cast<VarId*>(StepVarSlot(static_cast<const Step&>(step), field));
}

void CompleteAsLoaded(Scenario& scenario) {
  const size_t num_vars = scenario.vars.size();
  const size_t num_vms = scenario.vms.size();
  // "main" and the workers' VMs keep their places; switch_vm's names follow, as they appear.
  size_t fixed_vms = 1;
  for (const ThreadSpec& thread : scenario.threads)
    fixed_vms += thread.worker ? 1 : 0;
  std::vector<VarId> var_id(num_vars, kNoVar);
  std::vector<int16_t> vm_id(num_vms, -1);
  for (size_t i = 0; i < std::min(fixed_vms, num_vms); ++i)
    vm_id[i] = static_cast<int16_t>(i);
  std::vector<bool> spawned(scenario.threads.size(), false);
  VarId next_var = 0;
  auto next_vm = static_cast<int16_t>(std::min(fixed_vms, num_vms));
  for (ThreadSpec& thread : scenario.threads) {
    for (Step& step : thread.steps) {
      for (const FieldSpec& spec : GetOpInfo(step.op).Fields()) {
        VarId* slot = StepVarSlot(step, spec.field);
        if (slot == nullptr || *slot == kNoVar) continue;
        GCS_CHECK_MSG(*slot < num_vars, "a step names a variable the scenario does not have");
        if (var_id[*slot] == kNoVar) var_id[*slot] = next_var++;
        *slot = var_id[*slot];
      }
      if (step.op == Op::kSwitchVm && step.vm >= 0 && vm_id[step.vm] < 0) {
        vm_id[step.vm] = next_vm++;
      }
      if (step.op == Op::kSpawn && step.worker >= 0) {
        GCS_CHECK_MSG(static_cast<size_t>(step.worker) < scenario.threads.size(),
                      "a spawn step names a thread the scenario does not have");
        spawned[static_cast<size_t>(step.worker)] = true;
      }
    }
  }
  // Other ops name VMs switch_vm introduced, wherever in the file they are.
  for (ThreadSpec& thread : scenario.threads) {
    for (Step& step : thread.steps) {
      if (step.vm < 0) continue;
      GCS_CHECK_MSG(static_cast<size_t>(step.vm) < num_vms && vm_id[step.vm] >= 0,
                    "a step names a VM no switch_vm introduces");
      step.vm = vm_id[step.vm];
    }
  }
  for (size_t t = 0; t < scenario.threads.size(); ++t)
    scenario.threads[t].spawned = spawned[t];
  std::vector<VarSpec> vars(next_var);
  for (size_t i = 0; i < num_vars; ++i) {
    if (var_id[i] != kNoVar) vars[var_id[i]] = std::move(scenario.vars[i]);
  }
  scenario.vars = std::move(vars);
  std::vector<std::string> vms(static_cast<size_t>(next_vm));
  for (size_t i = 0; i < num_vms; ++i) {
    if (vm_id[i] >= 0) vms[static_cast<size_t>(vm_id[i])] = std::move(scenario.vms[i]);
  }
  scenario.vms = std::move(vms);
}

size_t Scenario::TotalSteps() const {
  size_t total = 0;
  for (const ThreadSpec& thread : threads)
    total += thread.steps.size();
  return total;
}

std::optional<size_t> Scenario::FindThread(std::string_view thread_name) const {
  for (size_t i = 0; i < threads.size(); ++i) {
    if (threads[i].name == thread_name) return i;
  }
  return std::nullopt;
}

std::optional<VarId> Scenario::FindVar(std::string_view var_name) const {
  for (size_t i = 0; i < vars.size(); ++i) {
    if (vars[i].name == var_name) return static_cast<VarId>(i);
  }
  return std::nullopt;
}

std::optional<int16_t> Scenario::FindVm(std::string_view vm_name) const {
  for (size_t i = 0; i < vms.size(); ++i) {
    if (vms[i] == vm_name) return static_cast<int16_t>(i);
  }
  return std::nullopt;
}

std::vector<const Expectation*> ExpectationsFor(const Scenario& scenario, std::string_view target,
                                                std::string_view version) {
  const std::string exact = std::string(target) + "@" + std::string(version);
  // 0 no target, 1 the target, 2 the target at this version; -1 another target.
  auto rank = [&](const Expectation& e) {
    if (e.target.empty()) return 0;
    if (e.target == target) return 1;
    if (!version.empty() && e.target == exact) return 2;
    return -1;
  };
  auto same_faults = [](const Expectation& a, const Expectation& b) {
    return a.faults.size() == b.faults.size() &&
           std::is_permutation(a.faults.begin(), a.faults.end(), b.faults.begin());
  };
  std::vector<const Expectation*> out;
  for (const Expectation& e : scenario.expect) {
    const int r = rank(e);
    if (r < 0) continue;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Expectation* o) { return same_faults(*o, e); });
    if (it == out.end()) {
      out.push_back(&e);
    } else if (r > rank(**it)) {
      *it = &e;
    }
  }
  return out;
}

}  // namespace gcs
