// gcstress core — Runtime: destroying a VM and terminating a worker.
//
// Closing a VM, in order:
//  1. state → closing: no thread may enter any more (those that try get vm-destroyed or
//     terminated); the VM's own thread, if it is a worker, stops at its next step.
//  2. wait until no thread is inside (attached, or mid-operation such as a collection with the
//     world restarted). The caller must hold no VM lock (busy otherwise), so nothing it holds
//     can keep a thread inside from finishing.
//  3. cut it off from every other VM, one VM lock at a time: pending calls into it are rejected
//     and their listeners removed; proxies into it are unregistered from their VM's proxy
//     registry and invalidated (using one is the clean error target-terminated); exports other
//     VMs hold for it are dropped (its proxies die with it, so nobody will release them).
//  4. free its heap with current = it, close its mailbox, release its type table.
//
// Fault terminate-keeps-listeners (Comlink 4.4.1, #655): on termination step 3 keeps the pending
// calls' listeners and the proxy registry entries, so registry → endpoint → listener → promise →
// calling object → proxy stays reachable forever.
#include <thread>

#include "core/check.h"
#include "core/lifecycle.h"
#include "core/runtime.h"
#include "core/vm.h"

namespace gcs::core {

Status Runtime::DestroyVm(ThreadState& ts, VmIndex index) {
  return CloseVm(ts, index, false);
}

Status Runtime::Terminate(ThreadState& ts, VmIndex worker) {
  return CloseVm(ts, worker, true);
}

void Runtime::CutOffPeer(ThreadState& ts, Vm& peer, VmIndex closing, bool keep_listeners) {
  if (!keep_listeners) {
    for (const PendingCall& call : peer.calls.TakeAllTo(closing)) {
      peer.calls.Add(call);  // SettleCall takes it back out
      SettleCall(ts, peer, call.id, /*rejected=*/true);
    }
    for (const auto& e : peer.proxy_registry.UnregisterIf([closing](const auto& e) {
           return static_cast<VmIndex>(e.cookie >> 48) == closing;
         })) {
      env_.Emit(&ts, {.kind = EventKind::kRegistryUnregister,
                      .vm = peer.index,
                      .obj = e.target_id,
                      .other = e.held != nullptr ? e.held->id : kNoAlloc,
                      .value = static_cast<int64_t>(e.token),
                      .aux = 1,
                      .site = "worker.close"});
      if (e.held != nullptr) Decref(env_, &ts, e.held, "worker.close");
    }
  }
  for (Object* o = peer.heap.first(); o != nullptr; o = o->heap_next) {
    if (o->kind != ObjectKind::kProxy || o->proxy.owner != closing) continue;
    if ((o->flags & kFlagProxyInvalid) != 0) continue;
    o->flags |= kFlagProxyInvalid;
    env_.Emit(&ts, {.kind = EventKind::kProxyInvalidate,
                    .vm = peer.index,
                    .obj = o->id,
                    .value = closing,
                    .site = "worker.close"});
  }
  for (const auto& e : peer.exports.DropTable(closing)) {
    env_.Emit(&ts, {.kind = EventKind::kExportDrop,
                    .vm = peer.index,
                    .obj = e.obj_id,
                    .value = closing,
                    .aux = static_cast<int64_t>(e.id),
                    .site = "worker.close"});
    Decref(env_, &ts, e.obj, "worker.close");
  }
}

Status Runtime::CloseVm(ThreadState& ts, VmIndex index, bool terminate) {
  Vm* vm = env_.vm(index);
  if (vm == nullptr) return Status::kNoSuchVm;
  if (terminate && !vm->worker) return Status::kNotAWorker;
  // Waiting for the VM to empty while holding a VM lock — or while attached, which counts as
  // being inside — could wait forever: two threads attached to A and B destroying each other's
  // VM would each wait for the other. A closing thread holds nothing.
  if (ts.attached_vm != kNoVm) return Status::kBusy;
  VmState expected = VmState::kAlive;
  if (!vm->state.compare_exchange_strong(expected, VmState::kClosing)) return EnterState(vm);
  if (terminate) vm->terminated.store(true);

  // Step 2.
  while (vm->inside.load() != 0) {
    if (env_.hooks != nullptr) {
      env_.hooks->Wait(MakeResource(ResourceKind::kVmQuiesce, index));
    } else {
      std::this_thread::yield();
    }
  }

  // Step 3, one peer at a time in index order.
  const bool keep_listeners = terminate && env_.faults.Has(Fault::kTerminateKeepsListeners);
  for (VmIndex i = 0; i < kMaxVms; ++i) {
    Vm* peer = env_.vm(i);
    if (peer == nullptr || peer == vm || peer->state.load() == VmState::kDestroyed) continue;
    peer->LockInside(env_.hooks);
    CutOffPeer(ts, *peer, index, keep_listeners);
    peer->UnlockInside(env_.hooks);
  }

  // Step 4.
  vm->LockInside(env_.hooks);
  const VmIndex saved = ts.current_vm;
  ts.current_vm = index;
  if (terminate) {
    env_.Emit(&ts, {.kind = EventKind::kTerminate, .vm = index, .site = "worker.terminate"});
  }
  env_.Emit(&ts, {.kind = EventKind::kVmDestroyBegin, .vm = index, .site = "vm.destroy"});
  vm->mailbox.Close();
  vm->pool.Take();      // queued drops of objects that are about to go with the heap
  vm->calls.TakeAll();  // its listeners and promises live in its heap
  for (const auto& e : vm->exports.DropAll()) {
    env_.Emit(&ts, {.kind = EventKind::kExportDrop,
                    .vm = index,
                    .obj = e.obj_id,
                    .aux = static_cast<int64_t>(e.id),
                    .site = "vm.destroy"});
  }
  const size_t freed = FreeHeap(env_, ts, *vm);
  vm->state.store(VmState::kDestroyed);
  env_.Emit(&ts, {.kind = EventKind::kVmDestroyEnd,
                  .vm = index,
                  .value = static_cast<int64_t>(freed),
                  .site = "vm.destroy"});
  ts.current_vm = saved;
  vm->UnlockInside(env_.hooks);
  return Status::kOk;
}

}  // namespace gcs::core
