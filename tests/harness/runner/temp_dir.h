// gcstress tests — TempDirUntilExit: scratch directories that outlive a test but not the binary.
#pragma once

#include <string>

namespace gcs::testing {

// A fresh empty directory under the test temp dir, named `prefix` and a unique suffix; removed
// with everything in it when the test binary exits.
std::string TempDirUntilExit(const std::string& prefix);

}  // namespace gcs::testing
