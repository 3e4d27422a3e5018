// gcstress target — the table of targets: built-in ones, then remote ones found by manifest.
#include "harness/target/target.h"

#include <algorithm>

#include "harness/targets/core/core_target.h"
#ifdef GCS_WITH_CPYTHON
#include "harness/targets/cpython/cpython_target.h"
#endif
#ifdef GCS_WITH_PYO3
#include "harness/targets/pyo3/pyo3_target.h"
#endif
#include "harness/targets/remote/remote_target.h"

namespace gcs {
namespace {

template <typename Make>
std::function<Expected<std::unique_ptr<Target>>(const std::string&)> Unversioned(Make make) {
  return [make](const std::string&) -> Expected<std::unique_ptr<Target>> { return make(); };
}

}  // namespace

std::vector<TargetInfo> ListTargets() {
  std::vector<TargetInfo> targets;
  targets.push_back({"core",
                     "the built-in object-lifetime core (full event stream; the default)",
                     {},
                     Unversioned([] { return std::unique_ptr<Target>(new CoreTarget); })});
#ifdef GCS_WITH_CPYTHON
  targets.push_back({"cpython",
                     "embedded CPython 3.11: subinterpreters as VMs, liveness from weakref probes",
                     {},
                     Unversioned([] { return MakeCpythonTarget(); })});
#endif
#ifdef GCS_WITH_PYO3
  targets.push_back(Pyo3TargetInfo());
#endif
  for (TargetInfo& remote : ListRemoteTargets())
    targets.push_back(std::move(remote));
  return targets;
}

Expected<std::unique_ptr<Target>> MakeTarget(std::string_view spec) {
  const size_t at = spec.find('@');
  const std::string name(spec.substr(0, at));
  const std::string version(at == std::string_view::npos ? "" : spec.substr(at + 1));
  if (IsManifestPath(name)) return MakeRemoteTarget(name, version);
  std::string known;
  for (const TargetInfo& t : ListTargets()) {
    if (t.name == name) {
      if (at == std::string_view::npos) return t.make(t.versions.empty() ? "" : t.versions[0]);
      if (std::find(t.versions.begin(), t.versions.end(), version) != t.versions.end()) {
        return t.make(version);
      }
      std::string versions;
      for (const std::string& v : t.versions)
        versions += (versions.empty() ? "" : ", ") + v;
      return InputError{"<flag>", "--target",
                        "target \"" + name + "\" has no version \"" + version + "\" (" +
                            (versions.empty() ? "it has none" : "known: " + versions) + ")"};
    }
    known += (known.empty() ? "" : ", ") + t.name;
  }
  // A remote target whose manifest does not load is not listed; making it says why.
  if (auto found = FindRemoteManifest(name)) return MakeRemoteTarget(*found, version);
  return InputError{"<flag>", "--target", "unknown target \"" + name + "\" (known: " + known + ")"};
}

std::string TargetSpec(const Target& target) {
  std::string spec(target.Name());
  if (!target.Version().empty()) spec += "@" + std::string(target.Version());
  return spec;
}

std::vector<std::string> AllTargetSpecs() {
  std::vector<std::string> specs;
  for (const TargetInfo& t : ListTargets()) {
    specs.push_back(t.name);
    for (const std::string& v : t.versions)
      specs.push_back(t.name + "@" + v);
  }
  return specs;
}

std::vector<std::string> AllTargetFaultNames() {
  std::vector<std::string> names;
  for (const TargetInfo& t : ListTargets()) {
    auto made = t.make(t.versions.empty() ? "" : t.versions[0]);
    if (!made) continue;
    for (std::string& f : (*made)->FaultNames()) {
      if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(std::move(f));
    }
  }
  return names;
}

LoadOptions ScenarioLoadOptionsFor(const Target& target) {
  LoadOptions load;
  load.known_faults = AllTargetFaultNames();
  load.known_targets = AllTargetSpecs();
  load.target = std::string(target.Name());
  load.supported_ops = target.SupportedOps();
  return load;
}

}  // namespace gcs
