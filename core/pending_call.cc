// gcstress core — pending-call records.
#include "core/pending_call.h"

#include <algorithm>

namespace gcs::core {

std::optional<PendingCall> PendingCalls::Take(CallId id) {
  auto it =
      std::find_if(calls_.begin(), calls_.end(), [id](const PendingCall& c) { return c.id == id; });
  if (it == calls_.end()) return std::nullopt;
  PendingCall c = *it;
  calls_.erase(it);
  return c;
}

std::vector<PendingCall> PendingCalls::TakeAllTo(VmIndex callee) {
  std::vector<PendingCall> out;
  auto keep = std::stable_partition(calls_.begin(), calls_.end(),
                                    [callee](const PendingCall& c) { return c.callee != callee; });
  out.assign(keep, calls_.end());
  calls_.erase(keep, calls_.end());
  return out;
}

std::vector<PendingCall> PendingCalls::TakeAllOn(const Object* endpoint) {
  std::vector<PendingCall> out;
  auto keep = std::stable_partition(calls_.begin(), calls_.end(), [endpoint](const PendingCall& c) {
    return c.endpoint != endpoint;
  });
  out.assign(keep, calls_.end());
  calls_.erase(keep, calls_.end());
  return out;
}

}  // namespace gcs::core
