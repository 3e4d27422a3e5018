// gcstress scenario — Scenario: lookups over the plain data.
#include "harness/scenario/scenario.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
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

namespace {

// Moves each item to its number in `ids` and cuts off the unused ones: `used` items are numbered
// 0..used-1 and the rest marked `unused(id)`; those are numbered after them, in their order, moved
// there by the same swaps, and dropped. `ids` is consumed.
template <typename T, typename Index, typename Unused>
void KeepNumbered(std::vector<T>& items, Index* ids, size_t used, const Unused& unused) {
  auto next = static_cast<Index>(used);
  for (size_t i = 0; i < items.size(); ++i) {
    if (unused(ids[i])) ids[i] = next++;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    while (static_cast<size_t>(ids[i]) != i) {
      const auto j = static_cast<size_t>(ids[i]);
      std::swap(items[i], items[j]);
      std::swap(ids[i], ids[j]);
    }
  }
  items.resize(used);
}

}  // namespace

void CompleteAsLoaded(Scenario& scenario) {
  const size_t num_vars = scenario.vars.size();
  const size_t num_vms = scenario.vms.size();
  const size_t num_threads = scenario.threads.size();
  GCS_CHECK_MSG(
      num_vars <= kMaxVars && num_vms <= kMaxVms && num_threads <= static_cast<size_t>(kMaxThreads),
      "a scenario beyond the format's limits");
  // On the stack: this runs once per fuzz case.
  std::array<VarId, kMaxVars> var_id;
  std::array<int16_t, kMaxVms> vm_id;
  std::array<bool, kMaxThreads> spawned{};
  std::fill_n(var_id.begin(), num_vars, kNoVar);
  // "main" and the workers' VMs keep their places; switch_vm's names follow, as they appear.
  size_t fixed_vms = 1;
  for (const ThreadSpec& thread : scenario.threads)
    fixed_vms += thread.worker ? 1 : 0;
  fixed_vms = std::min(fixed_vms, num_vms);
  for (size_t i = 0; i < num_vms; ++i)
    vm_id[i] = i < fixed_vms ? static_cast<int16_t>(i) : int16_t{-1};
  VarId next_var = 0;
  auto next_vm = static_cast<int16_t>(fixed_vms);
  for (ThreadSpec& thread : scenario.threads) {
    for (Step& step : thread.steps) {
      for (const FieldSpec& spec : GetOpInfo(step.op).Fields()) {
        VarId* slot = StepVarSlot(step, spec.field);
        if (slot == nullptr || *slot == kNoVar) continue;
        GCS_CHECK_MSG(*slot < num_vars, "a step names a variable the scenario does not have");
        if (var_id[*slot] == kNoVar) var_id[*slot] = next_var++;
        *slot = var_id[*slot];
      }
      if (step.op == Op::kSwitchVm && step.vm >= 0) {
        GCS_CHECK_MSG(static_cast<size_t>(step.vm) < num_vms,
                      "a switch_vm step names a VM the scenario does not have");
        if (vm_id[static_cast<size_t>(step.vm)] < 0)
          vm_id[static_cast<size_t>(step.vm)] = next_vm++;
      }
      if (step.op == Op::kSpawn && step.worker >= 0) {
        GCS_CHECK_MSG(static_cast<size_t>(step.worker) < num_threads,
                      "a spawn step names a thread the scenario does not have");
        spawned[static_cast<size_t>(step.worker)] = true;
      }
    }
  }
  // Other ops name VMs switch_vm introduced, wherever in the file they are.
  for (ThreadSpec& thread : scenario.threads) {
    for (Step& step : thread.steps) {
      if (step.vm < 0) continue;
      GCS_CHECK_MSG(
          static_cast<size_t>(step.vm) < num_vms && vm_id[static_cast<size_t>(step.vm)] >= 0,
          "a step names a VM no switch_vm introduces");
      step.vm = vm_id[static_cast<size_t>(step.vm)];
    }
  }
  for (size_t t = 0; t < num_threads; ++t)
    scenario.threads[t].spawned = spawned[t];
  KeepNumbered(scenario.vars, var_id.data(), next_var, [](VarId id) { return id == kNoVar; });
  KeepNumbered(scenario.vms, vm_id.data(), static_cast<size_t>(next_vm),
               [](int16_t id) { return id < 0; });
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
