// gcstress scenario — Field: the step fields of harness/fields.def and their kinds.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gcs {

// Reference fields per object: a step's "field" is in [0, kMaxFields).
inline constexpr int kMaxFields = 4;

namespace field_detail {
inline constexpr uint8_t kCount = 0
#define GCS_FIELD(...) +1
#include "harness/fields.def"
#undef GCS_FIELD
    ;
}  // namespace field_detail

// One enumerator per GCS_FIELD, in table order.
enum class Field : uint8_t {
#define GCS_FIELD(Name, json, kind, help) k##Name,
#include "harness/fields.def"
#undef GCS_FIELD
  kMaxValue = field_detail::kCount - 1,
};
inline constexpr size_t kFieldCount = field_detail::kCount;

// What a field's value names (fields.def "Kind" column).
enum class FieldKind : uint8_t {
  kHandleVar,   // a variable bound to a strong handle or a proxy
  kWeakVar,     // a variable bound to a weak reference
  kTokenVar,    // a variable bound to a finalization registry token
  kBindVar,     // the variable the step binds; its kind is the op's BindKind
  kFieldIndex,  // an integer in [0, kMaxFields)
  kVmName,      // "main", a worker's name, or a name some switch_vm introduces
  kWorkerName,  // a worker thread's name
  kTypeName,    // "object" or "subclass"
};

struct FieldInfo {
  Field field;
  std::string_view json;  // the key in a step object
  FieldKind kind;
  std::string_view help;
};

inline constexpr std::array<FieldInfo, kFieldCount> kFieldTable = {{
#define GCS_FIELD(Name, json, kind, help) {Field::k##Name, json, FieldKind::k##kind, help},
#include "harness/fields.def"
#undef GCS_FIELD
}};

constexpr const FieldInfo& GetFieldInfo(Field field) {
  return kFieldTable[static_cast<size_t>(field)];
}
constexpr std::string_view FieldName(Field field) {
  return GetFieldInfo(field).json;
}

constexpr std::optional<Field> FieldFromName(std::string_view json) {
  for (const FieldInfo& info : kFieldTable) {
    if (info.json == json) return info.field;
  }
  return std::nullopt;
}

// How the docs describe a kind: "handle variable", "VM name", ...
std::string_view FieldKindDescription(FieldKind kind);

// The Markdown table of every field (scenarios/README.md embeds it; a test keeps them equal).
std::string FormatFieldsTable();

}  // namespace gcs
