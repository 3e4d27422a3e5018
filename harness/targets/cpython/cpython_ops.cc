// gcstress target — the cpython adapter's op mapping, and its faults' alternate code paths.
// The adapter's header comes first: it brings Python.h, which must precede the standard headers.
#include "harness/targets/cpython/cpython_adapter.h"

#include "core/check.h"
#include "core/status.h"
#include "harness/targets/cpython/cpython_runtime.h"

namespace gcs::cpython {
namespace {

StepResult Error(core::Status s) {
  return StepResult{core::StatusName(s)};
}

StepResult Freed() {
  return StepResult{CpythonTarget::kObjectFreed};
}

}  // namespace

// The GIL for one op on `vm` (the core's implicit Scope): nothing if the thread is attached
// there; refused if it is attached elsewhere; otherwise the model lock, the VM checked alive
// under it, the real GIL with the thread's state in that interpreter, and a safe point.
class CpythonTarget::GilScope {
 public:
  GilScope(CpythonTarget& target, ThreadCtx& ts, int16_t vm) : target_(target), ts_(ts) {
    if (ts.attached_vm == vm) return;
    if (ts.attached_vm >= 0) {
      error_ = core::StatusName(core::Status::kAttachedElsewhere);
      return;
    }
    target.gil_.Lock(target.hooks_, ts.index);
    if (target.Vm(vm).state.load() != PyVm::State::kAlive) {
      target.gil_.Unlock(target.hooks_, ts.index);
      error_ = core::StatusName(core::Status::kVmDestroyed);
      return;
    }
    PyEval_RestoreThread(target.TstateFor(ts, vm));
    implicit_ = true;
    target.OnGilTaken(ts, vm, /*point=*/true);
  }
  ~GilScope() {
    if (!implicit_) return;
    target_.OnGilReleasing(ts_);
    target_.gil_.Release(target_.hooks_, ts_.index);
  }
  GilScope(const GilScope&) = delete;
  GilScope& operator=(const GilScope&) = delete;

  bool ok() const { return error_.empty(); }
  StepResult error() const { return StepResult{error_}; }
  bool implicit() const { return implicit_; }

