// gcstress core — Event and Observer: everything the core does to object lifetimes, reported.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ids.h"

namespace gcs::core {

enum class EventKind : uint8_t {
#define GCS_EVENT(Name, name, help) k##Name,
#include "core/events.def"
#undef GCS_EVENT
};
inline constexpr int kEventKindCount = 0
#define GCS_EVENT(Name, name, help) +1
#include "core/events.def"
#undef GCS_EVENT
    ;

std::string_view EventKindName(EventKind kind);
std::string_view EventKindHelp(EventKind kind);

// One core event. Plain data; `site` is a string literal naming the core site (stable across
// runs and builds), e.g. "reference_pool.apply" — part of a violation's signature.
struct Event {
  EventKind kind;
  VmIndex vm = kNoVm;          // the VM the event is about (an object's owner)
  VmIndex current_vm = kNoVm;  // the acting thread's current VM
  ThreadIndex thread = kNoThread;
  AllocId obj = kNoAlloc;
  AllocId other = kNoAlloc;
  int64_t value = 0;
  int64_t aux = 0;
  const char* site = "";
};

// Subscribers (tests, the harness's trace recorder) implement this. Contract: called
// synchronously on the acting thread, possibly with core locks held: an observer must not call
// back into the Runtime. In free mode several threads may call it at once.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(const Event& event) = 0;
};

}  // namespace gcs::core
