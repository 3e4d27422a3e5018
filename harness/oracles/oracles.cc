// gcstress oracles — the default oracle set for a target.
#include "harness/oracles/oracle.h"

namespace gcs {

// Filled in by the oracles (harness/oracles/*.cc) as they land.
std::vector<std::unique_ptr<Oracle>> MakeOracles(const Target& target,
                                                 const OracleOptions& options) {
  (void)target;
  (void)options;
  return {};
}

}  // namespace gcs