 private:
  CpythonTarget& target_;
  ThreadCtx& ts_;
  std::string_view error_;
  bool implicit_ = false;
};

StepResult CpythonTarget::Apply(const StepRequest& request) {
  ThreadCtx& ts = Thread(request.thread);
  ActingScope acting(ts);
  return Do(request, ts);
}

StepResult CpythonTarget::Do(const StepRequest& req, ThreadCtx& ts) {
  const Step& step = *req.step;
  switch (step.op) {
    case Op::kNew:
      return New(ts, step.type == ObjType::kSubclass);
    case Op::kClone:
      return Clone(ts, req.obj);
    case Op::kSet:
      return SetField(ts, req.obj, step.field, req.to);
    case Op::kClear:
      return ClearField(ts, req.obj, step.field);
    case Op::kGc:
      return Collect(ts, step.vm >= 0 ? step.vm : ts.current_vm);
    case Op::kEnumerate:
      return Enumerate(ts, step.vm >= 0 ? step.vm : ts.current_vm);
    case Op::kWeak:
      return MakeWeak(ts, req.obj);
    case Op::kUpgrade:
      return Upgrade(ts, req.weak);
    case Op::kRegister:
      return Register(ts, req.obj, step.held != kNoVar ? &req.held : nullptr);
    case Op::kUnregister:
      return Unregister(ts, req.token);
    case Op::kUse:
      return Use(ts, req.obj);
    case Op::kAttach:
      return Attach(ts);
    case Op::kDetach:
      return Detach(ts);
    case Op::kSwitchVm:
      return SwitchVm(ts, step.vm);
    case Op::kDestroyVm:
      return DestroyVm(ts, step.vm);
    case Op::kYield:
      return Yield(ts);
    case Op::kDrop:  // the engine's own: it calls Discard
    case Op::kSpawn:
    case Op::kExport:  // not in SupportedOps: the loader refused the scenario
    case Op::kCall:
    case Op::kRelease:
    case Op::kTerminate:
      break;
  }
  GCS_CHECK_MSG(false, "op not handled by the cpython target");
  return {};
}

StepResult CpythonTarget::Discard(uint32_t thread, BindKind kind, const Value& value) {
  ThreadCtx& ts = Thread(thread);
  ActingScope acting(ts);
  if (kind == BindKind::kHandle) return DropHandle(ts, value);
  // A weakref object keeps nothing alive, and a finalize object is kept by weakref's own
  // registry until it fires or is detached: both stay with their VM (released when it ends), so
  // letting go of them needs no GIL and changes no scenario object's lifetime.
  std::lock_guard<std::mutex> guard(mu_);
  slots_[value.slot].released = true;
  return {};
}

Value CpythonTarget::Store(const Slot& slot) {
  std::lock_guard<std::mutex> guard(mu_);
  slots_.push_back(slot);
  return Value{static_cast<uint32_t>(slots_.size() - 1), slot.id};
}

CpythonTarget::Slot CpythonTarget::Load(const Value& value) {
  std::lock_guard<std::mutex> guard(mu_);
  GCS_CHECK(value.slot > 0 && value.slot < slots_.size());
  return slots_[value.slot];
}

int16_t CpythonTarget::VmOf(core::AllocId id) {
  std::lock_guard<std::mutex> guard(mu_);
  return objects_[id].vm;
}

StepResult CpythonTarget::BindHandle(PyObject* owned, core::AllocId id, int16_t vm) {
  Slot s;
  s.kind = BindKind::kHandle;
  s.ref = owned;
  s.id = id;
  s.vm = vm;
  return Bound(s);
}

bool CpythonTarget::DecrefHandle(PyObject* obj, core::AllocId id, const char* site) {
  const int16_t vm = VmOf(id);
  if (!Alive(id)) {
    Emit(core::EventKind::kDecref, vm, id, site, -1);  // the guard: never touch a dead object
    return false;
  }
  // Reported before the decref, whose deallocation reports the free.
  Emit(core::EventKind::kDecref, vm, id, site, static_cast<int64_t>(Py_REFCNT(obj)) - 1);
  Py_DECREF(obj);
  return true;
}

StepResult CpythonTarget::New(ThreadCtx& ts, bool subclass) {
  const int16_t v = ts.current_vm;
  GilScope gil(*this, ts, v);
  if (!gil.ok()) return gil.error();
  PyVm& vm = Vm(v);
  PyObject* obj = Checked(PyObject_CallNoArgs(vm.classes[subclass ? 1 : 0]), "new");
  const core::AllocId id = NewRecord(obj, v);
  Emit(core::EventKind::kAlloc, v, id, "cpython.new", subclass ? 1 : 0);
  PyObject* probe = Checked(PyWeakref_NewRef(obj, vm.probe_callback), "probe");
  {
    std::lock_guard<std::mutex> guard(mu_);
    objects_[id].probe = probe;
    probes_[probe] = id;
  }
  return BindHandle(obj, id, v);
}

StepResult CpythonTarget::Clone(ThreadCtx& ts, const Value& v) {
  const Slot s = Load(v);
  if (Has(Fault::kCloneWithoutIncref)) {
    // The fault: a binding that copies the pointer and calls the copy a new reference.
    return BindHandle(s.ref, s.id, s.vm);
  }
  if (Vm(s.vm).state.load() != PyVm::State::kAlive) return Error(core::Status::kVmDestroyed);
  // Py_INCREF needs the GIL; taking it inside a clone is what PyO3 >= 0.22 refuses to do.
  if (ts.attached_vm != s.vm) return Error(core::Status::kCloneWhileDetached);
  if (!Alive(s.id)) {
    Emit(core::EventKind::kIncref, s.vm, s.id, "cpython.clone", -1);
    return Freed();
  }
  Py_INCREF(s.ref);
  Emit(core::EventKind::kIncref, s.vm, s.id, "cpython.clone",
       static_cast<int64_t>(Py_REFCNT(s.ref)));
  return BindHandle(s.ref, s.id, s.vm);
}

StepResult CpythonTarget::DropHandle(ThreadCtx& ts, const Value& value) {
  const Slot s = Load(value);
  if (s.released) return Error(core::Status::kVmDestroyed);  // it went with its VM
  PyVm& vm = Vm(s.vm);
  const bool attached_here = ts.attached_vm == s.vm;
  if (!attached_here && !Has(Fault::kDecrefWhileDetached)) {
    {
      // The state check, the queueing and the release of the slot are one step for a VM's
      // destruction, which sets it closing under pool_mu and then sweeps unreleased slots: the
      // reference is released exactly once, by the drain or by the sweep. Lock order: pool_mu,
      // then mu_.
      std::lock_guard<std::mutex> pool_guard(vm.pool_mu);
      if (vm.state.load() != PyVm::State::kAlive) return Error(core::Status::kVmDestroyed);
      vm.pool.push_back(PoolEntry{s.ref, s.id});
      std::lock_guard<std::mutex> guard(mu_);
      slots_[value.slot].released = true;
    }
    Emit(core::EventKind::kPoolQueue, s.vm, s.id, "cpython.pool-queue", -1);
    return {};
  }
  if (vm.state.load() != PyVm::State::kAlive) return Error(core::Status::kVmDestroyed);
  {
    std::lock_guard<std::mutex> guard(mu_);
    slots_[value.slot].released = true;
  }
  // Attached to the object's VM: the GIL is ours. Under the fault, this is a Py_DECREF without
  // the GIL: racing the holder's refcount updates under free mode, and, if it frees the object
  // while nobody holds the GIL, a deallocation with no thread state, which CPython aborts on.
  return DecrefHandle(s.ref, s.id, "cpython.drop") ? StepResult{} : Freed();
}

StepResult CpythonTarget::SetField(ThreadCtx& ts, const Value& obj, int field, const Value& to) {
  const Slot a = Load(obj);
  const Slot b = Load(to);
  if (a.vm != b.vm) return Error(core::Status::kCrossVmReference);
  GilScope gil(*this, ts, a.vm);
  if (!gil.ok()) return gil.error();
  for (const Slot* s : {&a, &b}) {
    if (!Alive(s->id)) {
      Emit(core::EventKind::kUse, s->vm, s->id, "cpython.set");
      return Freed();
    }
  }
  const auto f = static_cast<size_t>(field);
  core::AllocId old;
  {
    std::lock_guard<std::mutex> guard(mu_);
    old = objects_[a.id].fields[f];
    LinkField(a.id, field, b.id);
  }
  // Reported before the store: replacing the old referent may free it.
  Emit(core::EventKind::kEdgeSet, a.vm, a.id, "cpython.set", field, b.id);
  if (old != core::kNoAlloc)
    Emit(core::EventKind::kEdgeClear, a.vm, a.id, "cpython.set", field, old);
  GCS_CHECK(PyObject_SetAttr(a.ref, Vm(a.vm).field_names[f], b.ref) == 0);
  return {};
}

StepResult CpythonTarget::ClearField(ThreadCtx& ts, const Value& obj, int field) {
  const Slot a = Load(obj);
  GilScope gil(*this, ts, a.vm);
  if (!gil.ok()) return gil.error();
  if (!Alive(a.id)) {
    Emit(core::EventKind::kUse, a.vm, a.id, "cpython.clear");
    return Freed();
  }
  const auto f = static_cast<size_t>(field);
  core::AllocId old;
  {
    std::lock_guard<std::mutex> guard(mu_);
    old = objects_[a.id].fields[f];
    LinkField(a.id, field, core::kNoAlloc);
  }
  if (old == core::kNoAlloc) return {};  // an empty field: nothing to clear, as in the core
  Emit(core::EventKind::kEdgeClear, a.vm, a.id, "cpython.clear", field, old);
  GCS_CHECK(PyObject_DelAttr(a.ref, Vm(a.vm).field_names[f]) == 0);
  return {};
}

StepResult CpythonTarget::Collect(ThreadCtx& ts, int16_t v) {
  GilScope gil(*this, ts, v);
  if (!gil.ok()) return gil.error();
  uint64_t before, live;
  {
    std::lock_guard<std::mutex> guard(mu_);
    before = Vm(v).frees;
    live = Vm(v).live;
  }
  Emit(core::EventKind::kCollectBegin, v, core::kNoAlloc, "cpython.gc", static_cast<int64_t>(live));
  {
    FreeContextScope context(ts, FreeContext::kCollect);
    PyGC_Collect();
  }
  uint64_t freed;
  {
    std::lock_guard<std::mutex> guard(mu_);
    freed = Vm(v).frees - before;
  }
  Emit(core::EventKind::kCollectEnd, v, core::kNoAlloc, "cpython.gc", static_cast<int64_t>(freed));
  return {};
}

StepResult CpythonTarget::Enumerate(ThreadCtx& ts, int16_t v) {
  GilScope gil(*this, ts, v);
  if (!gil.ok()) return gil.error();
  PyVm& vm = Vm(v);
  PyObject* all = Checked(PyObject_CallNoArgs(vm.get_objects), "gc.get_objects");
  int64_t ours = 0;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(all); ++i) {
    auto* type = reinterpret_cast<PyObject*>(Py_TYPE(PyList_GET_ITEM(all, i)));
    if (type == vm.classes[0] || type == vm.classes[1]) ++ours;
  }
  Py_DECREF(all);
  Emit(core::EventKind::kEnumerate, v, core::kNoAlloc, "cpython.enumerate", ours);
  return {};
}

