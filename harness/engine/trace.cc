// gcstress engine — trace formatting.
#include "harness/engine/trace.h"

#include <array>

#include "harness/scenario/scenario_encoder.h"

namespace gcs {

std::string_view TraceKindName(TraceEntry::Kind kind) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "decision",    "thread-start", "step-begin", "step-end", "step-skipped",
      "thread-stop", "thread-end",   "event",      "discard",  "teardown"};
  return kNames[static_cast<size_t>(kind)];
}

std::string FormatEvent(const core::Event& e) {
  std::string out(core::EventKindName(e.kind));
  if (e.obj != core::kNoAlloc) out += " #" + std::to_string(e.obj);
  if (e.other != core::kNoAlloc) out += " other=#" + std::to_string(e.other);
  if (e.vm != core::kNoVm) out += " vm" + std::to_string(e.vm);
  if (e.value != 0) out += " value=" + std::to_string(e.value);
  if (e.aux != 0) out += " aux=" + std::to_string(e.aux);
  if (e.current_vm != core::kNoVm && e.current_vm != e.vm) {
    out += " current=vm" + std::to_string(e.current_vm);
  }
  if (e.site != nullptr && e.site[0] != '\0') {
    out += " @";
    out += e.site;
  }
  return out;
}

namespace {

std::string VarName(const Scenario& s, VarId v) {
  return v < s.vars.size() ? s.vars[v].name : std::string("?");
}

std::string StepText(const Scenario& s, uint32_t t, uint32_t step) {
  if (t >= s.threads.size() || step >= s.threads[t].steps.size()) return "?";
  return FormatStep(s, s.threads[t].steps[step]);
}

}  // namespace

std::string TraceThreadName(const Scenario& s, uint32_t thread, bool torn_down) {
  if (thread < s.threads.size()) return s.threads[thread].name;
  return torn_down ? "teardown" : "setup";
}

std::string FormatTraceEntry(const Scenario& s, const TraceEntry& e, bool torn_down) {
  const std::string who = TraceThreadName(s, e.thread, torn_down);
  switch (e.kind) {
    case TraceEntry::Kind::kDecision:
      return "d " + who + " -> " + TraceThreadName(s, e.to, torn_down) + " @" + e.site;
    case TraceEntry::Kind::kThreadStart:
      return who + " start";
    case TraceEntry::Kind::kStepBegin:
      return who + " step " + std::to_string(e.step) + " begin: " + StepText(s, e.thread, e.step);
    case TraceEntry::Kind::kStepEnd: {
      std::string out = who + " step " + std::to_string(e.step) + " ";
      out += e.error.empty() ? std::string("ok") : "error " + std::string(e.error);
      if (e.var != kNoVar) {
        out += " -> " + VarName(s, e.var) + "=#" + std::to_string(e.value.obj);
      }
      return out;
    }
    case TraceEntry::Kind::kStepSkipped:
      return who + " step " + std::to_string(e.step) +
             " skipped: " + (e.var != kNoVar ? VarName(s, e.var) + " " : std::string()) +
             std::string(e.error);
    case TraceEntry::Kind::kThreadStop:
      return who + " stopped before step " + std::to_string(e.step) + ": worker terminated";
    case TraceEntry::Kind::kThreadEnd:
      return who + " end";
    case TraceEntry::Kind::kEvent:
      return who + "   " + FormatEvent(e.event);
    case TraceEntry::Kind::kDiscard:
      return who + " discard " + VarName(s, e.var) + "=#" + std::to_string(e.value.obj);
    case TraceEntry::Kind::kDiscardError:
      return who + " discard " + VarName(s, e.var) + " error " + std::string(e.error);
    case TraceEntry::Kind::kTeardown:
      return "teardown";
  }
  return "?";
}

std::string FormatTrace(const Scenario& s, const Trace& trace) {
  std::string out;
  for (const std::string& line : FormatTraceLines(s, trace)) {
    out += line;
    out += '\n';
  }
  return out;
}

std::vector<std::string> FormatTraceLines(const Scenario& s, const Trace& trace) {
  std::vector<std::string> lines;
  lines.reserve(trace.entries.size());
  bool torn_down = false;
  for (const TraceEntry& e : trace.entries) {
    torn_down = torn_down || e.kind == TraceEntry::Kind::kTeardown;
    lines.push_back(FormatTraceEntry(s, e, torn_down));
  }
  return lines;
}

}  // namespace gcs
