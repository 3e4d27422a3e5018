// gcstress oracles — Oracle: judges one execution from its trace and the target's final state.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/oracles/violation_record.h"

namespace gcs {

// Oracles find bugs only by what the target does — its events, its step results, its answers
// to Inspect/LiveObjects — never by knowing which fault is switched on. One Oracle object is
// reused across executions: Begin resets it.
//
// Contract: Begin(scenario, target) before each execution; then OnEntry for every trace entry in
// order (ExecutionObserver; in free mode under the recorder's lock); then, if the execution was
// torn down, AfterTeardown; then Result. OnEntry runs on the hot path: O(1) amortized per entry.
class Oracle : public ExecutionObserver {
 public:
  virtual std::string_view Name() const = 0;
  virtual void Begin(const Scenario& scenario, Target& target) = 0;
  // The first violation found in the current execution (lowest trace_index), if any.
  virtual std::optional<Violation> Result() const = 0;
};

// The default oracle set for a target (harness/oracles/oracles.cc).
std::vector<std::unique_ptr<Oracle>> MakeOracles(const Target& target);

}  // namespace gcs
