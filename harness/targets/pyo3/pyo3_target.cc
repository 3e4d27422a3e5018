// gcstress pyo3 target — Pyo3Target: scenario handles as real PyO3 Py<PyAny> values.
//
// The second worked example of "Testing your own runtime" (README): a binding written in another
// language, called through a C ABI. The binding here is PyO3, unmodified, from Debian's crate
// sources (crate/src/lib.rs is the whole Rust side); the interpreter, threads, model GIL, probes
// and every op that is not about a handle's reference are the cpython target's
// (harness/targets/cpython/cpython_adapter.h), reused through its binding hooks.
//
// Mapping (what differs from the cpython target):
//
//   new, upgrade  the new owned reference becomes a Py<PyAny> (Py::from_owned_ptr)
//   clone         Py::clone, with or without the GIL exactly as the scenario says: PyO3 increfs at
//                 once if it counts the GIL as held on this thread, else queues the incref in its
//                 global reference pool (a version that refuses panics: clone-while-detached)
//   drop          drop(Py): the same, for the decref
//   attach        the model GIL, the thread's state restored, then PyO3's own entry with the GIL
//                 held (GILPool::new, as PyO3's trampolines do when Python calls Rust): PyO3
//                 counts the GIL as held here and applies its pool
//   detach        PyO3's entry ends (the GILPool dropped), then the GIL and the model lock
//   any op on a detached thread that needs the GIL (set, gc, weak, ...): Python::with_gil — the
//                 same entry and exit around the op, which applies the pool too
//   yield         a nested entry (Python calling back into Rust), which applies the pool
// switch_vm and destroy_vm are not supported: PyO3 0.17 has no subinterpreter support (its pool
// is one per process, and its GILGuard knows only the main interpreter's thread states), so the
// one scenario VM, "main", is one fresh subinterpreter per execution, entered as above.
//
// Why GILPool::new and not GILGuard. PyO3's GILGuard takes the GIL through PyGILState_Ensure,
// which attaches a thread to the main interpreter's auto thread state: it would bypass the per-VM
// thread states of the scenario's interpreter (the adapter never uses PyGILState_*). GILPool::new
// is the part of GILGuard that is PyO3's own — the GIL count and the pool update — and it is what
// PyO3 runs on every call from Python into Rust.
//
// Events. PyO3's pool is private, so the adapter reports what it hands PyO3 by PyO3's documented
// rule (register_incref/register_decref: "increased immediately" if the GIL is held, "the next
// time the GIL is acquired in pyo3" otherwise): a clone or drop on a thread outside PyO3's GIL
// count is a pool-queue (+1 or -1), and each entry into PyO3 first reports every queued entry as
// applied, in update_counts' order — all increfs, then all decrefs — with the count each leaves,
// or, for an object its probe saw die, the access PyO3 is about to make to freed memory (incref
// or decref with value -1). That report comes *before* PyO3 touches the memory, so the oracles
// name the bug (premature collection at the free, then the use-after-free) even when PyO3's own
// access then crashes the process. Frees come from the cpython target's weakref probes.
//
// Free mode: the adapter's copy of the queue is taken just before PyO3 takes its own; another
// thread may queue between the two, so a free mode trace can report an entry's application one
// entry into PyO3 late. Free mode runs only the order-independent oracles, and real crashes.
// The cpython adapter's header comes first: it brings Python.h, which must precede the standard
// headers.
#include "harness/targets/cpython/cpython_adapter.h"

#include <map>
#include <mutex>
#include <vector>

#include "core/check.h"
#include "core/status.h"
#include "harness/targets/pyo3/pyo3_target.h"

extern "C" {
// harness/targets/pyo3/crate/src/lib.rs
struct GcsPyo3Pool;
struct GcsPyo3Handle;
GcsPyo3Pool* gcs_pyo3_enter();
void gcs_pyo3_leave(GcsPyo3Pool* pool);
GcsPyo3Handle* gcs_pyo3_own(PyObject* obj);
GcsPyo3Handle* gcs_pyo3_clone(const GcsPyo3Handle* handle);
bool gcs_pyo3_drop(GcsPyo3Handle* handle);
void gcs_pyo3_forget(GcsPyo3Handle* handle);
const char* gcs_pyo3_version();
}

