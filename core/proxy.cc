// gcstress core — Runtime: cross-VM proxies, release messages, pending calls, and `use`.
//
// Export puts an object in its owner's export table for the destination VM (ExportTables) and
// creates a proxy object in the destination. The proxy is registered in the destination's
// internal finalization registry, which holds the destination's endpoint to the owner strongly;
// when the proxy is collected the registry callback sends a release message to the owner, and
// the owner drops the entry when it delivers the message at its next safe point. A call through
// a proxy hangs a listener on that endpoint; the listener holds the promise, the promise holds
// the calling object and the proxy. A reply — or the callee's termination — removes it.
#include "core/check.h"
#include "core/lifecycle.h"
#include "core/runtime.h"
#include "core/runtime_scope.h"
#include "core/vm.h"

namespace gcs::core {
namespace {

constexpr uint64_t kExportIdBits = 48;

uint64_t ProxyCookie(VmIndex owner, ExportId id) {
  return (static_cast<uint64_t>(owner) << kExportIdBits) | id;
}

}  // namespace

Object* Runtime::EndpointFor(ThreadState& ts, Vm& vm, VmIndex peer, bool* created) {
  Object* e = vm.endpoints[peer];
  *created = e == nullptr;
  if (e == nullptr) {
    e = Allocate(env_, &ts, vm, ObjectKind::kEndpoint);
    e->proxy.owner = peer;
    vm.endpoints[peer] = e;
  }
  return e;
}

Result<Handle> Runtime::Export(ThreadState& ts, const Handle& h, VmIndex dest) {
  if (h.empty()) return Status::kEmptyHandle;
  if (dest == h.vm) return Status::kSameVm;
  Vm* dvm = env_.vm(dest);
  if (dvm == nullptr) return Status::kNoSuchVm;
  Scope scope(*this, ts, h.vm);
  if (!scope.ok()) return scope.status();
  if (Status s = EnterState(dvm); s != Status::kOk) return s;
  Vm& owner = scope.vm();
  const ExportTables::AddResult added = owner.exports.Add(dest, h.obj);
  if (added.new_entry) Incref(env_, &ts, h.obj, "proxy_table.export");

  // Never hold two VM locks: give the owner's up while the proxy is made in the destination.
  scope.Suspend();
  dvm->inside.fetch_add(1);
  Status entered = EnterState(dvm);
  Object* proxy = nullptr;
  AllocId proxy_id = kNoAlloc;
  if (entered == Status::kOk) {
    dvm->lock.Lock(env_.hooks);
    bool created = false;
    Object* endpoint = EndpointFor(ts, *dvm, owner.index, &created);
    proxy = Allocate(env_, &ts, *dvm, ObjectKind::kProxy);
    proxy->proxy = ProxyInfo{owner.index, dest, added.id, h.id};
    Incref(env_, &ts, endpoint, "proxy_table.export");
    const RegistryToken token =
        dvm->proxy_registry.Register(proxy, endpoint, ProxyCookie(owner.index, added.id));
    env_.Emit(&ts, {.kind = EventKind::kRegistryRegister,
                    .vm = dest,
                    .obj = proxy->id,
                    .other = endpoint->id,
                    .value = static_cast<int64_t>(token),
                    .aux = 1,
                    .site = "proxy_table.export"});
    if (created) Decref(env_, &ts, endpoint, "proxy_table.export");  // the registry holds it now
    env_.Emit(&ts, {.kind = EventKind::kExport,
                    .vm = owner.index,
                    .obj = h.id,
                    .other = proxy->id,
                    .value = dest,
                    .aux = static_cast<int64_t>(added.id),
                    .site = "proxy_table.export"});
    proxy_id = proxy->id;
    dvm->lock.Unlock(env_.hooks);
  }
  // From here on the destination may be destroyed (its closer waits only for `inside`), and the
  // proxy freed with its heap: the handle keeps the id read above, never reads the proxy again.
  dvm->LeaveInside(env_.hooks);
  scope.Resume();
  if (proxy == nullptr) {
    // The destination closed meanwhile: undo this export's use of the entry.
    if (auto gone = owner.exports.Release(dest, added.id)) {
      env_.Emit(&ts, {.kind = EventKind::kExportDrop,
                      .vm = owner.index,
                      .obj = gone->obj_id,
                      .value = dest,
                      .aux = static_cast<int64_t>(gone->id),
                      .site = "proxy_table.export"});
      Decref(env_, &ts, gone->obj, "proxy_table.export");
    }
    return entered;
  }
  return Handle{proxy, proxy_id, dest};
}

namespace {
Status ProxyState(const Object* p) {
  if (p->kind != ObjectKind::kProxy) return Status::kNotAProxy;
  if ((p->flags & kFlagProxyInvalid) != 0) return Status::kTargetTerminated;
  if ((p->flags & kFlagProxyReleased) != 0) return Status::kProxyReleased;
  return Status::kOk;
}
}  // namespace

Status Runtime::Use(ThreadState& ts, const Handle& h) {
  if (h.empty()) return Status::kEmptyHandle;
  Scope scope(*this, ts, h.vm);
  if (!scope.ok()) return scope.status();
  Object* o = h.obj;
  if (o->kind != ObjectKind::kProxy) {
    // A real dereference: the header is read whatever state the object is in.
    const volatile uint32_t* flags = &o->flags;
    (void)*flags;
    env_.Emit(&ts, {.kind = EventKind::kUse, .vm = o->vm, .obj = o->id, .site = "runtime.use"});
    return Status::kOk;
  }
  if (Status s = ProxyState(o); s != Status::kOk) return s;
  // The owner resolves the id in the table it keeps for this proxy's VM.
  Vm* owner = env_.vm(o->proxy.owner);
  GCS_CHECK(owner != nullptr);
  auto entry = owner->exports.Lookup(o->proxy.table_key, o->proxy.export_id);
  if (!entry) return Status::kDanglingProxy;
  env_.Emit(&ts, {.kind = EventKind::kUse,
                  .vm = owner->index,
                  .obj = entry->obj_id,
                  .other = o->id,
                  .site = "proxy.use"});
  return Status::kOk;
}

Result<CallId> Runtime::Call(ThreadState& ts, const Handle& proxy, const Handle& from) {
  if (proxy.empty()) return Status::kEmptyHandle;
  if (!from.empty() && from.vm != proxy.vm) return Status::kCrossVmReference;
  Scope scope(*this, ts, proxy.vm);
  if (!scope.ok()) return scope.status();
  Vm& vm = scope.vm();
  Object* p = proxy.obj;
  if (Status s = ProxyState(p); s != Status::kOk) return s;
  Object* endpoint = vm.endpoints[p->proxy.owner];
  GCS_CHECK_MSG(endpoint != nullptr, "a live, unreleased proxy keeps its endpoint");

  Object* promise = Allocate(env_, &ts, vm, ObjectKind::kPromise);
  if (!from.empty()) SetEdge(env_, &ts, promise, 0, from.obj, "pending_call.call");
  SetEdge(env_, &ts, promise, 1, p, "pending_call.call");
  Object* listener = Allocate(env_, &ts, vm, ObjectKind::kListener);
  SetEdge(env_, &ts, listener, 0, promise, "pending_call.call");
  Decref(env_, &ts, promise, "pending_call.call");  // the listener holds it now
  endpoint->slots.push_back(listener);              // the endpoint takes the allocation's ref
  env_.Emit(&ts, {.kind = EventKind::kEdgeSet,
                  .vm = vm.index,
                  .obj = endpoint->id,
                  .other = listener->id,
                  .value = -1,
                  .site = "pending_call.call"});

  const CallId id = vm.calls.NextId();
  vm.calls.Add(PendingCall{id, p->proxy.owner, endpoint, listener, promise, promise->id});
  env_.Emit(&ts, {.kind = EventKind::kCallBegin,
                  .vm = vm.index,
                  .obj = promise->id,
                  .other = p->id,
                  .aux = static_cast<int64_t>(id),
                  .site = "pending_call.call"});
  Vm* owner = env_.vm(p->proxy.owner);
  GCS_CHECK(owner != nullptr);
  const Message m{MessageKind::kCall, vm.index, p->proxy.export_id, id, true};
  if (owner->mailbox.Post(m)) {
    env_.Emit(&ts, {.kind = EventKind::kMessageSend,
                    .vm = owner->index,
                    .value = static_cast<int64_t>(MessageKind::kCall),
                    .aux = static_cast<int64_t>(id),
                    .site = "pending_call.call"});
  }
  return id;
}

Status Runtime::Release(ThreadState& ts, const Handle& proxy) {
  if (proxy.empty()) return Status::kEmptyHandle;
  Scope scope(*this, ts, proxy.vm);
  if (!scope.ok()) return scope.status();
  Vm& vm = scope.vm();
  Object* p = proxy.obj;
  if (Status s = ProxyState(p); s != Status::kOk) return s;
  p->flags |= kFlagProxyReleased;
  // Comlink releaseProxy: unregister from proxyFinalizers, then tell the owner.
  for (const auto& e : vm.proxy_registry.UnregisterIf(
           [p](const FinalizationRegistry::Entry& e) { return e.target == p; })) {
    env_.Emit(&ts, {.kind = EventKind::kRegistryUnregister,
                    .vm = vm.index,
                    .obj = e.target_id,
                    .other = e.held != nullptr ? e.held->id : kNoAlloc,
                    .value = static_cast<int64_t>(e.token),
                    .aux = 1,
                    .site = "proxy.release"});
    if (e.held != nullptr) Decref(env_, &ts, e.held, "proxy.release");
  }
  SendRelease(ts, vm, p, p->proxy.export_id, p->proxy.owner);
  return Status::kOk;
}

void Runtime::SendRelease(ThreadState& ts, Vm& vm, const Object* proxy, ExportId id,
                          VmIndex owner) {
  Vm* ovm = env_.vm(owner);
  GCS_CHECK(ovm != nullptr);
  env_.Emit(&ts, {.kind = EventKind::kProxyRelease,
                  .vm = vm.index,
                  .obj = proxy != nullptr ? proxy->id : kNoAlloc,
                  .value = owner,
                  .aux = static_cast<int64_t>(id),
                  .site = "proxy.release"});
  if (ovm->mailbox.Post(Message{MessageKind::kRelease, vm.index, id, 0, true})) {
    env_.Emit(&ts, {.kind = EventKind::kMessageSend,
                    .vm = owner,
                    .value = static_cast<int64_t>(MessageKind::kRelease),
                    .aux = static_cast<int64_t>(id),
                    .site = "proxy.release"});
  }
}

void Runtime::DeliverMessages(ThreadState& ts, Vm& vm) {
  std::vector<Message> messages = vm.mailbox.Take();
  for (const Message& m : messages) {
    GCS_SCHED_POINT(env_.hooks, "mailbox.deliver");
    ++safe_point_work_;
    const int64_t aux =
        static_cast<int64_t>(m.kind == MessageKind::kRelease ? m.export_id : m.call);
    env_.Emit(&ts, {.kind = EventKind::kMessageDeliver,
                    .vm = vm.index,
                    .value = static_cast<int64_t>(m.kind),
                    .aux = aux,
                    .site = "mailbox.deliver"});
    switch (m.kind) {
      case MessageKind::kRelease:
        if (auto gone = vm.exports.Release(m.from, m.export_id)) {
          env_.Emit(&ts, {.kind = EventKind::kExportDrop,
                          .vm = vm.index,
                          .obj = gone->obj_id,
                          .value = m.from,
                          .aux = static_cast<int64_t>(gone->id),
                          .site = "mailbox.deliver"});
          Decref(env_, &ts, gone->obj, "mailbox.deliver");
        }
        break;
      case MessageKind::kCall: {
        auto entry = vm.exports.Lookup(m.from, m.export_id);
        if (entry) {
          env_.Emit(&ts, {.kind = EventKind::kCallServe,
                          .vm = vm.index,
                          .obj = entry->obj_id,
                          .aux = static_cast<int64_t>(m.call),
                          .site = "mailbox.deliver"});
        }
        Vm* caller = env_.vm(m.from);
        GCS_CHECK(caller != nullptr);
        if (caller->mailbox.Post(
                Message{MessageKind::kReply, vm.index, m.export_id, m.call, entry.has_value()})) {
          env_.Emit(&ts, {.kind = EventKind::kMessageSend,
                          .vm = m.from,
                          .value = static_cast<int64_t>(MessageKind::kReply),
                          .aux = static_cast<int64_t>(m.call),
                          .site = "mailbox.deliver"});
        }
        break;
      }
      case MessageKind::kReply:
        SettleCall(ts, vm, m.call, !m.ok);
        break;
    }
  }
  if (!messages.empty()) GCS_SCHED_POINT(env_.hooks, "mailbox.delivered");
}

void Runtime::SettleCall(ThreadState& ts, Vm& vm, CallId id, bool rejected) {
  auto call = vm.calls.Take(id);
  if (!call) return;  // already rejected by a termination
  auto& slots = call->endpoint->slots;
  for (auto it = slots.begin(); it != slots.end(); ++it) {
    if (*it != call->listener) continue;
    slots.erase(it);
    break;
  }
  env_.Emit(&ts, {.kind = EventKind::kEdgeClear,
                  .vm = vm.index,
                  .obj = call->endpoint->id,
                  .other = call->listener->id,
                  .value = -1,
                  .site = "pending_call.settle"});
  env_.Emit(&ts, {.kind = EventKind::kCallSettle,
                  .vm = vm.index,
                  .obj = call->promise_id,
                  .value = rejected ? 1 : 0,
                  .aux = static_cast<int64_t>(id),
                  .site = "pending_call.settle"});
  Decref(env_, &ts, call->listener, "pending_call.settle");
}

}  // namespace gcs::core
