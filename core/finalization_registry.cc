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
  auto it = std::find_if(live_.begin(), live_.end(),
                         [token](const Entry& e) { return e.token == token; });
  if (it == live_.end()) return std::nullopt;
  Entry e = *it;
  live_.erase(it);
  return e;
}

std::vector<FinalizationRegistry::Entry> FinalizationRegistry::UnregisterIf(
    const std::function<bool(const Entry&)>& pred) {
  std::vector<Entry> removed;
  auto keep = std::stable_partition(live_.begin(), live_.end(),
                                    [&pred](const Entry& e) { return !pred(e); });
  removed.assign(keep, live_.end());
  live_.erase(keep, live_.end());
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