namespace gcs::pyo3 {
namespace {

StepResult Error(core::Status s) {
  return StepResult{core::StatusName(s)};
}

StepResult Freed() {
  return StepResult{cpython::CpythonTarget::kObjectFreed};
}

}  // namespace

class Pyo3Target final : public cpython::CpythonTarget {
 public:
  std::string_view Name() const override { return "pyo3"; }
  std::string_view Version() const override { return GCS_PYO3_VERSION; }
  std::string About() const override {
    const std::string python = Py_GetVersion();
    return "PyO3 " + std::string(gcs_pyo3_version()) + " (Debian's crate sources) on CPython " +
           python.substr(0, python.find(' '));
  }
  OpSet SupportedOps() const override { return *BuiltinTargetOps("pyo3"); }
  std::vector<std::string> FaultNames() const override { return {}; }  // the bugs are PyO3's

 protected:
  void OnGilTaken(ThreadCtx& ts, int16_t vm, bool point) override;
  void OnGilReleasing(ThreadCtx& ts) override;
  void FlushDeferred(ThreadCtx& ts) override;
  StepResult BindHandle(PyObject* owned, core::AllocId id, int16_t vm) override;
  StepResult Clone(ThreadCtx& ts, const Value& v) override;
  StepResult DropHandle(ThreadCtx& ts, const Value& value) override;
  void ReleaseWithVm(const Slot& s) override;
  StepResult Yield(ThreadCtx& ts) override;

 private:
  // A refcount change the adapter handed PyO3's pool.
  struct Queued {
    PyObject* obj = nullptr;
    core::AllocId id = core::kNoAlloc;
    int16_t vm = -1;
    int delta = 0;
  };

  static GcsPyo3Handle* HandleOf(const Slot& s) {
    GCS_CHECK_MSG(s.binding != nullptr, "a pyo3 handle slot without its Py<PyAny>");
    return static_cast<GcsPyo3Handle*>(s.binding);
  }
  // PyO3's entry with the GIL held (GILPool::new), after reporting the queue it applies.
  GcsPyo3Pool* Enter(bool point);
  void Queue(const Slot& s, int delta);
  void ReportApplied(const std::vector<Queued>& taken);

