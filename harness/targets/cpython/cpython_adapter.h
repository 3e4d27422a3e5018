// gcstress target — CpythonTarget: scenario ops on the real CPython 3.11 object model.
//
// Mapping (one row per op; "GIL" = the model lock of cpython_gil.h plus the real GIL, taken for
// the op's duration unless the thread is attached to the op's VM):
//
//   new          GcsObject() / GcsSubclass() in the current VM's interpreter; a weakref probe
//                with a callback is attached (liveness, below)
//   clone        Py_INCREF, attached to the object's VM only; detached: clone-while-detached
//   drop         attached there: Py_DECREF; otherwise queued in the VM's reference pool and
//                applied by the next thread taking the GIL in that VM (PyO3's ReferencePool)
//   set / clear  setattr / delattr of slot f0..f3
//   gc           PyGC_Collect with the VM's interpreter current
//   enumerate    gc.get_objects(), counting GcsObject/GcsSubclass instances
//   weak         PyWeakref_NewRef(obj, NULL)
//   upgrade      PyWeakref_GetObject + Py_INCREF; a dead referent leaves "as" unbound
//   register     weakref.finalize(obj, callback[, held]) with .atexit = False
//   unregister   finalize.detach(); already fired or detached: unknown-token
//   use          PyObject_IsInstance on the object (a real dereference)
//   attach       PyEval_RestoreThread of the thread's state in its current VM, then drain the pool
//   detach       PyEval_SaveThread
//   switch_vm    the thread's current VM; a new VM is Py_NewInterpreter (cpython_vm.h)
//   destroy_vm   release the VM's handles, pool and finalizers, collect, delete every thread's
//                state in it, Py_EndInterpreter
//   yield        a safe point: drain the current VM's pool
// export, call, release, spawn and terminate have no CPython counterpart and are not in
// SupportedOps, so the loader refuses scenarios that use them.
//
// Thread states: one PyThreadState per scenario thread per interpreter, created on that thread's
// own OS thread on first use (PyThreadState_New), never PyGILState_*; deleted when the
// interpreter ends (from whichever thread ends it: see the anchors in cpython_runtime.h).
//
// Rules shared with the core (so that the same oracles judge both): a thread attached to one VM
// does not touch another VM's objects (attached-elsewhere); switch_vm while attached is refused
// (already-attached); objects of different VMs never reference each other (cross-vm-reference);
// handles into a destroyed VM report vm-destroyed; a registry's held value is never its target.
//
// Events (the core's vocabulary, core/events.def). FullEventStream() is false: CPython's own
// refcount traffic (a setattr's incref of its value, a tuple's of its items) is invisible to the
// adapter. What the spec counts as a holder is reported in full, though — bindings (the engine
// records them), fields, pool entries, a registry's held value — so the shadow model's counts
// match Py_REFCNT:
//   alloc (value 0 plain, 1 subclass); incref/decref with the new Py_REFCNT for clone, upgrade,
//   drop and pool applies; pool-queue/pool-apply; edge-set/edge-clear, reported *before* the
//   setattr/delattr so that a referent the store frees is already unlinked; use; collect-begin
//   (value = live scenario objects in the VM) / collect-end (value = scenario objects freed);
//   enumerate; registry-register/-callback/-unregister (value = token, per-VM from 1); attach,
//   detach; vm-create-begin/-end, vm-switch, vm-destroy-begin/-end (value = objects freed).
//
// When "free" is reported. Every scenario object carries a probe: a weakref with a callback,
// owned by the adapter. CPython clears an object's weakrefs and calls their callbacks
//   * synchronously in the deallocator when the refcount reaches zero — after the object is
//     dead, before its slots are cleared (so its referents die after it) and before its memory
//     is released;
//   * for cyclic garbage, in the collector's weakref phase (handle_weakrefs), after the cycle is
//     found unreachable and before tp_clear breaks it;
//   * during Py_EndInterpreter for objects only the interpreter's state kept alive.
// The first callback of the object to run reports, in order: weak-clear (value = `weak` steps
// made on it); edge-clear for each field it holds and, inside a collection or a VM's
// destruction, for each field of the (equally dead) objects that refer to it; free. So no edge
// ever names a freed object. After a deallocation by refcount a referrer can only be a
// reference CPython did not count (a fault), and its edge is left for the oracles to see.
// The first callback is normally the probe's, but CPython calls newer callback weakrefs first, so
// a weakref.finalize registered later runs before it: the registry callback reports the free,
// then registry-callback. Sites: cpython.dealloc, cpython.gc, cpython.vm-destroy.
//
// The adapter's guard. A handle whose object the probe saw die is never dereferenced again (its
// memory may already hold another object): the op reports the access it would have made —
// incref/decref with value -1, or use — and returns object-freed. A release of a freed object is
// thus a decref of a freed id in the trace, which the oracles report as a use-after-free; the
// adapter itself never reports a second free. The guard covers the adapter's
// own handles only: a fault that frees an object still referenced from another object's slot
// corrupts the interpreter, so fault scenarios keep their victims out of slots.
#pragma once