StepResult CpythonTarget::MakeWeak(ThreadCtx& ts, const Value& v) {
  const Slot a = Load(v);
  GilScope gil(*this, ts, a.vm);
  if (!gil.ok()) return gil.error();
  if (!Alive(a.id)) {
    Emit(core::EventKind::kUse, a.vm, a.id, "cpython.weak");
    return Freed();
  }
  PyObject* weakref = Checked(PyWeakref_NewRef(a.ref, nullptr), "weakref");
  Vm(a.vm).weakrefs.push_back(weakref);  // under the GIL, like everything the VM owns
  {
    std::lock_guard<std::mutex> guard(mu_);
    ++objects_[a.id].weak_refs;
  }
  Slot w;
  w.kind = BindKind::kWeak;
  w.ref = weakref;
  w.id = a.id;
  w.vm = a.vm;
  return Bound(w);
}

StepResult CpythonTarget::Upgrade(ThreadCtx& ts, const Value& v) {
  const Slot w = Load(v);
  GilScope gil(*this, ts, w.vm);
  if (!gil.ok()) return gil.error();
  PyObject* obj = PyWeakref_GetObject(w.ref);  // borrowed
  GCS_CHECK(obj != nullptr);
  if (obj == Py_None) return {};  // dead: "as" is left unbound
  GCS_CHECK_MSG(Alive(w.id), "a weakref's referent outlived its probe");
  if (!Has(Fault::kUpgradeBorrowed)) {
    Py_INCREF(obj);
    Emit(core::EventKind::kIncref, w.vm, w.id, "cpython.upgrade",
         static_cast<int64_t>(Py_REFCNT(obj)));
  }
  // Under the fault the handle takes over a reference it was only lent.
  return BindHandle(obj, w.id, w.vm);
}

