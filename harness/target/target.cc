// gcstress target — the table of built-in targets.
#include "harness/target/target.h"

#include <algorithm>

#include "harness/target/core_target.h"
#ifdef GCS_WITH_CPYTHON
#include "harness/target/cpython_target.h"
#endif

namespace gcs {

std::vector<TargetInfo> ListTargets() {
  std::vector<TargetInfo> targets = {
      {"core", "the built-in object-lifetime core (full event stream; the default)",
       [] { return std::unique_ptr<Target>(new CoreTarget); }},
#ifdef GCS_WITH_CPYTHON
      {"cpython", "embedded CPython 3.11: subinterpreters as VMs, liveness from weakref probes",
       [] { return MakeCpythonTarget(); }},
#endif
  };
  return targets;
}

std::vector<std::string> AllTargetFaultNames() {
  std::vector<std::string> names;
  for (const TargetInfo& t : ListTargets()) {
    for (std::string& f : t.make()->FaultNames()) {
      if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(std::move(f));
    }
  }
  return names;
}

Expected<std::unique_ptr<Target>> MakeTarget(std::string_view name) {
  std::string known;
  for (const TargetInfo& t : ListTargets()) {
    if (t.name == name) return t.make();
    known += (known.empty() ? "" : ", ") + std::string(t.name);
  }
  return InputError{"<flag>", "--target",
                    "unknown target \"" + std::string(name) + "\" (known: " + known + ")"};
}

}  // namespace gcs
