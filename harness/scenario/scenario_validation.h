// gcstress scenario — validating a ScenarioDraft, whatever form it was read from, into a Scenario.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_draft.h"

namespace gcs {

// What the loader validates against besides the format itself: the chosen target.
struct LoadOptions {
  // The target's fault names; every "expect" entry's faults must be among them. The loader knows
  // no fault names of its own: they belong to the target.
  std::vector<std::string> known_faults;
  // What an "expect" entry's "target" may name: target names and "name@version" pairs. Empty:
  // any well-formed name is accepted (the fuzzers, which know no targets but the core).
  std::vector<std::string> known_targets;
  // Named in messages ("op \"export\" is not supported by target \"cpython\"").
  std::string target = "core";
  OpSet supported_ops = kAllOps;
};

// Every check of format 1 past a reader's (scenarios/README.md): names, limits, ops the target
// supports, worker and VM names, variable kinds and dangling variables, "expect". Numbers the
// variables and VMs in order of first appearance and sets `spawned`. The first error in
// document order is the one reported, a reader's stop included (DraftStop), as one InputError
// whose pointer starts with `pointer_prefix`.
Expected<Scenario> ValidateDraft(const ScenarioDraft& draft, std::string_view file,
                                 std::string_view pointer_prefix, const LoadOptions& options);

}  // namespace gcs
