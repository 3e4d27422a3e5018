// gcstress core — the failure path of GCS_CHECK.
#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace gcs {

void CheckFailed(const char* file, int line, const char* condition, const char* message) {
  if (message != nullptr) {
    std::fprintf(stderr, "%s:%d: GCS_CHECK failed: %s (%s)\n", file, line, condition, message);
  } else {
    std::fprintf(stderr, "%s:%d: GCS_CHECK failed: %s\n", file, line, condition);
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace gcs
