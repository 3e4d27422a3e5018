// gcstress scenario — Field: kind descriptions and the generated fields table.
#include "harness/scenario/field.h"

#include <string>

namespace gcs {

std::string_view FieldKindDescription(FieldKind kind) {
  switch (kind) {
    case FieldKind::kHandleVar:
      return "handle variable";
    case FieldKind::kWeakVar:
      return "weak variable";
    case FieldKind::kTokenVar:
      return "token variable";
    case FieldKind::kBindVar:
      return "variable to bind";
    case FieldKind::kFieldIndex:
      return "field index";
    case FieldKind::kVmName:
      return "VM name";
    case FieldKind::kWorkerName:
      return "worker name";
    case FieldKind::kTypeName:
      return "type name";
  }
  return "?";
}

std::string FormatFieldsTable() {
  std::string out = "| field | value | meaning |\n|---|---|---|\n";
  for (const FieldInfo& info : kFieldTable) {
    out += "| `";
    out += info.json;
    out += "` | ";
    out += FieldKindDescription(info.kind);
    out += " | ";
    out += info.help;
    out += " |\n";
  }
  return out;
}

}  // namespace gcs
