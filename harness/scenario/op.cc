// gcstress scenario — Op: bind kind names, built-in target capabilities, the generated ops table.
#include "harness/scenario/op.h"

#include <string>

namespace gcs {

std::string_view BindKindName(BindKind kind) {
  switch (kind) {
    case BindKind::kNone:
      return "";
    case BindKind::kHandle:
      return "handle";
    case BindKind::kWeak:
      return "weak";
    case BindKind::kToken:
      return "token";
  }
  return "?";
}

std::optional<OpSet> BuiltinTargetOps(std::string_view target) {
  for (const BuiltinTarget& builtin : kBuiltinTargets) {
    if (builtin.name != target) continue;
    OpSet ops;
    for (const OpInfo& info : kOpTable) {
      if (info.targets.find(builtin.code) != std::string_view::npos) {
        ops.set(static_cast<size_t>(info.op));
      }
    }
    return ops;
  }
  return std::nullopt;
}

std::string FormatOpsTable() {
  std::string out = "| op | fields | binds | targets | what it does |\n|---|---|---|---|---|\n";
  for (const OpInfo& info : kOpTable) {
    out += "| `";
    out += info.json;
    out += "` | ";
    std::string fields;
    for (const FieldSpec& spec : info.Fields()) {
      if (!fields.empty()) fields += " ";
      fields += "`";
      fields += FieldName(spec.field);
      if (spec.optional) fields += "?";
      fields += "`";
    }
    out += fields.empty() ? "—" : fields;
    out += " | ";
    out += info.bind == BindKind::kNone ? std::string_view("—") : BindKindName(info.bind);
    out += " | ";
    std::string targets;
    for (const BuiltinTarget& builtin : kBuiltinTargets) {
      if (info.targets.find(builtin.code) == std::string_view::npos) continue;
      if (!targets.empty()) targets += ", ";
      targets += builtin.name;
    }
    out += targets;
    out += " | ";
    out += info.help;
    out += " |\n";
  }
  return out;
}

}  // namespace gcs