StepResult CpythonTarget::Register(ThreadCtx& ts, const Value& target, const Value* held) {
  const Slot t = Load(target);
  Slot h;
  if (held != nullptr) {
    h = Load(*held);
    if (h.vm != t.vm) return Error(core::Status::kCrossVmReference);
    // weakref.finalize(obj, f, obj) would keep obj alive forever; the core refuses it too.
    if (h.id == t.id) return Error(core::Status::kHeldIsTarget);
  }
  GilScope gil(*this, ts, t.vm);
  if (!gil.ok()) return gil.error();
  for (const Slot* s : {&t, static_cast<const Slot*>(&h)}) {
    if (s->id != core::kNoAlloc && !Alive(s->id)) {
      Emit(core::EventKind::kUse, s->vm, s->id, "cpython.register");
      return Freed();
    }
  }
  PyVm& vm = Vm(t.vm);
  const auto token = static_cast<int64_t>(vm.finalizers.size() + 1);
  size_t registration;
  {
    std::lock_guard<std::mutex> guard(mu_);
    registration = registrations_.size();
    registrations_.push_back(Registration{t.vm, token, t.id, h.id});
  }
  PyObject* callback = NewRegistryCallback(this, registration);
  PyObject* finalizer =
      held != nullptr ? PyObject_CallFunctionObjArgs(vm.finalize, t.ref, callback, h.ref, nullptr)
                      : PyObject_CallFunctionObjArgs(vm.finalize, t.ref, callback, nullptr);
  Checked(finalizer, "weakref.finalize");
  Py_DECREF(callback);
  // At interpreter exit weakref calls every finalizer still registered whose .atexit is true,
  // with its object alive; a registry callback must fire only after its object was collected.
  GCS_CHECK(PyObject_SetAttrString(finalizer, "atexit", Py_False) == 0);
  vm.finalizers.push_back(finalizer);
  Emit(core::EventKind::kRegistryRegister, t.vm, t.id, "cpython.register", token, h.id);
  Slot k;
  k.kind = BindKind::kToken;
  k.ref = finalizer;
  k.id = t.id;
  k.vm = t.vm;
  k.registration = registration;
  return Bound(k);
}

