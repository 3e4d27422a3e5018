// gcstress fuzzing — tests: shared helpers.
#include "fuzz_test_support.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "harness/scheduler/prng.h"

namespace gcs::testing {

std::vector<std::vector<uint8_t>> RandomInputs(uint64_t seed, size_t count, size_t max_len) {
  std::vector<std::vector<uint8_t>> out = {
      {}, std::vector<uint8_t>(max_len, 0x00), std::vector<uint8_t>(max_len, 0xff), {0x01}};
  sched::Xoshiro256 rng(seed);
  while (out.size() < count) {
    std::vector<uint8_t> bytes(rng.Below(max_len + 1));
    for (uint8_t& b : bytes)
      b = static_cast<uint8_t>(rng.Next());
    out.push_back(std::move(bytes));
  }
  out.resize(count);
  return out;
}

std::string SourcePath(const std::string& relative) {
  return std::string(GCS_SOURCE_DIR) + "/" + relative;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace gcs::testing
