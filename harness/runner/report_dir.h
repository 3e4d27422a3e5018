// gcstress runner — report directories: signature slugs, collision-free creation, atomic writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/input_error.h"

namespace gcs {

// A violation signature as a directory name: lower case; every run of characters outside
// [a-z0-9_] becomes one '-', except a single '.' between two word characters, which stays; no
// leading or trailing '-' or '.'; at most 96 characters; "violation" if nothing is left.
//   "double-free/attach/step/lifecycle.dealloc" -> "double-free-attach-step-lifecycle.dealloc"
std::string SignatureSlug(std::string_view signature);

// Creates `parent` (and its missing ancestors), then a new directory parent/name, or
// parent/name-2, parent/name-3, ... if that exists. mkdir either creates or fails with EEXIST,
// atomically, so two runs writing the same signature at once never share a directory (the
// O_EXCL rule of shuttle's failure files). Returns the path created.
Expected<std::string> CreateUniqueDirectory(const std::string& parent, std::string_view name);

// Writes `contents` to `path` all or nothing: to a temporary file created with O_EXCL beside
// it, flushed to disk, then renamed over `path`. A reader never sees half a file.
std::optional<InputError> WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace gcs
