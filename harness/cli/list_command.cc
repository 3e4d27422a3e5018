// gcstress cli — `gcstress list WHAT`: the declaration tables, as text or Markdown.
#include <cstdio>
#include <utility>

#include "core/faults.h"
#include "core/observer.h"
#include "core/status.h"
#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"
#include "harness/cli/table.h"
#include "harness/scenario/op.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/strategy.h"
#include "harness/target/target.h"

namespace gcs::cli {
namespace {

std::vector<TableRow> OpRows() {
  std::vector<TableRow> rows;
  for (const OpInfo& info : kOpTable) {
    std::string targets;
    for (const BuiltinTarget& builtin : kBuiltinTargets) {
      if (info.targets.find(builtin.code) != std::string_view::npos) {
        targets += (targets.empty() ? "" : ",") + std::string(builtin.name);
      }
    }
    rows.push_back({std::string(info.json), std::string(info.fields_text),
                    std::string(BindKindName(info.bind)), targets, std::string(info.help)});
  }
  return rows;
}

std::vector<TableRow> StrategyRows() {
  std::vector<TableRow> rows;
  for (const sched::StrategyInfo& s : sched::ListStrategies()) {
    std::string params;
    for (const sched::StrategyParamInfo& p : s.params) {
      params += (params.empty() ? "" : ", ") + std::string(p.key) + "=" +
                std::to_string(p.default_value) + " [" + std::to_string(p.min) + ".." +
                std::to_string(p.max) + "]";
    }
    rows.push_back({std::string(s.name), params, std::string(s.help)});
  }
  // Not a Strategy: the engine's free mode, which --strategy also accepts.
  rows.push_back(
      {"free", "", "real parallel threads, no schedule (same as --free); not reproducible"});
  return rows;
}

std::vector<TableRow> ViolationRows() {
  std::vector<TableRow> rows;
  for (const ViolationInfo& v : kViolationTable)
    rows.push_back({std::string(v.json), std::string(v.help)});
  return rows;
}

std::vector<TableRow> ExitCodeRows() {
  std::vector<TableRow> rows;
  for (const ExitCodeInfo& e : ListExitCodes()) {
    rows.push_back(
        {std::to_string(static_cast<int>(e.code)), std::string(e.name), std::string(e.help)});
  }
  return rows;
}

std::vector<TableRow> TargetRows() {
  std::vector<TableRow> rows;
  for (const TargetInfo& t : ListTargets()) {
    std::string versions;
    for (const std::string& v : t.versions)
      versions += (versions.empty() ? "" : ", ") + v;
    rows.push_back({t.name, versions.empty() ? "-" : versions, t.help});
  }
  return rows;
}

// The core's error names: what every target answers a refused op with where they apply.
std::vector<TableRow> ErrorRows() {
  std::vector<TableRow> rows;
  for (int s = 1; s < core::kStatusCount; ++s) {
    const auto status = static_cast<core::Status>(s);
    rows.push_back({std::string(core::StatusName(status)), std::string(core::StatusHelp(status))});
  }
  return rows;
}

// The lifetime events targets report (core/events.def), the remote protocol's vocabulary.
std::vector<TableRow> EventRows() {
  std::vector<TableRow> rows;
  for (int k = 0; k < core::kEventKindCount; ++k) {
    const auto kind = static_cast<core::EventKind>(k);
    rows.push_back(
        {std::string(core::EventKindName(kind)), std::string(core::EventKindHelp(kind))});
  }
  return rows;
}

// The target's own fault names; the help text of the built-in core's comes from core/faults.def.
std::vector<TableRow> FaultRows(const Target& target) {
  std::vector<TableRow> rows;
  for (const std::string& name : target.FaultNames()) {
    std::string help;
    if (target.Name() == "core") {
      if (auto fault = core::FaultFromName(name))
        help = std::string(core::GetFaultInfo(*fault).help);
    }
    rows.push_back({name, help});
  }
  return rows;
}

}  // namespace

const std::vector<std::string>& ListableThings() {
  static const std::vector<std::string> things = {
      "ops", "faults", "strategies", "targets", "violations", "exit-codes", "errors", "events"};
  return things;
}

ExitCode ListCommand(const Invocation& inv) {
  const std::string& what = inv.list_what;
  const bool md = inv.flags.markdown;
  std::string text;
  if (what == "ops") {
    text = FormatTable({"op", "fields", "binds", "targets", "help"}, OpRows(), md);
  } else if (what == "faults") {
    Expected<std::unique_ptr<Target>> target = MakeTarget(inv.flags.target);
    if (PrintIfError(target)) return ExitCode::kBadInput;
    text = FormatTable({"fault", "help"}, FaultRows(**target), md);
  } else if (what == "strategies") {
    text = FormatTable({"strategy", "parameters (default [range])", "help"}, StrategyRows(), md);
  } else if (what == "targets") {
    text = FormatTable({"target", "versions", "help"}, TargetRows(), md);
  } else if (what == "errors") {
    text = FormatTable({"error", "help"}, ErrorRows(), md);
  } else if (what == "events") {
    text = FormatTable({"event", "fields"}, EventRows(), md);
  } else if (what == "violations") {
    text = FormatTable({"violation", "help"}, ViolationRows(), md);
  } else if (what == "exit-codes") {
    text = FormatTable({"code", "name", "meaning"}, ExitCodeRows(), md);
  } else {
    std::string known;
    for (const std::string& t : ListableThings())
      known += (known.empty() ? "" : ", ") + t;
    PrintError(
        InputError{"<argument>", "list", "cannot list \"" + what + "\" (known: " + known + ")"});
    return ExitCode::kBadInput;
  }
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  return ExitCode::kPass;
}

}  // namespace gcs::cli
