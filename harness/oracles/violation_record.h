// gcstress oracles — Violation: what an oracle (or the runner) found wrong in one execution.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ids.h"
#include "harness/scenario/violation.h"

namespace gcs {

// One finding. Plain data; the signature is what deduplication, triage and minimization compare,
// so it must be stable across runs and schedules: it names the kind of violation, the op of the
// step during which it showed, the phase of the execution, and the core site of the event that
// exposed it — never allocation ids, thread indices or step numbers.
struct Violation {
  ViolationKind kind = ViolationKind::kCrash;
  std::string message;  // one line, for people: "allocation #7 freed twice (...)"
  uint32_t thread = 0;  // scenario thread of the step; == threads.size() for teardown
  uint32_t step = 0;    // step index within that thread
  std::string op;       // op name of that step ("" when not during a step)
  std::string phase;    // "step", "teardown", "drop-check", "deadlock", "crash", ...
  std::string site;     // core site of the exposing event ("" if none)
  core::AllocId obj = core::kNoAlloc;
  size_t trace_index = 0;  // the trace entry at which it was detected

  // "<kind>/<op>/<phase>/<site>", e.g. "double-free/attach/step/lifecycle.dealloc".
  std::string Signature() const {
    return std::string(ViolationName(kind)) + "/" + (op.empty() ? "-" : op) + "/" +
           (phase.empty() ? "-" : phase) + "/" + (site.empty() ? "-" : site);
  }
};

}  // namespace gcs
