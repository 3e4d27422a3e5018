// gcstress scenario — ViolationKind: the generated verdict kinds table.
#include "harness/scenario/violation.h"

#include <string>

namespace gcs {

std::string FormatViolationsTable() {
  std::string out = "| result | meaning |\n|---|---|\n";
  for (const ViolationInfo& info : kViolationTable) {
    out += "| `";
    out += info.json;
    out += "` | ";
    out += info.help;
    out += " |\n";
  }
  return out;
}

}  // namespace gcs
