// gcstress scenario — Op: the scenario ops of harness/ops.def, their fields and targets.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "harness/scenario/field.h"

namespace gcs {

namespace op_detail {
inline constexpr uint8_t kCount = 0
#define GCS_OP(...) +1
#include "harness/ops.def"
#undef GCS_OP
    ;
}  // namespace op_detail

// One enumerator per GCS_OP, in table order (the order is part of the format: fuzzers and the
// generator index ops by it).
enum class Op : uint8_t {
#define GCS_OP(Name, json, fields, bind, targets, help) k##Name,
#include "harness/ops.def"
#undef GCS_OP
  kMaxValue = op_detail::kCount - 1,
};
inline constexpr size_t kOpCount = op_detail::kCount;
static_assert(kOpCount < 64, "OpSet is built from a 64-bit mask");

// What a step's "as" binds (ops.def "Bind" column).
enum class BindKind : uint8_t { kNone, kHandle, kWeak, kToken };

// "handle", "weak", "token" ("" for kNone): the docs' and messages' word for a variable kind.
std::string_view BindKindName(BindKind kind);

// A set of ops, e.g. what a target supports.
using OpSet = std::bitset<kOpCount>;
inline constexpr OpSet kAllOps{(uint64_t{1} << kOpCount) - 1};

// One field of an op, from the ops.def "fields" string ("obj held? as?").
struct FieldSpec {
  Field field = Field::kObj;
  bool optional = false;
  constexpr bool operator==(const FieldSpec&) const = default;
};
inline constexpr int kMaxOpFields = 4;

struct OpInfo {
  Op op;
  std::string_view json;         // the op's name in scenario files
  std::string_view fields_text;  // the ops.def fields string, verbatim
  BindKind bind;
  std::string_view targets;  // built-in target codes: 'C' core, 'P' cpython
  std::string_view help;
  std::array<FieldSpec, kMaxOpFields> field_specs{};  // parsed fields_text, in its order
  uint8_t field_count = 0;

  constexpr std::span<const FieldSpec> Fields() const { return {field_specs.data(), field_count}; }
  constexpr const FieldSpec* FindField(Field field) const {
    for (const FieldSpec& spec : Fields()) {
      if (spec.field == field) return &spec;
    }
    return nullptr;
  }
};

namespace op_detail {

// Parses an ops.def fields string at compile time; a malformed entry (unknown field name, a
// repeated field, too many fields) is not a constant expression and so fails the build.
consteval OpInfo MakeOpInfo(Op op, std::string_view json, std::string_view fields, BindKind bind,
                            std::string_view targets, std::string_view help) {
  OpInfo info{op, json, fields, bind, targets, help};
  size_t pos = 0;
  while (pos < fields.size()) {
    if (fields[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = fields.find(' ', pos);
    if (end == std::string_view::npos) end = fields.size();
    std::string_view word = fields.substr(pos, end - pos);
    pos = end;
    FieldSpec spec;
    if (word.back() == '?') {
      spec.optional = true;
      word.remove_suffix(1);
    }
    std::optional<Field> field = FieldFromName(word);
    if (!field) throw "ops.def names a field that fields.def does not declare";
    spec.field = *field;
    if (info.FindField(spec.field) != nullptr) throw "ops.def repeats a field";
    if (info.field_count == kMaxOpFields) throw "ops.def: too many fields for one op";
    info.field_specs[info.field_count++] = spec;
  }
  return info;
}

}  // namespace op_detail

inline constexpr std::array<OpInfo, kOpCount> kOpTable = {{
#define GCS_OP(Name, json, fields, bind, targets, help) \
  op_detail::MakeOpInfo(Op::k##Name, json, fields, BindKind::k##bind, targets, help),
#include "harness/ops.def"
#undef GCS_OP
}};

constexpr const OpInfo& GetOpInfo(Op op) {
  return kOpTable[static_cast<size_t>(op)];
}
constexpr std::string_view OpName(Op op) {
  return GetOpInfo(op).json;
}

constexpr std::optional<Op> OpFromName(std::string_view json) {
  for (const OpInfo& info : kOpTable) {
    if (info.json == json) return info.op;
  }
  return std::nullopt;
}

// An op binds a variable exactly when it has an "as" field, and only "as" is a BindVar field.
constexpr bool OpTableIsConsistent() {
  for (const OpInfo& info : kOpTable) {
    if ((info.bind != BindKind::kNone) != (info.FindField(Field::kAs) != nullptr)) return false;
    for (const FieldSpec& spec : info.Fields()) {
      if ((GetFieldInfo(spec.field).kind == FieldKind::kBindVar) != (spec.field == Field::kAs)) {
        return false;
      }
    }
  }
  return true;
}
static_assert(OpTableIsConsistent(), "ops.def: Bind column and \"as\" field disagree");

// The built-in targets of the ops.def "Targets" column, by name: "core" (C), "cpython" (P) and
// "pyo3" (Y).
struct BuiltinTarget {
  char code;
  std::string_view name;
};
inline constexpr std::array<BuiltinTarget, 3> kBuiltinTargets = {
    {{'C', "core"}, {'P', "cpython"}, {'Y', "pyo3"}}};

// The ops a built-in target supports; nullopt for a name that is not a built-in target.
std::optional<OpSet> BuiltinTargetOps(std::string_view target);

// The Markdown table of every op (scenarios/README.md embeds it; a test keeps them equal).
std::string FormatOpsTable();

}  // namespace gcs
