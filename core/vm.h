// gcstress core — Vm: one VM's heap, type table, lock, pool, mailbox, registries and exports.
#pragma once

#include <array>
#include <atomic>

#include "core/env.h"
#include "core/finalization_registry.h"
#include "core/heap.h"
#include "core/mailbox.h"
#include "core/pending_call.h"
#include "core/proxy_table.h"
#include "core/reference_pool.h"
#include "core/sched_lock.h"
#include "core/weak_ref.h"

namespace gcs::core {

// A VM's life: kAlive → kClosing (destroy or terminate started: no thread may enter; those inside
// finish) → kDestroyed (heap freed). The Vm object itself lives as long as the Runtime, so stale
// indices and handles are answered with an error instead of touching freed memory.
enum class VmState : uint8_t { kAlive, kClosing, kDestroyed };

class Vm {
 public:
  Vm(VmIndex vm_index, bool is_worker, bool shared_export_table)
      : index(vm_index),
        worker(is_worker),
        lock(MakeResource(ResourceKind::kVmLock, vm_index)),
        exports(shared_export_table) {}
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  // Entering and leaving as the core itself does for a moment (not a thread's attach): counts as
  // inside, takes the lock. Leaving signals "quiesced" to whoever waits for the VM to empty.
  void LockInside(SchedHooks* hooks) {
    inside.fetch_add(1);
    lock.Lock(hooks);
  }
  void UnlockInside(SchedHooks* hooks) {
    lock.Unlock(hooks);
    LeaveInside(hooks);
  }
  void LeaveInside(SchedHooks* hooks) {
    if (inside.fetch_sub(1) == 1 && hooks != nullptr) {
      hooks->Signal(MakeResource(ResourceKind::kVmQuiesce, index));
    }
  }

  const VmIndex index;
  const bool worker;  // a worker's VM: can be terminated
  std::atomic<VmState> state{VmState::kAlive};
  std::atomic<bool> terminated{false};

  // The VM's lock (its GIL) and the count of threads inside it (attached, or in an operation,
  // including one that released the lock mid-way like the collector). Destroy and terminate wait
  // for `inside` to reach zero.
  SchedLock lock;
  std::atomic<int> inside{0};

  // Everything below is guarded by `lock`, except the leaf-locked pool, mailbox and exports.
  Heap heap;
  std::array<Object*, kObjectKindCount> types{};  // strong; the builtin type objects
  WeakTable weak;
  ReferencePool pool;
  Mailbox mailbox;
  FinalizationRegistry user_registry;
  FinalizationRegistry proxy_registry;  // Comlink's proxyFinalizers: releases collected proxies
  ExportTables exports;
  std::array<Object*, kMaxVms> endpoints{};  // weak: this VM's endpoint to each peer, if any
  PendingCalls calls;
  bool collecting = false;
};

// Builds `vm`'s type table: one type object per built-in kind, each allocated through the
// thread's *current* VM — the caller decides what "current" is while this runs, which is exactly
// where vm-switch-stale-current goes wrong. A schedule point precedes each registration. `vm` is
// not yet published (no other thread can reach it), so it needs no lock; another VM that the
// current VM names is locked around each allocation.
void ConstructVm(Env& env, ThreadState& ts, Vm& vm);

// Frees every object of the heap whatever its refcount (finalizers first, then weak references,
// then memory), drops the registries, and releases the type table. Returns the objects freed.
// The caller holds the VM's lock and has set the thread's current VM to it.
size_t FreeHeap(Env& env, ThreadState& ts, Vm& vm);

}  // namespace gcs::core
