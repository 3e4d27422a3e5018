// gcstress core — names and help of the core's error values.
#include "core/status.h"

#include <array>

namespace gcs::core {
namespace {

struct StatusInfo {
  std::string_view name;
  std::string_view help;
};

constexpr std::array kStatuses = {
#define GCS_ERROR(Name, name, help) StatusInfo{name, help},
#include "core/errors.def"
#undef GCS_ERROR
};

}  // namespace

std::string_view StatusName(Status s) {
  const auto i = static_cast<size_t>(s);
  GCS_CHECK(i < kStatuses.size());
  return kStatuses[i].name;
}

std::string_view StatusHelp(Status s) {
  const auto i = static_cast<size_t>(s);
  GCS_CHECK(i < kStatuses.size());
  return kStatuses[i].help;
}

}  // namespace gcs::core
