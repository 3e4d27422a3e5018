// gcstress core — Runtime: the public API of the built-in object-lifetime core ("lifetime").
//
// A small managed-object runtime with the mechanisms of the five seed systems: VMs with their own
// heap, type table and lock; refcounted objects with reference fields; a reference pool for drops
// made without the lock; a CPython-style cycle collector; weak references; finalization
// registries; cross-VM proxies with per-destination export tables, release messages and pending
// calls; worker termination; and PocketPy-style VM switching. ../shared/DESIGN.md §3 is the
// specification; each seed bug is a fault switch (faults.def) selecting its historical code path.
//
// Threads and locks:
//  * Every harness thread registers a ThreadState and passes it to every call; a ThreadState is
//    used by its own thread only.
//  * A VM's lock (its GIL) guards everything in the VM. A thread holds it across calls after
//    Attach; any other call that needs it takes it for the call's duration (an implicit guard),
//    and every acquisition is a safe point: the VM's reference pool is drained, its mailbox
//    delivered and its registry callbacks run. A thread never holds two VM locks: operations
//    spanning VMs (export, destroy, terminate) release one before taking the next.
//  * Clone and Drop never take a lock: with the object's VM attached they apply at once;
//    otherwise a drop is queued in the VM's reference pool and a clone is refused.
//  * Failed lock acquisitions and waits go through SchedHooks, so a deterministic scheduler sees
//    every blocked thread.
//
// Errors: bad use (an empty handle, attaching twice, a destroyed VM, a stale proxy) returns a
// Status, never undefined behaviour. Handles are plain values: the harness must not use a handle
// after dropping it (dropping is what ends it), exactly like a PyO3 Py<T>.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "core/env.h"
#include "core/faults.h"
#include "core/ids.h"
#include "core/object.h"
#include "core/observer.h"
#include "core/sched_hooks.h"
#include "core/status.h"

