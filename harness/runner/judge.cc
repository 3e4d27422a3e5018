// gcstress runner — Judge: oracles fanned out over one execution, deadlocks, and the pick.
#include "harness/runner/judge.h"

#include <string>
#include <vector>

#include "harness/scenario/scenario_encoder.h"

namespace gcs {

Judge::Judge(const Target& target, const OracleOptions& options)
    : options_(options), oracles_(target, options) {}

void Judge::Begin(const Scenario& scenario, Target& target) {
  oracles_.Begin(scenario, target);
}

ExecutionObserver* Judge::Observer() {
  return oracles_.oracles().empty() ? nullptr : &oracles_;
}

std::optional<Violation> Judge::Verdict(const Scenario& scenario,
                                        const Execution& execution) const {
  std::vector<Violation> found = oracles_.All();
  if (execution.target_failure) {
    // What the oracles saw after the target failed is the failure's echo (every call answered
    // target-failed, threads stopped): only what they found before it competes with it.
    const Violation failure = TargetFailureViolation(execution);
    std::erase_if(found, [&](const Violation& v) { return v.trace_index >= failure.trace_index; });
    found.push_back(failure);
  }
  if (execution.outcome == sched::ExecutionResult::Outcome::kDeadlock) {
    found.push_back(DeadlockViolation(scenario, execution));
  }
  return MostSevere(found);
}

Violation TargetFailureViolation(const Execution& execution) {
  Violation v = execution.target_failure->violation;
  // At the first entry the failure marked: the step (or discard) it failed in, else the end.
  v.trace_index = execution.trace.entries.size();
  for (size_t i = 0; i < execution.trace.entries.size(); ++i) {
    if (execution.trace.entries[i].error == kTargetFailedError) {
      v.trace_index = i;
      break;
    }
  }
  return v;
}

namespace {

// What a blocked thread waits for, in words: "the vm-lock of main".
std::string DescribeResource(const Scenario& scenario, core::ResourceId resource,
                             std::string* kind_name) {
  const uint32_t index = core::ResourceIndexOf(resource);
  const std::string vm =
      index < scenario.vms.size() ? scenario.vms[index] : "vm" + std::to_string(index);
  switch (core::ResourceKindOf(resource)) {
    case core::ResourceKind::kVmLock:
      *kind_name = "vm-lock";
      return "the vm-lock of " + vm;
    case core::ResourceKind::kVmQuiesce:
      *kind_name = "vm-quiesce";
      return vm + " to quiesce";
  }
  *kind_name = "resource";
  return "resource " + std::to_string(resource);
}

// The step `thread` was in when the execution stopped: its last kStepBegin, if any.
const TraceEntry* LastStepBegin(const Trace& trace, uint32_t thread) {
  for (auto it = trace.entries.rbegin(); it != trace.entries.rend(); ++it) {
    if (it->kind == TraceEntry::Kind::kStepBegin && it->thread == thread) return &*it;
  }
  return nullptr;
}

}  // namespace

Violation DeadlockViolation(const Scenario& scenario, const Execution& execution) {
  Violation v;
  v.kind = ViolationKind::kDeadlock;
  v.phase = "deadlock";
  v.trace_index = execution.trace.entries.size();
  std::string message = "deadlock:";
  bool first = true;
  for (const sched::BlockedThread& b : execution.blocked) {
    const uint32_t t = b.thread;
    const std::string name =
        t < scenario.threads.size() ? scenario.threads[t].name : "thread " + std::to_string(t);
    std::string kind_name;
    const std::string waits_for = DescribeResource(scenario, b.resource, &kind_name);
    const TraceEntry* begin = LastStepBegin(execution.trace, t);
    message += std::string(first ? " " : "; ") + name;
    if (begin != nullptr && t < scenario.threads.size()) {
      const Step& step = scenario.threads[t].steps[begin->step];
      message +=
          " at step " + std::to_string(begin->step) + " (" + FormatStep(scenario, step) + ")";
    }
    message += " waits for " + waits_for;
    if (first) {
      v.thread = t;
      v.step = begin != nullptr ? begin->step : 0;
      if (begin != nullptr && t < scenario.threads.size()) {
        v.op = std::string(GetOpInfo(scenario.threads[t].steps[begin->step].op).json);
      }
      v.site = kind_name;
      first = false;
    }
  }
  if (first) message += " no thread can run";
  v.message = std::move(message);
  return v;
}

}  // namespace gcs
