// gcstress core — names of the event kinds of events.def.
#include "core/observer.h"

#include <array>

#include "core/check.h"

namespace gcs::core {
namespace {

struct EventInfo {
  std::string_view name;
  std::string_view help;
};

constexpr std::array kEvents = {
#define GCS_EVENT(Name, name, help) EventInfo{name, help},
#include "core/events.def"
#undef GCS_EVENT
};

}  // namespace

std::string_view EventKindName(EventKind kind) {
  const auto i = static_cast<size_t>(kind);
  GCS_CHECK(i < kEvents.size());
  return kEvents[i].name;
}

std::string_view EventKindHelp(EventKind kind) {
  const auto i = static_cast<size_t>(kind);
  GCS_CHECK(i < kEvents.size());
  return kEvents[i].help;
}

}  // namespace gcs::core