#include <Python.h>  // first: it sets feature macros the standard headers read

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/target/target.h"
#include "harness/targets/cpython/cpython_gil.h"
#include "harness/targets/cpython/cpython_vm.h"

namespace gcs::cpython {

enum class Fault : uint8_t {
#define GCS_CPYTHON_FAULT(Name, name, help) k##Name,
#include "harness/targets/cpython/cpython_faults.def"
#undef GCS_CPYTHON_FAULT
  kCount,
};

// Not final: a binding in front of the C API (the pyo3 target) overrides how handles hold their
// references and what taking the GIL means (the "binding hooks" below); everything else —
// interpreters, threads, the model GIL, probes, the other ops — is this adapter's.
class CpythonTarget : public Target {
 public:
  CpythonTarget() = default;
  ~CpythonTarget() override;
  CpythonTarget(const CpythonTarget&) = delete;
  CpythonTarget& operator=(const CpythonTarget&) = delete;

  std::string_view Name() const override { return "cpython"; }
  OpSet SupportedOps() const override;
  std::vector<std::string> FaultNames() const override;
  bool FullEventStream() const override { return false; }
  // Every holder the spec counts is the adapter's own doing (handles, slots, the pool, finalize's
  // held value), so it reports them all: premature collection can be judged.
  bool ReportsHolders() const override { return true; }

  void Begin(const TargetExecution& exec) override;
  void ThreadBegin(uint32_t thread) override;
  StepResult Apply(const StepRequest& request) override;
  StepResult Discard(uint32_t thread, BindKind kind, const Value& value) override;
  bool ThreadStopped(uint32_t) override { return false; }  // no terminate
  void ThreadEnd(uint32_t thread) override;
  void Teardown() override;
  std::vector<core::AllocId> LiveObjects() override;
  std::optional<ObjectState> Inspect(core::AllocId id) override;
  void End() override;

  // The guard's refusal (below): the handle's object is dead.
  static constexpr std::string_view kObjectFreed = "object-freed";

  // Entered from the weakref callbacks (cpython_target.cc), with the GIL held.
  void OnProbe(PyObject* weakref);
  void OnRegistryCallback(size_t registration);

 protected:
  // Where a free is reported from, which fixes its site and whether the object's referrers are
  // garbage with it (see ReportFree).
  enum class FreeContext : uint8_t { kDealloc, kCollect, kVmDestroy };
  static const char* FreeSite(FreeContext c);

