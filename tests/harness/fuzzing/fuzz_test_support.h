// gcstress fuzzing — tests: what the fuzzing suites share: random byte strings and the
// checked-in files they read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gcs::testing {

// `count` byte strings of lengths in [0, max_len], from a seeded stream; the first few are the
// edge cases (empty, all 0x00, all 0xff, one byte).
std::vector<std::vector<uint8_t>> RandomInputs(uint64_t seed, size_t count, size_t max_len);

// GCS_SOURCE_DIR/<relative>.
std::string SourcePath(const std::string& relative);

// The regular files directly in `dir`, sorted; none if it does not exist.
std::vector<std::string> FilesIn(const std::string& dir);

std::vector<uint8_t> ReadFileBytes(const std::string& path);

}  // namespace gcs::testing
