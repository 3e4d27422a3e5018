// gcstress core — finalization registry bookkeeping.
#include "core/finalization_registry.h"

#include <algorithm>

namespace gcs::core {

RegistryToken FinalizationRegistry::Register(Object* target, Object* held, uint64_t cookie) {
  const RegistryToken token = next_token_++;
  live_.push_back(Entry{token, target, target->id, held, cookie});
  target->flags |= kFlagRegistryTarget;
  return token;
}

std::optional<FinalizationRegistry::Entry> FinalizationRegistry::Unregister(RegistryToken token) {
  auto removed = UnregisterIf([token](const Entry& e) { return e.token == token; });
  if (removed.empty()) return std::nullopt;
  return removed.front();
}

// JS semantics: unregister removes the cell even when its target is already gone and the
// callback is only queued — a callback never runs for an unregistered cell. So pending entries
// are searched too.
std::vector<FinalizationRegistry::Entry> FinalizationRegistry::UnregisterIf(
    const std::function<bool(const Entry&)>& pred) {
  std::vector<Entry> removed;
  for (std::vector<Entry>* list : {&live_, &pending_}) {
    auto keep = std::stable_partition(list->begin(), list->end(),
                                      [&pred](const Entry& e) { return !pred(e); });
    removed.insert(removed.end(), keep, list->end());
    list->erase(keep, list->end());
  }
  return removed;
}

int FinalizationRegistry::OnTargetFreed(const Object* target) {
  int moved = 0;
  auto it = live_.begin();
  while (it != live_.end()) {
    if (it->target == target) {
      Entry e = *it;
      e.target = nullptr;  // from here on the target's memory is gone
      pending_.push_back(e);
      it = live_.erase(it);
      ++moved;
    } else {
      ++it;
    }
  }
  return moved;
}

std::vector<FinalizationRegistry::Entry> FinalizationRegistry::TakePending() {
  std::vector<Entry> out;
  out.swap(pending_);
  return out;
}

bool FinalizationRegistry::Targets(const Object* target) const {
  return std::any_of(live_.begin(), live_.end(),
                     [target](const Entry& e) { return e.target == target; });
}

}  // namespace gcs::core