  // A scenario thread (index = scenario thread index; the last one is the teardown thread).
  struct ThreadCtx {
    const CpythonTarget* owner = nullptr;
    uint32_t index = 0;
    int16_t current_vm = 0;
    int16_t attached_vm = -1;             // -1: not attached
    std::vector<PyThreadState*> tstates;  // by VM index, made on first use, on this thread
    FreeContext free_context = FreeContext::kDealloc;  // what frees reported now are inside
    void* binding = nullptr;  // the binding's own per-thread GIL state (pyo3: PyO3's GILPool)
  };
  // What a Value's slot holds.
  struct Slot {
    BindKind kind = BindKind::kNone;
    PyObject* ref = nullptr;  // handle: an owned reference; weak, token: owned by the VM
    core::AllocId id = core::kNoAlloc;
    int16_t vm = -1;
    size_t registration = 0;  // token: index into registrations_
    bool released = false;    // discarded, or its reference went with its VM
    void* binding = nullptr;  // handle: the binding's own handle owning `ref` (pyo3: Py<PyAny>)
  };
  struct ObjRecord {
    PyObject* obj = nullptr;    // identity only; dereferenced only while alive
    PyObject* probe = nullptr;  // owned weakref whose callback is the VM's probe_callback
    int16_t vm = -1;
    bool alive = false;
    std::array<core::AllocId, 4> fields{};                 // what the adapter stored in f0..f3
    std::vector<std::pair<core::AllocId, int>> referrers;  // (object, field) storing this one
    uint32_t weak_refs = 0;  // `weak` steps on it (weak-clear's value)
  };
  struct Registration {
    int16_t vm = -1;
    int64_t token = 0;
    core::AllocId target = core::kNoAlloc, held = core::kNoAlloc;
  };
  class ActingScope;
  class GilScope;
  class FreeContextScope;

  // The scenario thread whose adapter code this OS thread is running (set by every entry point),
  // so that events from CPython's callbacks name the thread that triggered them.
  static thread_local ThreadCtx* acting_;

  bool Has(Fault f) const { return faults_[static_cast<size_t>(f)]; }
  ThreadCtx& Thread(uint32_t index) { return *threads_[index]; }
  ThreadCtx& TeardownThread() { return *threads_.back(); }
  PyVm& Vm(int16_t index) { return *vms_[static_cast<size_t>(index)]; }
  void Emit(core::EventKind kind, int16_t vm, core::AllocId obj, const char* site,
            int64_t value = 0, core::AllocId other = core::kNoAlloc);

  // --- cpython_target.cc: threads, VMs, liveness
  PyThreadState* TstateFor(ThreadCtx& ts, int16_t vm);  // model lock held
  void InitVm(ThreadCtx& ts, int16_t vm);               // GIL held; returns with vm's state current
  void DestroyVmLocked(ThreadCtx& ts, int16_t vm);      // GIL held; returns with none current
  void DrainPool(int16_t vm, bool point);
  void ReportFree(core::AllocId id);
  void LinkField(core::AllocId obj, int field, core::AllocId to);  // mu_ held; to may be 0
  bool Alive(core::AllocId id);
  core::AllocId NewRecord(PyObject* obj, int16_t vm);
  void ReleaseProbes(bool only_dead, int16_t vm);
  StepResult Attach(ThreadCtx& ts);
  StepResult Detach(ThreadCtx& ts);
  StepResult SwitchVm(ThreadCtx& ts, int16_t vm);
  StepResult DestroyVm(ThreadCtx& ts, int16_t vm);

  // --- binding hooks: what a binding in front of the C API changes (pyo3_target.h). The
  // defaults are the C API's own: Py_INCREF/Py_DECREF and this adapter's reference pool.
  // The thread just took the GIL in `vm` (model lock held, its state restored): apply what waits
  // for it (the adapter's pool; `point`: a schedule point first, if anything waits).
  virtual void OnGilTaken(ThreadCtx& ts, int16_t vm, bool point);
  // The thread is about to give the GIL up (then the model lock).
  virtual void OnGilReleasing(ThreadCtx& ts) { (void)ts; }
  // With the GIL held: apply whatever refcount changes wait elsewhere than in a VM's pool, before
  // a VM ends or at teardown (the C API defers nothing else).
  virtual void FlushDeferred(ThreadCtx& ts) { (void)ts; }
  // A handle takes over the owned reference `owned` (GIL held).
  virtual StepResult BindHandle(PyObject* owned, core::AllocId id, int16_t vm);
  virtual StepResult Clone(ThreadCtx& ts, const Value& v);
  virtual StepResult DropHandle(ThreadCtx& ts, const Value& value);
  // The handle's VM is being destroyed (GIL held, that VM's state current): let go of its
  // reference now, unless its object is dead.
  virtual void ReleaseWithVm(const Slot& s);
  virtual StepResult Yield(ThreadCtx& ts);

