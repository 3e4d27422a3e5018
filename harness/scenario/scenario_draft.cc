// gcstress scenario — ScenarioDraft: the in-memory form's reader and pointers into a draft.
#include "harness/scenario/scenario_draft.h"

#include <string>

#include "core/check.h"
#include "harness/scenario/json_input.h"

namespace gcs {

namespace {

// Field `spec` of `in` into slot `k` of `out`, as ScenarioToJson would write it.
void ReadField(const Scenario& scenario, const Step& in, const FieldSpec& spec, size_t k,
               DraftStep& out) {
  const FieldKind kind = GetFieldInfo(spec.field).kind;
  bool set = true;
  if (const VarId* var = StepVarSlot(in, spec.field)) {
    set = *var != kNoVar;
    if (set) {
      GCS_CHECK_MSG(*var < scenario.vars.size(),
                    "step names a variable the scenario does not have");
      out.names[k] = scenario.vars[*var].name;
    }
  } else if (kind == FieldKind::kFieldIndex) {
    set = in.field >= 0;
    GCS_CHECK_MSG(in.field < kMaxFields, "field index out of range");
    out.field = in.field;
  } else if (kind == FieldKind::kVmName) {
    set = in.vm >= 0;
    if (set) {
      GCS_CHECK_MSG(static_cast<size_t>(in.vm) < scenario.vms.size(), "step names an unknown VM");
      out.names[k] = scenario.vms[static_cast<size_t>(in.vm)];
    }
  } else if (kind == FieldKind::kWorkerName) {
    set = in.worker >= 0;
    if (set) {
      GCS_CHECK_MSG(static_cast<size_t>(in.worker) < scenario.threads.size(),
                    "step names an unknown thread");
      out.names[k] = scenario.threads[static_cast<size_t>(in.worker)].name;
    }
  } else {
    GCS_CHECK_MSG(kind == FieldKind::kTypeName, "a field kind the loader does not handle");
    set = in.type != ObjType::kObject;
    out.type = in.type;
  }
  GCS_CHECK_MSG(set || spec.optional, "a step lacks a required field");
  out.set[k] = set;
}

}  // namespace

ScenarioDraft DraftFromScenario(const Scenario& scenario) {
  ScenarioDraft draft{.format = scenario.format,
                      .name = scenario.name,
                      .description = scenario.description,
                      .source = scenario.source};
  draft.threads.reserve(scenario.threads.size());
  for (const ThreadSpec& thread : scenario.threads) {
    DraftThread& out = draft.threads.emplace_back(DraftThread{thread.name, thread.worker, {}});
    out.steps.resize(thread.steps.size());
    for (size_t s = 0; s < thread.steps.size(); ++s) {
      const Step& in = thread.steps[s];
      out.steps[s].op = in.op;
      const auto fields = GetOpInfo(in.op).Fields();
      for (size_t k = 0; k < fields.size(); ++k)
        ReadField(scenario, in, fields[k], k, out.steps[s]);
    }
  }
  draft.expect.reserve(scenario.expect.size());
  for (const Expectation& e : scenario.expect) {
    draft.expect.push_back(DraftExpectation{
        .target = e.target.empty() ? std::nullopt : std::optional<std::string>(e.target),
        .faults = e.faults,
        .violation = e.violation});
  }
  return draft;
}

std::string DraftThreadPointer(const ScenarioDraft& draft, size_t thread) {
  return "/threads/" + EscapePointerComponent(draft.threads[thread].name);
}

std::string DraftStepPointer(const ScenarioDraft& draft, size_t thread, size_t step) {
  return DraftThreadPointer(draft, thread) + (draft.threads[thread].worker ? "/steps/" : "/") +
         std::to_string(step);
}

std::string DraftFieldPointer(const ScenarioDraft& draft, size_t thread, size_t step, Field field) {
  return DraftStepPointer(draft, thread, step) + "/" + std::string(FieldName(field));
}

std::string UnsupportedFormatMessage(const std::string& shown) {
  return "unsupported format " + shown + " (this gcstress reads format 1)";
}

}  // namespace gcs
