// gcstress core — FinalizationRegistry: JS semantics; callbacks for collected targets run later.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/object.h"

namespace gcs::core {

// One registry of a VM (each VM has a user registry and an internal one whose callbacks release
// proxies, as Comlink's proxyFinalizers does). An entry holds its target weakly and its held
// value strongly; when the target is freed the entry becomes a pending callback that runs at the
// VM's next safe point, and only then is the held value let go. Unregistering first means the
// callback never fires. Guarded by the VM's lock; refcounts are the caller's to change.
class FinalizationRegistry {
 public:
  struct Entry {
    RegistryToken token = 0;
    Object* target = nullptr;  // weak: valid only while the entry is not pending
    AllocId target_id = kNoAlloc;
    Object* held = nullptr;  // strong (the caller increfed it), may be nullptr
    uint64_t cookie = 0;     // the owner's data (the internal registry: the proxy's peer VM)
  };

  // Records an entry; the caller has increfed `held`.
  RegistryToken Register(Object* target, Object* held, uint64_t cookie);
  // Removes an entry whose callback has not run — live, or pending with its target already gone
  // (JS: unregistering a cell whose target died still cancels its callback); the caller decrefs
  // the returned held value.
  std::optional<Entry> Unregister(RegistryToken token);
  // Removes every such entry matching `pred`, live ones first, each list in order; the caller
  // decrefs.
  std::vector<Entry> UnregisterIf(const std::function<bool(const Entry&)>& pred);
  // `target` is being freed: its entries become pending callbacks. Returns how many.
  int OnTargetFreed(const Object* target);
  // Pending callbacks in the order their targets died; the caller runs them and decrefs held.
  std::vector<Entry> TakePending();
  bool HasPending() const { return !pending_.empty(); }
  bool Targets(const Object* target) const;

 private:
  RegistryToken next_token_ = 1;
  std::vector<Entry> live_;
  std::vector<Entry> pending_;
};

}  // namespace gcs::core