namespace gcs::core {

class Vm;

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kQuarantineByDefault = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kQuarantineByDefault = false;
#else
inline constexpr bool kQuarantineByDefault = true;
#endif
#else
inline constexpr bool kQuarantineByDefault = true;
#endif

struct RuntimeOptions {
  FaultSet faults;
  Observer* observer = nullptr;  // must outlive the Runtime's last call
  SchedHooks* hooks = nullptr;   // nullptr: free-running (locks spin-yield)
  // Keep freed objects' memory poisoned until the Runtime dies, so faulty paths touching it are
  // deterministic; off under ASan so that ASan sees real frees.
  bool quarantine = kQuarantineByDefault;
};

// One strong reference. Copying the struct does not copy the reference: Clone does.
struct Handle {
  Object* obj = nullptr;
  AllocId id = kNoAlloc;
  VmIndex vm = kNoVm;
  bool empty() const { return obj == nullptr; }
};

struct WeakHandle {
  VmIndex vm = kNoVm;
  uint32_t cell = 0;
  AllocId id = kNoAlloc;  // the target's id, for reports
};

struct RegistryHandle {
  VmIndex vm = kNoVm;
  RegistryToken token = 0;
};

struct ObjectInfo {
  AllocId id;
  VmIndex vm;
  ObjectKind kind;
  int64_t refcount;
  uint32_t flags;
};

class Runtime {
 public:
  explicit Runtime(const RuntimeOptions& options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // --- threads and VMs ---
  // Registers a thread whose current VM is `current` (which may be created afterwards).
  ThreadState& AddThread(VmIndex current);
  // Creates VM `index` (a worker's VM if `worker`), constructing it with current = that VM.
  Status CreateVm(ThreadState& ts, VmIndex index, bool worker);
  // PocketPy's py_switchvm: makes `index` the thread's current VM, creating it first if new.
  // Fault vm-switch-stale-current constructs it while current still names the old VM.
  Status SwitchVm(ThreadState& ts, VmIndex index);
  // Waits until no thread is inside the VM, cuts it off from its peers (rejects calls into it,
  // invalidates proxies into it, drops exports held for it) and frees its heap with current = it.
  // The caller must not be attached to any VM (kBusy): it waits, and must hold nothing meanwhile.
  Status DestroyVm(ThreadState& ts, VmIndex index);
  // Terminates a worker: as DestroyVm, after marking it terminated (its thread must stop at its
  // next step). Fault terminate-keeps-listeners keeps pending calls and proxy registrations.
  Status Terminate(ThreadState& ts, VmIndex worker);
  Status Attach(ThreadState& ts);
  Status Detach(ThreadState& ts);
  // A safe point on the current VM (the `yield` op): pool, mailbox, registry callbacks.
  Status SafePoint(ThreadState& ts);
  // The thread is done: releases its VM lock if it holds one.
  void ThreadExit(ThreadState& ts);

  // --- objects ---
  Result<Handle> New(ThreadState& ts, ObjectKind kind);  // kPlain or kSubclass, in the current VM
  Result<Handle> Clone(ThreadState& ts, const Handle& h);
  Status Drop(ThreadState& ts, const Handle& h);
  Status SetField(ThreadState& ts, const Handle& h, int field, const Handle& to);
  Status ClearField(ThreadState& ts, const Handle& h, int field);
  // Dereferences an object, or resolves a proxy through its owner's export table.
  Status Use(ThreadState& ts, const Handle& h);
  Result<size_t> Collect(ThreadState& ts, VmIndex vm);
  Result<std::vector<AllocId>> Enumerate(ThreadState& ts, VmIndex vm);
  Result<WeakHandle> MakeWeak(ThreadState& ts, const Handle& h);
  // An empty Handle (and kOk) once the target is gone.
  Result<Handle> Upgrade(ThreadState& ts, const WeakHandle& w);
  // `held` may be empty.
  Result<RegistryHandle> Register(ThreadState& ts, const Handle& target, const Handle& held);
  Status Unregister(ThreadState& ts, const RegistryHandle& r);

  // --- cross-VM proxies ---
  // Exports h's object to VM `dest` and returns the proxy created there.
  Result<Handle> Export(ThreadState& ts, const Handle& h, VmIndex dest);
  // Starts a call through `proxy`; the pending call holds `from` (may be empty) until settled.
  Result<CallId> Call(ThreadState& ts, const Handle& proxy, const Handle& from);
  Status Release(ThreadState& ts, const Handle& proxy);

  // --- introspection (for oracles; call only while no other thread runs core code) ---
  std::optional<ObjectInfo> Inspect(AllocId id) const;
  std::vector<AllocId> LiveObjects() const;
  bool VmExists(VmIndex index) const;
  bool VmAlive(VmIndex index) const;
  bool IsTerminated(VmIndex index) const;
  size_t PendingCalls(VmIndex index) const;
  const FaultSet& faults() const { return env_.faults; }
  AllocId allocated() const { return env_.allocator.allocated(); }

  // Teardown support: repeats safe points and full collections on every live VM, in index order,
  // until a round frees nothing and delivers nothing (at most `max_rounds`). The caller must not
  // be attached.
  void Quiesce(ThreadState& ts, int max_rounds = 8);

 private:
  class Scope;
  Status CloseVm(ThreadState& ts, VmIndex index, bool terminate);
  void CutOffPeer(ThreadState& ts, Vm& peer, VmIndex closing, bool keep_listeners);
  void SafePointWork(ThreadState& ts, Vm& vm);
  void DeliverMessages(ThreadState& ts, Vm& vm);
  void RunRegistryCallbacks(ThreadState& ts, Vm& vm);
  void SettleCall(ThreadState& ts, Vm& vm, CallId id, bool rejected);
  void SendRelease(ThreadState& ts, Vm& vm, const Object* proxy, ExportId id, VmIndex owner);
  Object* EndpointFor(ThreadState& ts, Vm& vm, VmIndex peer, bool* created);
  Status EnterState(Vm* vm) const;
  Vm* CreateVmObject(VmIndex index, bool worker);

  Env env_;
  std::deque<ThreadState> threads_;
  std::array<std::unique_ptr<Vm>, kMaxVms> vm_storage_;
  std::array<std::atomic<bool>, kMaxVms> vm_reserved_{};
  std::atomic<uint64_t> safe_point_work_{0};  // pool entries, messages and callbacks handled
};

}  // namespace gcs::core