  // --- cpython_ops.cc: the op mapping
  StepResult Do(const StepRequest& req, ThreadCtx& ts);
  Value Store(const Slot& slot);
  // The step binds its "as" to `slot`, stored.
  StepResult Bound(const Slot& slot) { return StepResult{.bound = true, .bind = Store(slot)}; }
  Slot Load(const Value& value);
  bool DecrefHandle(PyObject* obj, core::AllocId id, const char* site);
  int16_t VmOf(core::AllocId id);
  StepResult New(ThreadCtx& ts, bool subclass);
  StepResult SetField(ThreadCtx& ts, const Value& obj, int field, const Value& to);
  StepResult ClearField(ThreadCtx& ts, const Value& obj, int field);
  StepResult Collect(ThreadCtx& ts, int16_t vm);
  StepResult Enumerate(ThreadCtx& ts, int16_t vm);
  StepResult MakeWeak(ThreadCtx& ts, const Value& v);
  StepResult Upgrade(ThreadCtx& ts, const Value& w);
  StepResult Register(ThreadCtx& ts, const Value& target, const Value* held);
  StepResult Unregister(ThreadCtx& ts, const Value& token);
  StepResult Use(ThreadCtx& ts, const Value& v);

  const Scenario* scenario_ = nullptr;
  core::SchedHooks* hooks_ = nullptr;
  core::Observer* observer_ = nullptr;  // nullptr during End: nobody judges any more
  std::array<bool, static_cast<size_t>(Fault::kCount)> faults_{};
  ModelGil gil_;
  std::vector<std::unique_ptr<ThreadCtx>> threads_;  // scenario threads, then teardown
  std::vector<std::unique_ptr<PyVm>> vms_;           // by scenario VM index

  // The tables below are read and written by whoever runs adapter code: one thread at a time in
  // deterministic mode, any thread in free mode (detached drops, clones). Never held across a
  // call into Python: callbacks re-enter ReportFree.
  std::mutex mu_;
  std::vector<Slot> slots_;                              // [0] unused: slot 0 is never a value
  std::vector<ObjRecord> objects_;                       // by AllocId; [0] unused
  std::unordered_map<PyObject*, core::AllocId> probes_;  // probe weakref -> its object's id
  std::vector<Registration> registrations_;
};

// Names the acting scenario thread for the duration of an entry point.
class CpythonTarget::ActingScope {
 public:
  explicit ActingScope(ThreadCtx& ts) : saved_(acting_) { acting_ = &ts; }
  ~ActingScope() { acting_ = saved_; }
  ActingScope(const ActingScope&) = delete;
  ActingScope& operator=(const ActingScope&) = delete;

 private:
  ThreadCtx* saved_;
};

// What the frees reported while it lives are inside (a collection, a VM's destruction).
class CpythonTarget::FreeContextScope {
 public:
  FreeContextScope(ThreadCtx& ts, FreeContext context) : ts_(ts), saved_(ts.free_context) {
    ts.free_context = context;
  }
  ~FreeContextScope() { ts_.free_context = saved_; }
  FreeContextScope(const FreeContextScope&) = delete;
  FreeContextScope& operator=(const FreeContextScope&) = delete;

 private:
  ThreadCtx& ts_;
  FreeContext saved_;
};

// New callables that call back into `target`: the probe callback every probe of a VM shares
// (called with the cleared weakref), and one registration's weakref.finalize callback.
PyObject* NewProbeCallback(CpythonTarget* target);
PyObject* NewRegistryCallback(CpythonTarget* target, size_t registration);

}  // namespace gcs::cpython
