// gcstress core — the object header, the built-in object kinds and their traverse functions.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace gcs::core {

// The built-in kinds. Each VM owns one type object per kind (its type table, built when the VM
// is constructed); every other object holds a strong reference to its kind's type object.
enum class ObjectKind : uint8_t {
  kPlain,     // "object": kMaxFields reference fields
  kSubclass,  // "subclass": its own fields 2..3, then its base's (kPlain's) fields 0..1
  kType,      // a type object; no fields, not tracked by the collector
  kProxy,     // a worker's handle to an object exported by another VM
  kEndpoint,  // a VM's end of the channel to one peer VM; holds the listeners of pending calls
  kListener,  // waits for a reply; holds the call's promise
  kPromise,   // a pending call's result; holds the calling object and the proxy called through
};
inline constexpr int kObjectKindCount = 7;
std::string_view ObjectKindName(ObjectKind kind);

// Header flags; written only under the owning VM's lock.
enum ObjectFlag : uint32_t {
  kFlagCollecting = 1u << 0,      // on a collector's worklist (between link and free)
  kFlagFinalizedByGc = 1u << 1,   // the collector ran the finalizer; dealloc must not again
  kFlagReachable = 1u << 2,       // scratch mark of the collector's reachability pass
  kFlagFreed = 1u << 3,           // memory released (quarantined); never set on a live object
  kFlagRegistryTarget = 1u << 4,  // some finalization registry entry targets this object
  kFlagProxyReleased = 1u << 5,   // proxy: released explicitly
  kFlagProxyInvalid = 1u << 6,    // proxy: its owner VM is gone
};

// What a proxy knows about the object it stands for. The owner resolves (owner_table_key,
// export_id) in its export table; the proxy never holds a pointer into another VM.
struct ProxyInfo {
  VmIndex owner = kNoVm;
  VmIndex table_key = kNoVm;  // the proxy's own VM: which of the owner's tables holds the entry
  ExportId export_id = 0;
  AllocId target = kNoAlloc;  // for events and diagnostics only
};

struct Object {
  std::atomic<int64_t> refcount{1};
  uint32_t flags = 0;
  ObjectKind kind = ObjectKind::kPlain;
  VmIndex vm = kNoVm;  // owning VM: the heap it lives in
  AllocId id = kNoAlloc;
  Object* type = nullptr;                    // strong; nullptr for type objects
  std::array<Object*, kMaxFields> fields{};  // strong
  std::vector<Object*> slots;                // strong; endpoint: its listeners

  // The collector's per-object state. `gc_link` threads the unreachable worklist; it belongs to
  // the collector while kFlagCollecting is set (gc-worklist-race breaks exactly that).
  int64_t gc_refs = 0;
  Object* gc_link = nullptr;

  // The owning VM's heap list (every live object of the VM, in allocation order).
  Object* heap_prev = nullptr;
  Object* heap_next = nullptr;

  uint32_t first_weak = 0;  // 1-based index of this object's first weak cell in its VM, 0 = none
  ProxyInfo proxy;          // kProxy only
};

// Calls visit(Object*&) on every strong reference the object holds, through its kind's traverse
// function. A subclass's traverse visits its own fields and then chains to its base's traverse
// (PyO3's call_super_traverse): forgetting the chain would hide cycles through base fields.
template <class Visit>
void Traverse(Object* o, Visit&& visit);

// --- implementation ---------------------------------------------------------------------------

namespace detail {
template <class Visit>
void TraversePlainFields(Object* o, int first, int last, Visit& visit) {
  for (int i = first; i < last; ++i) {
    if (o->fields[static_cast<size_t>(i)] != nullptr) visit(o->fields[static_cast<size_t>(i)]);
  }
}
}  // namespace detail

inline constexpr int kSubclassFirstOwnField = 2;

template <class Visit>
void TraverseBase(Object* o, Visit& visit) {
  detail::TraversePlainFields(o, 0, kSubclassFirstOwnField, visit);
}

template <class Visit>
void Traverse(Object* o, Visit&& visit) {
  switch (o->kind) {
    case ObjectKind::kPlain:
      detail::TraversePlainFields(o, 0, kMaxFields, visit);
      break;
    case ObjectKind::kSubclass:
      detail::TraversePlainFields(o, kSubclassFirstOwnField, kMaxFields, visit);
      TraverseBase(o, visit);  // call_super_traverse
      break;
    case ObjectKind::kType:
    case ObjectKind::kProxy:
      break;
    case ObjectKind::kListener:
    case ObjectKind::kPromise:
      detail::TraversePlainFields(o, 0, kMaxFields, visit);
      break;
    case ObjectKind::kEndpoint:
      for (Object*& s : o->slots) {
        if (s != nullptr) visit(s);
      }
      break;
  }
}

// Objects the cycle collector tracks: all but type objects (VM roots until the VM dies).
inline bool IsTracked(const Object* o) {
  return o->kind != ObjectKind::kType;
}

}  // namespace gcs::core
