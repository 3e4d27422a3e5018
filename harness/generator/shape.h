// gcstress generator — GeneratorShape: the multi-step productions of shapes.def, as values.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/scenario/op.h"

namespace gcs {

enum class GeneratorShape : uint8_t {
#define GCS_SHAPE(Name, name, Lead, percent, pattern) k##Name,
#include "harness/generator/shapes.def"
#undef GCS_SHAPE
};

struct ShapeInfo {
  GeneratorShape shape;
  std::string_view name;
  Op lead;
  uint32_t percent;
  std::string_view pattern;
};

inline constexpr std::array kShapeTable = {
#define GCS_SHAPE(Name, name, Lead, percent, pattern) \
  ShapeInfo{GeneratorShape::k##Name, name, Op::k##Lead, percent, pattern},
#include "harness/generator/shapes.def"
#undef GCS_SHAPE
};
inline constexpr size_t kShapeCount = kShapeTable.size();

// A set of shapes, e.g. the ones a swarm subset enables.
using ShapeSet = std::bitset<kShapeCount>;
inline constexpr ShapeSet kAllShapes{(uint64_t{1} << kShapeCount) - 1};

constexpr const ShapeInfo& GetShapeInfo(GeneratorShape shape) {
  return kShapeTable[static_cast<size_t>(shape)];
}

namespace shape_detail {
constexpr bool InTableOrderWithDistinctLeads() {
  for (size_t i = 0; i < kShapeCount; ++i) {
    if (static_cast<size_t>(kShapeTable[i].shape) != i || kShapeTable[i].percent > 100) {
      return false;
    }
    for (size_t j = 0; j < i; ++j) {
      if (kShapeTable[j].lead == kShapeTable[i].lead) return false;
    }
  }
  return true;
}
// One shape per lead op: a drawn op writes its shape or one step, never a choice between shapes.
static_assert(InTableOrderWithDistinctLeads(),
              "shapes.def: percents at most 100, each lead op leads one shape");
}  // namespace shape_detail

}  // namespace gcs
