// gcstress remote target — Manifest: a remote target's target.json, and where manifests are found.
//
// targets/README.md is the reference: the manifest's fields, the search path, the protocol.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/op.h"

namespace gcs::remote {

struct Manifest {
  std::string path;  // the target.json read
  std::string dir;   // its folder: the adapter's working directory
  std::string name;
  std::string help;
  std::vector<std::string> command;
  std::vector<std::string> versions;  // the default first; may be empty
  OpSet ops;
  std::vector<std::string> faults;
  bool full_event_stream = false;
  bool reports_holders = false;
  std::chrono::milliseconds reply_timeout{5000};
};

// Reads and validates `path`. Errors name the file and the JSON path.
Expected<Manifest> LoadManifest(const std::string& path);

// The directories searched for NAME/target.json, in order: GCS_TARGET_PATH's entries, then the
// project's own targets/ folder.
std::vector<std::string> ManifestSearchPath();
// Every NAME/target.json on the search path, the first of each name, sorted by name.
std::vector<std::string> FindManifests();
// The first NAME/target.json on the search path.
std::optional<std::string> FindManifest(const std::string& name);
// True if a --target value names a manifest file rather than a target ("./x/target.json").
bool IsManifestPath(const std::string& spec);

}  // namespace gcs::remote
