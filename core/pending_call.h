// gcstress core — PendingCalls: a VM's calls through proxies still waiting for their reply.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "core/object.h"

namespace gcs::core {

// Comlink's shape: a call adds a listener to the endpoint of the callee's VM; the listener holds
// the call's promise, and the promise holds the calling object and the proxy. A reply removes the
// listener; so does worker termination, which rejects the promise (fixed behaviour). While a
// listener is on its endpoint, everything it holds stays alive. Guarded by the VM's lock.
struct PendingCall {
  CallId id = 0;
  VmIndex callee = kNoVm;
  Object* endpoint = nullptr;  // the endpoint's slot holds the listener
  Object* listener = nullptr;
  Object* promise = nullptr;
  AllocId promise_id = kNoAlloc;
};

class PendingCalls {
 public:
  CallId NextId() { return next_id_++; }
  void Add(const PendingCall& call) { calls_.push_back(call); }
  std::optional<PendingCall> Take(CallId id);
  // Every pending call to `callee`, in call order.
  std::vector<PendingCall> TakeAllTo(VmIndex callee);
  // Every pending call whose listener hangs on `endpoint`, in call order.
  std::vector<PendingCall> TakeAllOn(const Object* endpoint);
  std::vector<PendingCall> TakeAll() { return std::exchange(calls_, {}); }
  size_t size() const { return calls_.size(); }

 private:
  CallId next_id_ = 1;
  std::vector<PendingCall> calls_;
};

}  // namespace gcs::core
