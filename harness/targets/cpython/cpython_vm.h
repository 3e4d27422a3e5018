// gcstress target — PyVm: one scenario VM as a CPython subinterpreter.
//
// Every scenario VM, "main" included, is a fresh subinterpreter per execution (Py_NewInterpreter),
// never the process's main interpreter. Three reasons:
//  * determinism: a fresh interpreter starts from the same state every time (gc generations,
//    module state, weakref's finalize registry), so the same scenario, seed and strategy give the
//    same trace, whatever ran before it in the process;
//  * destroy_vm "main" is a legal scenario step, and only a subinterpreter can be ended
//    (Py_EndInterpreter) without ending the process's Python;
//  * a fault that corrupts an interpreter's state is contained in one execution's interpreters.
// It costs a few milliseconds per execution (the interpreter imports its startup modules).
//
// Each interpreter defines, at creation:
//   class GcsObject:   __slots__ = ('f0', 'f1', 'f2', 'f3', '__weakref__')
//   class GcsSubclass(GcsObject): __slots__ = ('g0',)
// Slots hold the four reference fields, so instances are GC-tracked and traversed by CPython's
// own subtype_traverse, which for GcsSubclass chains to the base's slots (PyO3's
// call_super_traverse done right). Automatic collection is off (gc.set_threshold(0), which
// keeps PyGC_Collect working, unlike gc.disable()): a collection happens only where the scenario
// (or teardown) asks for one, never at an allocation count that interpreter internals shift.
#pragma once

#include <Python.h>  // first: it sets feature macros the standard headers read

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/ids.h"

namespace gcs::cpython {

struct PoolEntry {
  PyObject* obj = nullptr;  // the reference a dropped handle held
  core::AllocId id = core::kNoAlloc;
};

struct PyVm {
  enum class State : uint8_t { kNone, kAlive, kClosing, kDestroyed };

  // Written under the model GIL; read without it by drops, which only need to know whether
  // the handle's reference went with its VM.
  std::atomic<State> state{State::kNone};
  PyInterpreterState* interp = nullptr;
  // Owned references into this interpreter, released before it ends.
  std::array<PyObject*, 2> classes{};  // GcsObject, GcsSubclass
  std::array<PyObject*, 4> field_names{};
  PyObject* finalize = nullptr;        // weakref.finalize
  PyObject* get_objects = nullptr;     // gc.get_objects
  PyObject* probe_callback = nullptr;  // the one weakref callback every probe here shares
  std::vector<PyObject*> finalizers;   // finalize objects, token order (token = index + 1)
  std::vector<PyObject*> weakrefs;     // weakref objects scenario `weak` steps made
  // The reference pool: drops made without the GIL, applied by the next thread that takes the
  // GIL in this VM (PyO3's ReferencePool, one per interpreter since objects must die with their
  // own interpreter's thread state current).
  std::mutex pool_mu;
  std::vector<PoolEntry> pool;
  uint64_t frees = 0;  // scenario objects of this VM reported freed so far
  uint64_t live = 0;   // scenario objects of this VM alive now
};

// Creates vm's interpreter. Call with the GIL held; returns with the new interpreter's first
// thread state current, which becomes the caller's state in it.
PyThreadState* CreateInterpreter(PyVm& vm);
// Releases vm's own references above (finalizers and weakrefs included). Call with a thread
// state of vm current.
void ReleaseInterpreterObjects(PyVm& vm);

}  // namespace gcs::cpython
