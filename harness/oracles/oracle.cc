// gcstress oracles — Oracle: what every oracle shares.
#include "harness/oracles/oracle.h"

#include <utility>

namespace gcs {

std::optional<Violation> Oracle::Result() const {
  std::optional<Violation> first;
  for (Violation& v : Violations()) {
    if (!first || v.trace_index < first->trace_index) first = std::move(v);
  }
  return first;
}

}  // namespace gcs
