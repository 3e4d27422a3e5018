// gcstress cli — `gcstress triage DIR...`: report folders grouped by signature, as a table or
// JSON.
#include <cstdio>
#include <fstream>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/triage/triage.h"

namespace gcs::cli {

ExitCode TriageCommand(const Invocation& inv) {
  Expected<std::vector<triage::ReportFolder>> folders = triage::ScanReports(inv.inputs);
  if (PrintIfError(folders)) return ExitCode::kBadInput;
  const std::vector<triage::TriageGroup> groups = triage::GroupBySignature(*folders);
  const std::string json = inv.flags.json.empty()
                               ? std::string()
                               : triage::TriageToJson(groups, folders->size()).dump(2) + "\n";
  if (inv.flags.json == "-") {
    std::fputs(json.c_str(), stdout);
    return ExitCode::kPass;
  }
  std::fputs(triage::FormatTriageTable(groups).c_str(), stdout);
  if (!json.empty()) {
    std::ofstream out(inv.flags.json);
    out << json;
    if (!out) {
      PrintError(InputError{inv.flags.json, "", "cannot write"});
      return ExitCode::kBadInput;
    }
  }
  return ExitCode::kPass;
}

}  // namespace gcs::cli
