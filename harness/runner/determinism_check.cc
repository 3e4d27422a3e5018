// gcstress runner — the nondeterminism checker: compare formatted traces line by line.
#include "harness/runner/determinism_check.h"

#include <string_view>

#include "harness/engine/trace.h"

namespace gcs {
namespace {

std::string_view NextLine(std::string_view& text) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  return line;
}

// Trace lines are printable ASCII without quotes worth escaping; kept whole (the difference is
// often at the end of the line).
std::string Quoted(std::string_view line) {
  return "\"" + std::string(line) + "\"";
}

std::string VerdictText(const std::optional<Violation>& v) {
  return v ? v->Signature() : "pass";
}

std::string DivergenceNote(std::optional<size_t> diverged_at) {
  if (!diverged_at) return "";
  return " (the schedule stopped fitting at decision " + std::to_string(*diverged_at) + ")";
}

}  // namespace

std::optional<std::string> CompareWithReplay(const Scenario& scenario,
                                             const JudgedExecution& recorded,
                                             const JudgedExecution& replayed,
                                             std::optional<size_t> diverged_at) {
  const std::string a = FormatTrace(scenario, recorded.execution.trace);
  const std::string b = FormatTrace(scenario, replayed.execution.trace);
  if (a != b) {
    std::string_view ra = a, rb = b;
    for (size_t line = 1;; ++line) {
      if (ra.empty() || rb.empty()) {
        const std::string_view longer = ra.empty() ? rb : ra;
        size_t total = line - 1;
        for (std::string_view rest = longer; !rest.empty(); NextLine(rest))
          ++total;
        return std::string(ra.empty() ? "the recorded" : "the replay's") +
               " trace ends after line " + std::to_string(line - 1) + " (the other has " +
               std::to_string(total) + " lines)" + DivergenceNote(diverged_at);
      }
      const std::string_view la = NextLine(ra), lb = NextLine(rb);
      if (la != lb) {
        return "trace line " + std::to_string(line) + " differs: recorded " + Quoted(la) +
               ", replayed " + Quoted(lb) + DivergenceNote(diverged_at);
      }
    }
  }
  if (VerdictText(recorded.verdict) != VerdictText(replayed.verdict)) {
    return "verdicts differ: recorded " + VerdictText(recorded.verdict) + ", replayed " +
           VerdictText(replayed.verdict) + DivergenceNote(diverged_at);
  }
  if (diverged_at) {
    return "identical traces, but the replay did not use the schedule exactly" +
           DivergenceNote(diverged_at);
  }
  return std::nullopt;
}

}  // namespace gcs