  std::mutex queued_mu_;
  std::vector<Queued> queued_;  // in queue order, like PyO3's two vectors interleaved
};

GcsPyo3Pool* Pyo3Target::Enter(bool point) {
  // The point comes before the queue is taken: PyO3 takes its own pool whole when it enters, so
  // whatever another thread queues before then is applied now and belongs in this report.
  bool waiting;
  {
    std::lock_guard<std::mutex> guard(queued_mu_);
    waiting = !queued_.empty();
  }
  if (point && waiting) GCS_SCHED_POINT(hooks_, "pyo3.pool-apply");
  std::vector<Queued> taken;
  {
    std::lock_guard<std::mutex> guard(queued_mu_);
    taken.swap(queued_);
  }
  ReportApplied(taken);
  return gcs_pyo3_enter();
}

void Pyo3Target::ReportApplied(const std::vector<Queued>& taken) {
  // ReferencePool::update_counts: every queued incref, then every queued decref. The count each
  // leaves, followed per object from its refcount now (the GIL is held); -1 once it is dead.
  std::map<core::AllocId, int64_t> count;
  for (const int pass : {+1, -1}) {
    for (const Queued& q : taken) {
      if (q.delta != pass) continue;
      Emit(core::EventKind::kPoolApply, q.vm, q.id, "pyo3.pool-apply", q.delta);
      auto [it, fresh] = count.try_emplace(q.id, -1);
      if (fresh && Alive(q.id)) it->second = static_cast<int64_t>(Py_REFCNT(q.obj));
      const core::EventKind kind = pass > 0 ? core::EventKind::kIncref : core::EventKind::kDecref;
      if (it->second < 0) {
        Emit(kind, q.vm, q.id, "pyo3.pool-apply", -1);  // PyO3 touches freed memory next
        continue;
      }
      it->second += pass;
      Emit(kind, q.vm, q.id, "pyo3.pool-apply", it->second);
      if (it->second == 0) it->second = -1;  // this decref frees it
    }
  }
}

void Pyo3Target::Queue(const Slot& s, int delta) {
  Emit(core::EventKind::kPoolQueue, s.vm, s.id, "pyo3.pool-queue", delta);
  std::lock_guard<std::mutex> guard(queued_mu_);
  queued_.push_back(Queued{s.ref, s.id, s.vm, delta});
}

void Pyo3Target::OnGilTaken(ThreadCtx& ts, int16_t vm, bool point) {
  DrainPool(vm, point);  // the adapter's own pool: always empty here, PyO3 keeps its own
  GCS_CHECK_MSG(ts.binding == nullptr, "entered PyO3 twice on one thread");
  ts.binding = Enter(point);
}

void Pyo3Target::OnGilReleasing(ThreadCtx& ts) {
  if (ts.binding == nullptr) return;
  gcs_pyo3_leave(static_cast<GcsPyo3Pool*>(ts.binding));
  ts.binding = nullptr;
}

void Pyo3Target::FlushDeferred(ThreadCtx&) {
  gcs_pyo3_leave(Enter(/*point=*/false));
}

StepResult Pyo3Target::BindHandle(PyObject* owned, core::AllocId id, int16_t vm) {
  Slot s;
  s.kind = BindKind::kHandle;
  s.ref = owned;
  s.binding = gcs_pyo3_own(owned);
  s.id = id;
  s.vm = vm;
  return Bound(s);
}

StepResult Pyo3Target::Clone(ThreadCtx& ts, const Value& v) {
  const Slot s = Load(v);
  if (Vm(s.vm).state.load() != cpython::PyVm::State::kAlive) {
    return Error(core::Status::kVmDestroyed);
  }
  if (!Alive(s.id)) {
    Emit(core::EventKind::kIncref, s.vm, s.id, "pyo3.clone", -1);
    return Freed();
  }
  // Whether PyO3 counts the GIL as held on this thread: inside one of our entries into it.
  const bool held = ts.binding != nullptr;
  GcsPyo3Handle* copy = gcs_pyo3_clone(HandleOf(s));
  if (copy == nullptr) return Error(core::Status::kCloneWhileDetached);  // PyO3 refused
  Slot c = s;
  c.binding = copy;
  c.released = false;
  if (held) {
    Emit(core::EventKind::kIncref, s.vm, s.id, "pyo3.clone",
         static_cast<int64_t>(Py_REFCNT(s.ref)));
  } else {
    Queue(s, +1);
  }
  return Bound(c);
}

StepResult Pyo3Target::DropHandle(ThreadCtx& ts, const Value& value) {
  const Slot s = Load(value);
  if (s.released) return Error(core::Status::kVmDestroyed);  // it went with its VM
  if (Vm(s.vm).state.load() != cpython::PyVm::State::kAlive) {
    return Error(core::Status::kVmDestroyed);
  }
  {
    std::lock_guard<std::mutex> guard(mu_);
    slots_[value.slot].released = true;
  }
  if (!Alive(s.id)) {
    // The guard: a dead object is never touched again, not even by its handle's Drop.
    Emit(core::EventKind::kDecref, s.vm, s.id, "pyo3.drop", -1);
    gcs_pyo3_forget(HandleOf(s));
    return Freed();
  }
  if (ts.binding != nullptr) {
    // Reported before the decref, whose deallocation reports the free.
    Emit(core::EventKind::kDecref, s.vm, s.id, "pyo3.drop",
         static_cast<int64_t>(Py_REFCNT(s.ref)) - 1);
  } else {
    Queue(s, -1);
  }
  GCS_CHECK_MSG(gcs_pyo3_drop(HandleOf(s)), "PyO3 panicked dropping a Py<PyAny>");
  return {};
}

void Pyo3Target::ReleaseWithVm(const Slot& s) {
  if (!Alive(s.id)) {
    gcs_pyo3_forget(HandleOf(s));
    return;
  }
  // Inside PyO3's GIL count, so that the drop is applied now, before its interpreter ends.
  GcsPyo3Pool* pool = Enter(/*point=*/false);
  GCS_CHECK_MSG(gcs_pyo3_drop(HandleOf(s)), "PyO3 panicked dropping a Py<PyAny>");
  gcs_pyo3_leave(pool);
}

StepResult Pyo3Target::Yield(ThreadCtx& ts) {
  // Detached, the cpython Yield takes the GIL for the step, which enters PyO3 (and applies its
  // pool); attached, Python calling back into Rust is a nested entry that applies it too.
  if (ts.binding == nullptr) return CpythonTarget::Yield(ts);
  gcs_pyo3_leave(Enter(/*point=*/true));
  return {};
}

}  // namespace gcs::pyo3

namespace gcs {

TargetInfo Pyo3TargetInfo() {
  return {"pyo3",
          "real PyO3 (Debian's librust-pyo3-dev) on the embedded CPython: handles are Py<PyAny>, "
          "liveness from weakref probes",
          {GCS_PYO3_VERSION},
          [](const std::string&) -> Expected<std::unique_ptr<Target>> {
            return std::unique_ptr<Target>(new pyo3::Pyo3Target);
          }};
}

}  // namespace gcs
