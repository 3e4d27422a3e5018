// gcstress cli — ResidentKiB: VmRSS from /proc/self/status.
#include "harness/cli/resident_memory.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gcs::cli {

uint64_t ResidentKiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  uint64_t kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) {
      kib = std::strtoull(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kib;
}

}  // namespace gcs::cli
