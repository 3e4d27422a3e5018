// gcstress oracles — OracleSet.
#include "harness/oracles/oracle_set.h"

#include <algorithm>
#include <tuple>

namespace gcs {

OracleSet::OracleSet(const Target& target, const OracleOptions& options)
    : oracles_(MakeOracles(target, options)) {}

OracleSet::OracleSet(std::vector<std::unique_ptr<Oracle>> oracles) : oracles_(std::move(oracles)) {}

void OracleSet::Begin(const Scenario& scenario, Target& target) {
  for (auto& o : oracles_)
    o->Begin(scenario, target);
}

void OracleSet::OnEntry(const TraceEntry& entry) {
  for (auto& o : oracles_)
    o->OnEntry(entry);
}

void OracleSet::AfterTeardown(Target& target, const Execution& execution) {
  for (auto& o : oracles_)
    o->AfterTeardown(target, execution);
}

std::vector<Violation> OracleSet::All() const {
  std::vector<Violation> all;
  for (const auto& o : oracles_) {
    std::vector<Violation> v = o->Violations();
    all.insert(all.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  }
  std::sort(all.begin(), all.end(), [](const Violation& a, const Violation& b) {
    if (a.trace_index != b.trace_index) return a.trace_index < b.trace_index;
    return MoreSevere(a, b);
  });
  return all;
}

std::optional<Violation> OracleSet::Verdict() const {
  return MostSevere(All());
}

}  // namespace gcs
