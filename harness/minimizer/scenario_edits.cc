// gcstress minimizer — scenario edits, repaired and revalidated.
#include "harness/minimizer/scenario_edits.h"

#include <utility>

#include "core/check.h"

namespace gcs {
namespace {

bool IsOptionalVmOp(Op op) {
  return op == Op::kGc || op == Op::kEnumerate;
}

// Drops or clears what names a variable nobody binds or a VM nobody introduces, until nothing
// changes (dropping a step can unbind another variable).
void Repair(Scenario& s) {
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<bool> bound(s.vars.size(), false);
    std::vector<bool> introduced(s.vms.size(), false);
    introduced[0] = true;
    for (const ThreadSpec& thread : s.threads) {
      if (thread.worker && thread.vm >= 0) introduced[static_cast<size_t>(thread.vm)] = true;
      for (const Step& step : thread.steps) {
        if (step.as != kNoVar) bound[step.as] = true;
        if (step.op == Op::kSwitchVm) introduced[static_cast<size_t>(step.vm)] = true;
      }
    }
    for (ThreadSpec& thread : s.threads) {
      std::vector<Step> kept;
      kept.reserve(thread.steps.size());
      for (Step step : thread.steps) {
        bool keep = true;
        for (const FieldSpec& spec : GetOpInfo(step.op).Fields()) {
          if (spec.field == Field::kAs) continue;
          VarId* var = StepVarSlot(step, spec.field);
          if (var == nullptr || *var == kNoVar || bound[*var]) continue;
          if (spec.optional) {
            *var = kNoVar;
          } else {
            keep = false;
          }
        }
        if (step.vm >= 0 && step.op != Op::kSwitchVm && !introduced[static_cast<size_t>(step.vm)]) {
          if (IsOptionalVmOp(step.op)) {
            step.vm = -1;
          } else {
            keep = false;
          }
        }
        if (keep) {
          kept.push_back(step);
        } else {
          changed = true;
        }
      }
      thread.steps = std::move(kept);
    }
  }
}

std::optional<Scenario> Finish(Scenario s, const LoadOptions& options) {
  Repair(s);
  return Revalidate(s, options);
}

bool ThreadReferenced(const Scenario& s, size_t thread) {
  const ThreadSpec& spec = s.threads[thread];
  for (const ThreadSpec& other : s.threads) {
    for (const Step& step : other.steps) {
      if (step.worker == static_cast<int16_t>(thread)) return true;
      if (spec.worker && step.vm == spec.vm) return true;
    }
  }
  return false;
}

void EraseThread(Scenario& s, size_t thread) {
  s.threads.erase(s.threads.begin() + static_cast<std::ptrdiff_t>(thread));
  for (ThreadSpec& other : s.threads) {
    for (Step& step : other.steps) {
      GCS_CHECK(step.worker != static_cast<int16_t>(thread));
      if (step.worker > static_cast<int16_t>(thread)) --step.worker;
    }
  }
}

}  // namespace

std::optional<Scenario> Revalidate(const Scenario& s, const LoadOptions& options) {
  Expected<Scenario> loaded = NormalizeScenario(s, "<minimizer>", options);
  if (!loaded.ok()) return std::nullopt;
  return std::move(loaded).value();
}

std::optional<Scenario> TruncateThreads(const Scenario& s, std::span<const uint32_t> keep,
                                        const LoadOptions& options) {
  GCS_CHECK(keep.size() == s.threads.size());
  Scenario out = s;
  for (size_t t = 0; t < out.threads.size(); ++t) {
    if (keep[t] < out.threads[t].steps.size()) out.threads[t].steps.resize(keep[t]);
  }
  return Finish(std::move(out), options);
}

std::optional<Scenario> RemoveStep(const Scenario& s, size_t thread, size_t index,
                                   const LoadOptions& options) {
  GCS_CHECK(thread < s.threads.size() && index < s.threads[thread].steps.size());
  Scenario out = s;
  auto& steps = out.threads[thread].steps;
  steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(index));
  return Finish(std::move(out), options);
}

std::optional<Scenario> RemoveThreadSteps(const Scenario& s, size_t thread, bool* removed_thread,
                                          const LoadOptions& options) {
  GCS_CHECK(thread < s.threads.size());
  Scenario out = s;
  out.threads[thread].steps.clear();
  Repair(out);
  *removed_thread = !ThreadReferenced(out, thread);
  if (*removed_thread) EraseThread(out, thread);
  return Revalidate(out, options);
}

std::optional<Scenario> RemoveEmptyThread(const Scenario& s, size_t thread,
                                          const LoadOptions& options) {
  GCS_CHECK(thread < s.threads.size());
  if (!s.threads[thread].steps.empty() || ThreadReferenced(s, thread)) return std::nullopt;
  Scenario out = s;
  EraseThread(out, thread);
  return Revalidate(out, options);
}

std::vector<ArgumentEdit> ArgumentEdits(const Scenario& s) {
  std::vector<ArgumentEdit> edits;
  for (size_t t = 0; t < s.threads.size(); ++t) {
    const auto& steps = s.threads[t].steps;
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& step = steps[i];
      auto add = [&](ArgumentEdit::Kind kind) { edits.push_back(ArgumentEdit{t, i, kind}); };
      if (step.held != kNoVar) add(ArgumentEdit::Kind::kClearHeld);
      if (step.from != kNoVar) add(ArgumentEdit::Kind::kClearFrom);
      if (step.op == Op::kRegister && step.as != kNoVar) add(ArgumentEdit::Kind::kClearAs);
      if (IsOptionalVmOp(step.op) && step.vm >= 0) add(ArgumentEdit::Kind::kClearVm);
      if (step.field > 0) add(ArgumentEdit::Kind::kFieldZero);
      if (step.type == ObjType::kSubclass) add(ArgumentEdit::Kind::kPlainType);
    }
  }
  return edits;
}

std::optional<Scenario> ApplyArgumentEdit(const Scenario& s, const ArgumentEdit& edit,
                                          const LoadOptions& options) {
  GCS_CHECK(edit.thread < s.threads.size() && edit.index < s.threads[edit.thread].steps.size());
  Scenario out = s;
  Step& step = out.threads[edit.thread].steps[edit.index];
  switch (edit.kind) {
    case ArgumentEdit::Kind::kClearHeld:
      step.held = kNoVar;
      break;
    case ArgumentEdit::Kind::kClearFrom:
      step.from = kNoVar;
      break;
    case ArgumentEdit::Kind::kClearAs:
      step.as = kNoVar;
      break;
    case ArgumentEdit::Kind::kClearVm:
      step.vm = -1;
      break;
    case ArgumentEdit::Kind::kFieldZero:
      step.field = 0;
      break;
    case ArgumentEdit::Kind::kPlainType:
      step.type = ObjType::kObject;
      break;
  }
  return Finish(std::move(out), options);
}

size_t ArgumentWeight(const Scenario& s) {
  size_t weight = 0;
  for (const ThreadSpec& thread : s.threads) {
    for (const Step& step : thread.steps) {
      weight += step.held != kNoVar ? 1 : 0;
      weight += step.from != kNoVar ? 1 : 0;
      weight += step.op == Op::kRegister && step.as != kNoVar ? 1 : 0;
      weight += IsOptionalVmOp(step.op) && step.vm >= 0 ? 1 : 0;
      weight += step.field > 0 ? 1 : 0;
      weight += step.type == ObjType::kSubclass ? 1 : 0;
    }
  }
  return weight;
}

}  // namespace gcs