StepResult CpythonTarget::Unregister(ThreadCtx& ts, const Value& token) {
  const Slot k = Load(token);
  GilScope gil(*this, ts, k.vm);
  if (!gil.ok()) return gil.error();
  PyObject* detached = Checked(PyObject_CallMethod(k.ref, "detach", nullptr), "finalize.detach");
  if (detached == Py_None) {  // fired or detached already
    Py_DECREF(detached);
    return Error(core::Status::kUnknownToken);
  }
  Registration r;
  {
    std::lock_guard<std::mutex> guard(mu_);
    r = registrations_[k.registration];
  }
  Emit(core::EventKind::kRegistryUnregister, r.vm, r.target, "cpython.unregister", r.token, r.held);
  Py_DECREF(detached);  // (obj, func, args, kwargs): the held value may die here
  return {};
}

StepResult CpythonTarget::Use(ThreadCtx& ts, const Value& v) {
  const Slot a = Load(v);
  GilScope gil(*this, ts, a.vm);
  if (!gil.ok()) return gil.error();
  Emit(core::EventKind::kUse, a.vm, a.id, "cpython.use");
  if (!Alive(a.id)) return Freed();
  GCS_CHECK_MSG(PyObject_IsInstance(a.ref, Vm(a.vm).classes[0]) == 1,
                "a live handle that is not a GcsObject");
  return {};
}

StepResult CpythonTarget::Yield(ThreadCtx& ts) {
  GilScope gil(*this, ts, ts.current_vm);
  if (!gil.ok()) return gil.error();
  if (!gil.implicit()) DrainPool(ts.current_vm, /*point=*/true);  // entering drained it otherwise
  return {};
}

}  // namespace gcs::cpython
