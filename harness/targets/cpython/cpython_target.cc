// gcstress target — CpythonTarget: executions, threads, interpreters and liveness.
// The adapter's header comes first: it brings Python.h, which must precede the standard headers.
#include "harness/targets/cpython/cpython_adapter.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "core/check.h"
#include "core/status.h"
#include "harness/targets/cpython/cpython_runtime.h"
#include "harness/targets/cpython/cpython_target.h"

namespace gcs::cpython {

thread_local CpythonTarget::ThreadCtx* CpythonTarget::acting_ = nullptr;

namespace {

// The real GIL is per process, and so is the model in front of it (cpython_gil.h): executions
// of several targets in one process (gcstress --jobs) take turns, each holding this from its
// Begin to its End — both on the engine's thread, outside any controlled thread, so waiting here
// never hides a thread from a scheduler.
std::mutex g_execution_mutex;

constexpr const char* kCapsuleName = "gcstress.cpython_target";

struct FaultInfo {
  std::string_view name;
  std::string_view help;
};
constexpr FaultInfo kFaults[] = {
#define GCS_CPYTHON_FAULT(Name, name, help) {name, help},
#include "harness/targets/cpython/cpython_faults.def"
#undef GCS_CPYTHON_FAULT
};
static_assert(std::size(kFaults) == static_cast<size_t>(Fault::kCount));

CpythonTarget* FromCapsule(PyObject* capsule) {
  auto* target = static_cast<CpythonTarget*>(PyCapsule_GetPointer(capsule, kCapsuleName));
  GCS_CHECK(target != nullptr);
  return target;
}

PyObject* ProbeCallback(PyObject* self, PyObject* weakref) {
  FromCapsule(self)->OnProbe(weakref);
  Py_RETURN_NONE;
}

PyObject* RegistryCallback(PyObject* self, PyObject* /*args: the held value, if any*/) {
  const auto registration = reinterpret_cast<uintptr_t>(PyCapsule_GetContext(self));
  FromCapsule(self)->OnRegistryCallback(registration);
  Py_RETURN_NONE;
}

PyMethodDef kProbeDef = {"gcstress_probe", ProbeCallback, METH_O, nullptr};
PyMethodDef kRegistryDef = {"gcstress_registry_callback", RegistryCallback, METH_VARARGS, nullptr};

PyObject* NewCallback(CpythonTarget* target, PyMethodDef* def, uintptr_t context) {
  PyObject* capsule = Checked(PyCapsule_New(target, kCapsuleName, nullptr), "capsule");
  GCS_CHECK(PyCapsule_SetContext(capsule, reinterpret_cast<void*>(context)) == 0);
  PyObject* callback = Checked(PyCFunction_New(def, capsule), "callback");
  Py_DECREF(capsule);  // the function holds it
  return callback;
}

StepResult Error(core::Status s) {
  return StepResult{core::StatusName(s)};
}

}  // namespace

PyObject* NewProbeCallback(CpythonTarget* target) {
  return NewCallback(target, &kProbeDef, 0);
}

PyObject* NewRegistryCallback(CpythonTarget* target, size_t registration) {
  return NewCallback(target, &kRegistryDef, registration);
}

CpythonTarget::~CpythonTarget() {
  GCS_CHECK_MSG(threads_.empty(), "a cpython execution was begun and never ended");
}

OpSet CpythonTarget::SupportedOps() const {
  return *BuiltinTargetOps("cpython");
}

std::vector<std::string> CpythonTarget::FaultNames() const {
  std::vector<std::string> names;
  for (const FaultInfo& f : kFaults)
    names.emplace_back(f.name);
  return names;
}

void CpythonTarget::Emit(core::EventKind kind, int16_t vm, core::AllocId obj, const char* site,
                         int64_t value, core::AllocId other) {
  if (observer_ == nullptr) return;
  const ThreadCtx* ts =
      acting_ != nullptr && acting_->owner == this ? acting_ : threads_.back().get();
  core::Event e;
  e.kind = kind;
  e.vm = vm < 0 ? core::kNoVm : static_cast<core::VmIndex>(vm);
  e.current_vm = static_cast<core::VmIndex>(ts->current_vm);
  e.thread = ts->index;
  e.obj = obj;
  e.other = other;
  e.value = value;
  e.site = site;
  observer_->OnEvent(e);
}

// --- one execution

void CpythonTarget::Begin(const TargetExecution& exec) {
  g_execution_mutex.lock();
  EnsureInitialized();
  scenario_ = exec.scenario;
  hooks_ = exec.hooks;
  observer_ = exec.observer;
  faults_.fill(false);
  for (const std::string& name : exec.faults) {
    size_t i = 0;
    while (i < std::size(kFaults) && kFaults[i].name != name)
      ++i;
    GCS_CHECK_MSG(i < std::size(kFaults), "fault names are validated before an execution");
    faults_[i] = true;
  }
  const size_t n = scenario_->threads.size();
  threads_.clear();
  for (size_t t = 0; t <= n; ++t) {
    auto ts = std::make_unique<ThreadCtx>();
    ts->owner = this;
    ts->index = static_cast<uint32_t>(t);
    ts->current_vm = t < n ? scenario_->threads[t].vm : 0;
    ts->tstates.assign(scenario_->vms.size(), nullptr);
    threads_.push_back(std::move(ts));
  }
  vms_.clear();
  for (size_t v = 0; v < scenario_->vms.size(); ++v)
    vms_.push_back(std::make_unique<PyVm>());
  {
    std::lock_guard<std::mutex> guard(mu_);
    slots_.assign(1, Slot{});
    objects_.assign(1, ObjRecord{});
    probes_.clear();
    registrations_.clear();
  }

  // "main" and the workers' VMs exist from the start, as in the core; switch_vm makes the rest.
  ThreadCtx& td = TeardownThread();
  ActingScope acting(td);
  gil_.AcquireUncontended(td.index, Anchor());
  auto create = [&](int16_t v) {
    Emit(core::EventKind::kVmCreateBegin, v, core::kNoAlloc, "cpython.vm-create");
    InitVm(td, v);
    Emit(core::EventKind::kVmCreateEnd, v, core::kNoAlloc, "cpython.vm-create");
  };
  create(0);
  for (const ThreadSpec& t : scenario_->threads) {
    if (t.worker) create(t.vm);
  }
  PyThreadState_Swap(Anchor());
  gil_.Release(hooks_, td.index);
}

void CpythonTarget::InitVm(ThreadCtx& ts, int16_t v) {
  PyVm& vm = Vm(v);
  ts.tstates[static_cast<size_t>(v)] = CreateInterpreter(vm);
  vm.probe_callback = NewProbeCallback(this);
}

PyThreadState* CpythonTarget::TstateFor(ThreadCtx& ts, int16_t vm) {
  PyThreadState*& state = ts.tstates[static_cast<size_t>(vm)];
  if (state == nullptr) {
    GCS_CHECK(Vm(vm).interp != nullptr);
    state = PyThreadState_New(Vm(vm).interp);
    GCS_CHECK(state != nullptr);
  }
  return state;
}

void CpythonTarget::ThreadBegin(uint32_t) {
  // The anchor must be the first thread state this OS thread creates (cpython_runtime.h).
  Anchor();
}

void CpythonTarget::ThreadEnd(uint32_t thread) {
  ThreadCtx& ts = Thread(thread);
  ActingScope acting(ts);
  if (ts.attached_vm >= 0) Detach(ts);
}

void CpythonTarget::Teardown() {
  ThreadCtx& td = TeardownThread();
  ActingScope acting(td);
  gil_.AcquireUncontended(td.index, Anchor());
  // Pools drained and full collections in every live VM until a round frees nothing, then
  // every VM ends (what it still held goes with it, reported as frees inside vm-destroy).
  for (int round = 0; round < 8; ++round) {
    bool progress = false;
    for (size_t v = 0; v < vms_.size(); ++v) {
      const auto vm = static_cast<int16_t>(v);
      if (Vm(vm).state.load() != PyVm::State::kAlive) continue;
      PyThreadState_Swap(TstateFor(td, vm));
      uint64_t before;
      {
        std::lock_guard<std::mutex> guard(mu_);
        before = Vm(vm).frees;
      }
      FlushDeferred(td);
      DrainPool(vm, /*point=*/false);
      {
        FreeContextScope context(td, FreeContext::kCollect);
        PyGC_Collect();
      }
      std::lock_guard<std::mutex> guard(mu_);
      progress = progress || Vm(vm).frees != before;
    }
    if (!progress) break;
  }
  for (size_t v = 0; v < vms_.size(); ++v) {
    const auto vm = static_cast<int16_t>(v);
    if (Vm(vm).state.load() == PyVm::State::kAlive) DestroyVmLocked(td, vm);
  }
  PyThreadState_Swap(Anchor());
  gil_.Release(hooks_, td.index);
}

std::vector<core::AllocId> CpythonTarget::LiveObjects() {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<core::AllocId> live;
  for (size_t id = 1; id < objects_.size(); ++id) {
    if (objects_[id].alive) live.push_back(id);
  }
  return live;
}

std::optional<ObjectState> CpythonTarget::Inspect(core::AllocId id) {
  std::lock_guard<std::mutex> guard(mu_);
  if (id == core::kNoAlloc || id >= objects_.size() || !objects_[id].alive) return std::nullopt;
  const ObjRecord& r = objects_[id];
  // Read without the GIL: the contract has no other thread running target code now.
  return ObjectState{id, static_cast<int64_t>(Py_REFCNT(r.obj)), r.vm};
}

void CpythonTarget::End() {
  if (threads_.empty()) return;  // never begun
  observer_ = nullptr;           // whatever dies from here on, nobody judges it
  ThreadCtx& td = TeardownThread();
  ActingScope acting(td);
  for (const auto& ts : threads_) {
    // A thread that unwound attached (an aborted execution) holds the real GIL on its own OS
    // thread, where nobody can release it. Holders never wait, so this cannot deadlock.
    GCS_CHECK_MSG(ts->attached_vm < 0, "an aborted cpython execution left the GIL held");
  }
  gil_.AcquireUncontended(td.index, Anchor());
  for (size_t v = 0; v < vms_.size(); ++v) {
    const auto vm = static_cast<int16_t>(v);
    if (Vm(vm).state.load() == PyVm::State::kAlive) DestroyVmLocked(td, vm);  // not torn down
  }
  PyThreadState_Swap(Anchor());
  // Leaked objects outlive their interpreter; their probes go now (interpreters share one
  // allocator in 3.11, and the collector untracked the probes when their interpreter ended).
  ReleaseProbes(/*only_dead=*/false, -1);
  gil_.Release(nullptr, td.index);
  threads_.clear();
  vms_.clear();
  {
    std::lock_guard<std::mutex> guard(mu_);
    slots_.clear();
    objects_.clear();
    registrations_.clear();
  }
  g_execution_mutex.unlock();
}

// --- threads and VMs

StepResult CpythonTarget::Attach(ThreadCtx& ts) {
  if (ts.attached_vm >= 0) return Error(core::Status::kAlreadyAttached);
  const int16_t v = ts.current_vm;
  gil_.Lock(hooks_, ts.index);
  if (Vm(v).state.load() != PyVm::State::kAlive) {
    gil_.Unlock(hooks_, ts.index);
    return Error(core::Status::kVmDestroyed);
  }
  PyEval_RestoreThread(TstateFor(ts, v));
  ts.attached_vm = v;
  Emit(core::EventKind::kAttach, v, core::kNoAlloc, "cpython.attach");
  OnGilTaken(ts, v, /*point=*/true);
  return {};
}

StepResult CpythonTarget::Detach(ThreadCtx& ts) {
  if (ts.attached_vm < 0) return Error(core::Status::kNotAttached);
  Emit(core::EventKind::kDetach, ts.attached_vm, core::kNoAlloc, "cpython.detach");
  OnGilReleasing(ts);
  ts.attached_vm = -1;
  gil_.Release(hooks_, ts.index);
  return {};
}

StepResult CpythonTarget::SwitchVm(ThreadCtx& ts, int16_t v) {
  if (ts.attached_vm >= 0) return Error(core::Status::kAlreadyAttached);
  gil_.Lock(hooks_, ts.index);
  const PyVm::State state = Vm(v).state.load();
  if (state != PyVm::State::kNone && state != PyVm::State::kAlive) {
    gil_.Unlock(hooks_, ts.index);
    return Error(core::Status::kVmDestroyed);
  }
  const int16_t old = ts.current_vm;
  ts.current_vm = v;  // before construction, as the fixed core does (PocketPy #315)
  Emit(core::EventKind::kVmSwitch, v, core::kNoAlloc, "cpython.switch", old);
  if (state == PyVm::State::kNone) {
    Emit(core::EventKind::kVmCreateBegin, v, core::kNoAlloc, "cpython.vm-create");
    PyEval_RestoreThread(Anchor());
    InitVm(ts, v);
    PyEval_SaveThread();  // from the new interpreter's state, now this thread's there
    Emit(core::EventKind::kVmCreateEnd, v, core::kNoAlloc, "cpython.vm-create");
  }
  gil_.Unlock(hooks_, ts.index);
  return {};
}

StepResult CpythonTarget::DestroyVm(ThreadCtx& ts, int16_t v) {
  if (ts.attached_vm == v) return Error(core::Status::kBusy);
  const bool attached = ts.attached_vm >= 0;  // elsewhere: this thread holds the GIL already
  if (!attached) gil_.Lock(hooks_, ts.index);
  if (Vm(v).state.load() != PyVm::State::kAlive) {
    if (!attached) gil_.Unlock(hooks_, ts.index);
    return Error(core::Status::kVmDestroyed);
  }
  PyThreadState* resume = attached ? PyThreadState_Get() : Anchor();
  if (!attached) PyEval_RestoreThread(resume);
  DestroyVmLocked(ts, v);
  PyThreadState_Swap(resume);
  if (!attached) gil_.Release(hooks_, ts.index);
  return {};
}

void CpythonTarget::DestroyVmLocked(ThreadCtx& ts, int16_t v) {
  PyVm& vm = Vm(v);
  {
    // Under the pool's lock, so that no drop can queue after the drain below (cpython_ops.cc).
    std::lock_guard<std::mutex> guard(vm.pool_mu);
    vm.state.store(PyVm::State::kClosing);
  }
  PyThreadState* own = TstateFor(ts, v);
  PyThreadState_Swap(own);
  Emit(core::EventKind::kVmDestroyBegin, v, core::kNoAlloc, "cpython.vm-destroy");
  FreeContextScope context(ts, FreeContext::kVmDestroy);
  uint64_t frees_before;
  {
    std::lock_guard<std::mutex> guard(mu_);
    frees_before = vm.frees;
  }
  // Unfired finalizers never fire, as when a core VM's registry dies with it: detached first,
  // before anything they watch can die, and in token order, so that their held values go in a
  // fixed order rather than the finalize registry's dict order (which follows addresses) when
  // the interpreter's modules are torn down.
  for (PyObject* f : vm.finalizers)
    Py_DECREF(Checked(PyObject_CallMethod(f, "detach", nullptr), "finalize.detach"));
  DrainPool(v, /*point=*/false);
  FlushDeferred(ts);

  // The scenario's handles into the VM go with it (the core frees the heap outright; here
  // CPython frees whatever nothing else holds). Slot order, so frees come in a fixed order.
  std::vector<Slot> handles;
  {
    std::lock_guard<std::mutex> guard(mu_);
    for (Slot& s : slots_) {
      if (s.vm != v || s.released) continue;
      s.released = true;
      if (s.kind == BindKind::kHandle) handles.push_back(s);
    }
  }
  for (const Slot& s : handles)
    ReleaseWithVm(s);
  for (int round = 0; round < 8; ++round) {
    uint64_t before;
    {
      std::lock_guard<std::mutex> guard(mu_);
      before = vm.frees;
    }
    PyGC_Collect();
    std::lock_guard<std::mutex> guard(mu_);
    if (vm.frees == before) break;
  }
  ReleaseProbes(/*only_dead=*/true, v);
  ReleaseInterpreterObjects(vm);
  // Py_EndInterpreter wants the ending state to be the interpreter's last one. The others'
  // threads are parked (the GIL is ours); their anchors keep PyGILState's slots valid.
  for (const auto& other : threads_) {
    PyThreadState*& state = other->tstates[static_cast<size_t>(v)];
    if (other.get() == &ts || state == nullptr) continue;
    GCS_CHECK(other->attached_vm != v);
    PyThreadState_Clear(state);
    PyThreadState_Delete(state);
    state = nullptr;
  }
  Py_EndInterpreter(own);  // returns with the GIL held and no current thread state
  ts.tstates[static_cast<size_t>(v)] = nullptr;
  vm.interp = nullptr;
  vm.state.store(PyVm::State::kDestroyed);
  uint64_t freed;
  {
    std::lock_guard<std::mutex> guard(mu_);
    freed = vm.frees - frees_before;
  }
  Emit(core::EventKind::kVmDestroyEnd, v, core::kNoAlloc, "cpython.vm-destroy",
       static_cast<int64_t>(freed));
}

void CpythonTarget::OnGilTaken(ThreadCtx&, int16_t vm, bool point) {
  DrainPool(vm, point);
}

void CpythonTarget::ReleaseWithVm(const Slot& s) {
  if (Alive(s.id)) Py_DECREF(s.ref);  // the guard: a faulty clone may have left two for one
}

void CpythonTarget::DrainPool(int16_t v, bool point) {
  std::vector<PoolEntry> taken;
  {
    std::lock_guard<std::mutex> guard(Vm(v).pool_mu);
    taken.swap(Vm(v).pool);
  }
  if (taken.empty()) return;
  if (point) GCS_SCHED_POINT(hooks_, "cpython.pool-apply");
  for (const PoolEntry& e : taken) {
    Emit(core::EventKind::kPoolApply, v, e.id, "cpython.pool-apply", -1);
    DecrefHandle(e.obj, e.id, "cpython.pool-apply");
  }
}

// --- liveness

core::AllocId CpythonTarget::NewRecord(PyObject* obj, int16_t vm) {
  std::lock_guard<std::mutex> guard(mu_);
  ObjRecord r;
  r.obj = obj;
  r.vm = vm;
  r.alive = true;
  objects_.push_back(r);
  ++Vm(vm).live;
  return objects_.size() - 1;
}

bool CpythonTarget::Alive(core::AllocId id) {
  std::lock_guard<std::mutex> guard(mu_);
  return objects_[id].alive;
}

void CpythonTarget::OnProbe(PyObject* weakref) {
  core::AllocId id;
  {
    std::lock_guard<std::mutex> guard(mu_);
    auto it = probes_.find(weakref);
    GCS_CHECK_MSG(it != probes_.end(), "a probe callback for a weakref the adapter did not make");
    id = it->second;
  }
  ReportFree(id);
}

void CpythonTarget::OnRegistryCallback(size_t registration) {
  Registration r;
  {
    std::lock_guard<std::mutex> guard(mu_);
    GCS_CHECK(registration < registrations_.size());
    r = registrations_[registration];
  }
  ReportFree(r.target);  // runs before the target's probe: see "When free is reported"
  Emit(core::EventKind::kRegistryCallback, r.vm, r.target, "cpython.finalize", r.token, r.held);
}

const char* CpythonTarget::FreeSite(FreeContext c) {
  switch (c) {
    case FreeContext::kDealloc:
      return "cpython.dealloc";
    case FreeContext::kCollect:
      return "cpython.gc";
    case FreeContext::kVmDestroy:
      return "cpython.vm-destroy";
  }
  return "cpython.dealloc";
}

void CpythonTarget::LinkField(core::AllocId obj, int field, core::AllocId to) {
  core::AllocId& slot = objects_[obj].fields[static_cast<size_t>(field)];
  if (slot != core::kNoAlloc) {
    auto& from = objects_[slot].referrers;
    from.erase(std::find(from.begin(), from.end(), std::make_pair(obj, field)));
  }
  slot = to;
  if (to != core::kNoAlloc) objects_[to].referrers.emplace_back(obj, field);
}

void CpythonTarget::ReportFree(core::AllocId id) {
  const FreeContext context =
      acting_ != nullptr && acting_->owner == this ? acting_->free_context : FreeContext::kDealloc;
  const char* site = FreeSite(context);
  // Edges to unlink before the free, as (object, field, referent). Inside a collection or a
  // VM's destruction the object's referrers are garbage with it (an object referenced from
  // something alive is not unreachable), and CPython's tp_clear is about to break those edges:
  // they go first, so that no edge ever names a freed object. A deallocation by refcount leaves
  // them: a referrer there means a reference CPython did not count, which the oracles must see.
  std::vector<std::tuple<core::AllocId, int, core::AllocId>> unlink;
  ObjRecord dead;
  {
    std::lock_guard<std::mutex> guard(mu_);
    ObjRecord& r = objects_[id];
    if (!r.alive) return;
    r.alive = false;
    if (context != FreeContext::kDealloc) {
      for (const auto& [from, field] : std::vector(r.referrers)) {
        unlink.emplace_back(from, field, id);
        LinkField(from, field, core::kNoAlloc);
      }
    }
    for (size_t f = 0; f < r.fields.size(); ++f) {
      if (r.fields[f] == core::kNoAlloc) continue;
      unlink.emplace_back(id, static_cast<int>(f), r.fields[f]);
      LinkField(id, static_cast<int>(f), core::kNoAlloc);
    }
    dead = r;
    ++Vm(r.vm).frees;
    --Vm(r.vm).live;
  }
  // The core's order: weak references cleared, fields cleared, then the free.
  if (dead.weak_refs > 0) Emit(core::EventKind::kWeakClear, dead.vm, id, site, dead.weak_refs);
  for (const auto& [from, field, to] : unlink)
    Emit(core::EventKind::kEdgeClear, dead.vm, from, site, field, to);
  Emit(core::EventKind::kFree, dead.vm, id, site);
  // Other threads may run while CPython is inside a deallocation or a collection (the core's
  // collector has a point per object too); none of them can take the GIL meanwhile.
  GCS_SCHED_POINT(hooks_, "cpython.free");
}

void CpythonTarget::ReleaseProbes(bool only_dead, int16_t vm) {
  std::vector<PyObject*> probes;
  {
    std::lock_guard<std::mutex> guard(mu_);
    for (ObjRecord& r : objects_) {
      if (r.probe == nullptr || (only_dead && r.alive) || (vm >= 0 && r.vm != vm)) continue;
      probes_.erase(r.probe);
      probes.push_back(r.probe);
      r.probe = nullptr;
    }
  }
  for (PyObject* p : probes)
    Py_DECREF(p);
}

}  // namespace gcs::cpython

namespace gcs {

std::unique_ptr<Target> MakeCpythonTarget() {
  return std::make_unique<cpython::CpythonTarget>();
}

}  // namespace gcs
