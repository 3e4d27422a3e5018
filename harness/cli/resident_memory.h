// gcstress cli — ResidentKiB: the process's resident set size, for progress lines and benches.
#pragma once

#include <cstdint>

namespace gcs::cli {

// VmRSS from /proc/self/status, in KiB; 0 where there is no such file.
uint64_t ResidentKiB();

}  // namespace gcs::cli
