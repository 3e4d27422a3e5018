// gcstress target — creating a scenario VM's subinterpreter and its classes.
#include "harness/targets/cpython/cpython_vm.h"

#include <string>

#include "core/check.h"
#include "harness/targets/cpython/cpython_runtime.h"

namespace gcs::cpython {
namespace {

constexpr const char* kSetupCode =
    "import gc, weakref\n"
    "gc.set_threshold(0)\n"
    "class GcsObject:\n"
    "    __slots__ = ('f0', 'f1', 'f2', 'f3', '__weakref__')\n"
    "class GcsSubclass(GcsObject):\n"
    "    __slots__ = ('g0',)\n";

PyObject* Take(PyObject* globals, const char* name) {
  PyObject* value = PyDict_GetItemString(globals, name);  // borrowed
  GCS_CHECK_MSG(value != nullptr, name);
  Py_INCREF(value);
  return value;
}

}  // namespace

PyThreadState* CreateInterpreter(PyVm& vm) {
  GCS_CHECK(vm.state.load() == PyVm::State::kNone);
  PyThreadState* tstate = Py_NewInterpreter();
  if (tstate == nullptr) {
    PyErr_Print();
    GCS_CHECK_MSG(false, "Py_NewInterpreter failed");
  }
  vm.interp = PyThreadState_GetInterpreter(tstate);
  PyObject* globals = Checked(PyDict_New(), "globals");
  GCS_CHECK(PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) == 0);
  Py_DECREF(Checked(PyRun_String(kSetupCode, Py_file_input, globals, globals), "setup code"));
  vm.classes[0] = Take(globals, "GcsObject");
  vm.classes[1] = Take(globals, "GcsSubclass");
  PyObject* weakref = Take(globals, "weakref");
  vm.finalize = Checked(PyObject_GetAttrString(weakref, "finalize"), "weakref.finalize");
  Py_DECREF(weakref);
  PyObject* gc = Take(globals, "gc");
  vm.get_objects = Checked(PyObject_GetAttrString(gc, "get_objects"), "gc.get_objects");
  Py_DECREF(gc);
  Py_DECREF(globals);
  for (size_t i = 0; i < vm.field_names.size(); ++i) {
    const std::string name = "f" + std::to_string(i);
    vm.field_names[i] = Checked(PyUnicode_InternFromString(name.c_str()), "field name");
  }
  vm.state.store(PyVm::State::kAlive);
  return tstate;
}

void ReleaseInterpreterObjects(PyVm& vm) {
  for (PyObject*& c : vm.classes)
    Py_CLEAR(c);
  for (PyObject*& n : vm.field_names)
    Py_CLEAR(n);
  Py_CLEAR(vm.finalize);
  Py_CLEAR(vm.get_objects);
  Py_CLEAR(vm.probe_callback);
  for (PyObject* f : vm.finalizers)
    Py_DECREF(f);
  vm.finalizers.clear();
  for (PyObject* w : vm.weakrefs)
    Py_DECREF(w);
  vm.weakrefs.clear();
}

}  // namespace gcs::cpython
