// gcstress core — Runtime: threads, VMs, attach/detach, objects, weak refs, registries.
#include "core/runtime.h"

#include "core/check.h"
#include "core/cycle_collector.h"
#include "core/lifecycle.h"
#include "core/reference_pool.h"
#include "core/runtime_scope.h"
#include "core/vm.h"

namespace gcs::core {

Runtime::Runtime(const RuntimeOptions& options)
    : env_(options.faults, options.observer, options.hooks, options.quarantine) {}

// Memory goes with the Allocator; no events are reported (the observer may be gone).
Runtime::~Runtime() = default;

ThreadState& Runtime::AddThread(VmIndex current) {
  ThreadState& ts = threads_.emplace_back();
  ts.index = static_cast<ThreadIndex>(threads_.size() - 1);
  ts.current_vm = current;
  return ts;
}

Status Runtime::EnterState(Vm* vm) const {
  switch (vm->state.load()) {
    case VmState::kAlive:
      return Status::kOk;
    case VmState::kClosing:
    case VmState::kDestroyed:
      return vm->terminated.load() ? Status::kTerminated : Status::kVmDestroyed;
  }
  return Status::kVmDestroyed;
}

Vm* Runtime::CreateVmObject(VmIndex index, bool worker) {
  vm_storage_[index] =
      std::make_unique<Vm>(index, worker, env_.faults.Has(Fault::kProxySharedTable));
  return vm_storage_[index].get();
}

Status Runtime::CreateVm(ThreadState& ts, VmIndex index, bool worker) {
  if (index >= kMaxVms) return Status::kTooManyVms;
  if (vm_reserved_[index].exchange(true)) return Status::kVmExists;
  Vm* vm = CreateVmObject(index, worker);
  const VmIndex saved = ts.current_vm;
  ts.current_vm = index;
  ConstructVm(env_, ts, *vm);
  ts.current_vm = saved;
  env_.vms[index].store(vm, std::memory_order_release);
  return Status::kOk;
}

Status Runtime::SwitchVm(ThreadState& ts, VmIndex index) {
  if (index >= kMaxVms) return Status::kTooManyVms;
  if (ts.attached_vm != kNoVm) return Status::kAlreadyAttached;
  auto switch_current = [&] {
    const VmIndex old = ts.current_vm;
    ts.current_vm = index;
    env_.Emit(&ts, {.kind = EventKind::kVmSwitch, .vm = index, .value = old, .site = "vm.switch"});
  };
  if (Vm* vm = env_.vm(index); vm != nullptr) {
    if (Status s = EnterState(vm); s != Status::kOk) return s;
    switch_current();
    return Status::kOk;
  }
  if (vm_reserved_[index].exchange(true)) return Status::kVmExists;  // another thread creates it
  Vm* vm = CreateVmObject(index, /*worker=*/false);
  if (env_.faults.Has(Fault::kVmSwitchStaleCurrent)) {
    // PocketPy 2.0.0 py_switchvm: the constructor runs before pk_current_vm is updated.
    ConstructVm(env_, ts, *vm);
    switch_current();
  } else {
    switch_current();
    ConstructVm(env_, ts, *vm);
  }
  env_.vms[index].store(vm, std::memory_order_release);
  return Status::kOk;
}

Status Runtime::Attach(ThreadState& ts) {
  if (ts.attached_vm != kNoVm) return Status::kAlreadyAttached;
  Vm* vm = env_.vm(ts.current_vm);
  if (vm == nullptr) return Status::kNoSuchVm;
  vm->inside.fetch_add(1);
  if (Status s = EnterState(vm); s != Status::kOk) {
    vm->LeaveInside(env_.hooks);
    return s;
  }
  vm->lock.Lock(env_.hooks);
  ts.attached_vm = vm->index;
  env_.Emit(&ts, {.kind = EventKind::kAttach, .vm = vm->index, .site = "vm.attach"});
  SafePointWork(ts, *vm);
  return Status::kOk;
}

Status Runtime::Detach(ThreadState& ts) {
  if (ts.attached_vm == kNoVm) return Status::kNotAttached;
  Vm* vm = env_.vm(ts.attached_vm);
  GCS_CHECK(vm != nullptr);
  env_.Emit(&ts, {.kind = EventKind::kDetach, .vm = vm->index, .site = "vm.detach"});
  ts.attached_vm = kNoVm;
  vm->UnlockInside(env_.hooks);
  return Status::kOk;
}

Status Runtime::SafePoint(ThreadState& ts) {
  Scope scope(*this, ts, ts.current_vm);
  if (!scope.ok()) return scope.status();
  // An attached thread's scope ran no safe point on entry; run one now. (An implicit scope just
  // did, and running another is harmless.)
  SafePointWork(ts, scope.vm());
  return Status::kOk;
}

void Runtime::ThreadExit(ThreadState& ts) {
  if (ts.attached_vm != kNoVm) Detach(ts);
}

void Runtime::SafePointWork(ThreadState& ts, Vm& vm) {
  safe_point_work_ += DrainReferencePool(env_, &ts, vm);
  DeliverMessages(ts, vm);
  RunRegistryCallbacks(ts, vm);
}

void Runtime::RunRegistryCallbacks(ThreadState& ts, Vm& vm) {
  if (!vm.user_registry.HasPending() && !vm.proxy_registry.HasPending()) return;
  ++safe_point_work_;
  GCS_SCHED_POINT(env_.hooks, "finalization_registry.callback");
  for (const auto& e : vm.user_registry.TakePending()) {
    env_.Emit(&ts, {.kind = EventKind::kRegistryCallback,
                    .vm = vm.index,
                    .obj = e.target_id,
                    .other = e.held != nullptr ? e.held->id : kNoAlloc,
                    .value = static_cast<int64_t>(e.token),
                    .aux = 0,
                    .site = "finalization_registry.callback"});
    if (e.held != nullptr) Decref(env_, &ts, e.held, "finalization_registry.callback");
  }
  // Comlink's proxyFinalizers: a collected proxy releases its export at the owner.
  for (const auto& e : vm.proxy_registry.TakePending()) {
    env_.Emit(&ts, {.kind = EventKind::kRegistryCallback,
                    .vm = vm.index,
                    .obj = e.target_id,
                    .other = e.held != nullptr ? e.held->id : kNoAlloc,
                    .value = static_cast<int64_t>(e.token),
                    .aux = 1,
                    .site = "finalization_registry.callback"});
    const auto owner = static_cast<VmIndex>(e.cookie >> 48);
    const ExportId id = e.cookie & ((uint64_t{1} << 48) - 1);
    SendRelease(ts, vm, nullptr, id, owner);
    if (e.held != nullptr) Decref(env_, &ts, e.held, "finalization_registry.callback");
  }
}

Result<Handle> Runtime::New(ThreadState& ts, ObjectKind kind) {
  GCS_CHECK(kind == ObjectKind::kPlain || kind == ObjectKind::kSubclass);
  Scope scope(*this, ts, ts.current_vm);
  if (!scope.ok()) return scope.status();
  Object* o = Allocate(env_, &ts, scope.vm(), kind);
  return Handle{o, o->id, o->vm};
}

namespace {
// The state a refcount operation outside any lock can check without touching the object.
Status HandleVmState(const Env& env, const Handle& h, bool attached) {
  if (h.empty()) return Status::kEmptyHandle;
  Vm* vm = env.vm(h.vm);
  if (vm == nullptr) return Status::kNoSuchVm;
  const VmState state = vm->state.load();
  if (state == VmState::kDestroyed || (state == VmState::kClosing && !attached)) {
    return vm->terminated.load() ? Status::kTerminated : Status::kVmDestroyed;
  }
  return Status::kOk;
}
}  // namespace

Result<Handle> Runtime::Clone(ThreadState& ts, const Handle& h) {
  const bool attached = ts.attached_vm == h.vm;
  if (Status s = HandleVmState(env_, h, attached); s != Status::kOk) return s;
  if (attached) {
    Incref(env_, &ts, h.obj, "runtime.clone");
    return h;
  }
  if (env_.faults.Has(Fault::kRefpoolDeferredIncref)) {
    // PyO3 0.21.2: Py::clone without the GIL defers the incref to the pool.
    env_.vm(h.vm)->pool.Queue(env_, &ts, h.obj, +1);
    return h;
  }
  return Status::kCloneWhileDetached;
}

Status Runtime::Drop(ThreadState& ts, const Handle& h) {
  const bool attached = ts.attached_vm == h.vm;
  if (Status s = HandleVmState(env_, h, attached); s != Status::kOk) return s;
  if (attached) {
    Decref(env_, &ts, h.obj, "runtime.drop");
  } else {
    env_.vm(h.vm)->pool.Queue(env_, &ts, h.obj, -1);
  }
  return Status::kOk;
}

namespace {
bool HasFields(const Object* o) {
  return o->kind == ObjectKind::kPlain || o->kind == ObjectKind::kSubclass;
}
}  // namespace

Status Runtime::SetField(ThreadState& ts, const Handle& h, int field, const Handle& to) {
  if (h.empty() || to.empty()) return Status::kEmptyHandle;
  if (field < 0 || field >= kMaxFields) return Status::kFieldIndex;
  if (to.vm != h.vm) return Status::kCrossVmReference;
  Scope scope(*this, ts, h.vm);
  if (!scope.ok()) return scope.status();
  if (!HasFields(h.obj)) return Status::kFieldIndex;
  SetEdge(env_, &ts, h.obj, field, to.obj, "runtime.set");
  return Status::kOk;
}

Status Runtime::ClearField(ThreadState& ts, const Handle& h, int field) {
  if (h.empty()) return Status::kEmptyHandle;
  if (field < 0 || field >= kMaxFields) return Status::kFieldIndex;
  Scope scope(*this, ts, h.vm);
  if (!scope.ok()) return scope.status();
  if (!HasFields(h.obj)) return Status::kFieldIndex;
  ClearEdge(env_, &ts, h.obj, field, "runtime.clear");
  return Status::kOk;
}

Result<size_t> Runtime::Collect(ThreadState& ts, VmIndex index) {
  Scope scope(*this, ts, index);
  if (!scope.ok()) return scope.status();
  return core::Collect(env_, ts, scope.vm());
}

Result<std::vector<AllocId>> Runtime::Enumerate(ThreadState& ts, VmIndex index) {
  Scope scope(*this, ts, index);
  if (!scope.ok()) return scope.status();
  return core::Enumerate(env_, ts, scope.vm());
}

Result<WeakHandle> Runtime::MakeWeak(ThreadState& ts, const Handle& h) {
  if (h.empty()) return Status::kEmptyHandle;
  Scope scope(*this, ts, h.vm);
  if (!scope.ok()) return scope.status();
  return WeakHandle{h.vm, scope.vm().weak.Add(h.obj), h.id};
}

Result<Handle> Runtime::Upgrade(ThreadState& ts, const WeakHandle& w) {
  if (w.cell == 0) return Status::kEmptyHandle;
  Scope scope(*this, ts, w.vm);
  if (!scope.ok()) return scope.status();
  if (!scope.vm().weak.Valid(w.cell)) return Status::kEmptyHandle;
  Object* target = scope.vm().weak.Get(w.cell);
  if (target == nullptr) return Handle{};
  Incref(env_, &ts, target, "weak_ref.upgrade");
  return Handle{target, target->id, target->vm};
}

Result<RegistryHandle> Runtime::Register(ThreadState& ts, const Handle& target,
                                         const Handle& held) {
  if (target.empty()) return Status::kEmptyHandle;
  if (!held.empty() && held.vm != target.vm) return Status::kCrossVmReference;
  if (!held.empty() && held.obj == target.obj) return Status::kHeldIsTarget;
  Scope scope(*this, ts, target.vm);
  if (!scope.ok()) return scope.status();
  if (!held.empty()) Incref(env_, &ts, held.obj, "finalization_registry.register");
  const RegistryToken token = scope.vm().user_registry.Register(target.obj, held.obj, 0);
  env_.Emit(&ts, {.kind = EventKind::kRegistryRegister,
                  .vm = target.vm,
                  .obj = target.id,
                  .other = held.id,
                  .value = static_cast<int64_t>(token),
                  .aux = 0,
                  .site = "finalization_registry.register"});
  return RegistryHandle{target.vm, token};
}

Status Runtime::Unregister(ThreadState& ts, const RegistryHandle& r) {
  if (r.token == 0) return Status::kUnknownToken;
  Scope scope(*this, ts, r.vm);
  if (!scope.ok()) return scope.status();
  auto entry = scope.vm().user_registry.Unregister(r.token);
  if (!entry) return Status::kUnknownToken;
  env_.Emit(&ts, {.kind = EventKind::kRegistryUnregister,
                  .vm = r.vm,
                  .obj = entry->target_id,
                  .other = entry->held != nullptr ? entry->held->id : kNoAlloc,
                  .value = static_cast<int64_t>(r.token),
                  .aux = 0,
                  .site = "finalization_registry.unregister"});
  if (entry->held != nullptr) Decref(env_, &ts, entry->held, "finalization_registry.unregister");
  return Status::kOk;
}

std::optional<ObjectInfo> Runtime::Inspect(AllocId id) const {
  const Object* o = env_.allocator.Find(id);
  if (o == nullptr) return std::nullopt;
  return ObjectInfo{o->id, o->vm, o->kind, o->refcount.load(std::memory_order_relaxed), o->flags};
}

std::vector<AllocId> Runtime::LiveObjects() const {
  return env_.allocator.LiveIds();
}

bool Runtime::VmExists(VmIndex index) const {
  return env_.vm(index) != nullptr;
}

bool Runtime::VmAlive(VmIndex index) const {
  const Vm* vm = env_.vm(index);
  return vm != nullptr && vm->state.load() == VmState::kAlive;
}

bool Runtime::IsTerminated(VmIndex index) const {
  const Vm* vm = env_.vm(index);
  return vm != nullptr && vm->terminated.load();
}

size_t Runtime::PendingCalls(VmIndex index) const {
  const Vm* vm = env_.vm(index);
  return vm == nullptr ? 0 : vm->calls.size();
}

void Runtime::Quiesce(ThreadState& ts, int max_rounds) {
  GCS_CHECK_MSG(ts.attached_vm == kNoVm, "Quiesce needs a detached thread");
  for (int round = 0; round < max_rounds; ++round) {
    const size_t live_before = env_.allocator.LiveCount();
    const uint64_t work_before = safe_point_work_;
    for (VmIndex i = 0; i < kMaxVms; ++i) {
      if (!VmAlive(i)) continue;
      Scope scope(*this, ts, i);
      if (!scope.ok()) continue;
      core::Collect(env_, ts, scope.vm());
    }
    if (env_.allocator.LiveCount() == live_before && safe_point_work_ == work_before) break;
  }
}

}  // namespace gcs::core
