// gcstress core — names of the built-in object kinds.
#include "core/object.h"

#include <array>

#include "core/check.h"

namespace gcs::core {

std::string_view ObjectKindName(ObjectKind kind) {
  static constexpr std::array<std::string_view, kObjectKindCount> kNames = {
      "object", "subclass", "type", "proxy", "endpoint", "listener", "promise"};
  const auto i = static_cast<size_t>(kind);
  GCS_CHECK(i < kNames.size());
  return kNames[i];
}

}  // namespace gcs::core
