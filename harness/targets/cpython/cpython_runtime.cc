// gcstress target — initializing the embedded interpreter once, and the per-thread anchors.
#include "harness/targets/cpython/cpython_runtime.h"

#include <mutex>

#include "core/check.h"

#ifndef GCS_PYTHON_HOME
#error \
    "GCS_PYTHON_HOME (sys.prefix of the interpreter we embed) comes from harness/targets/cpython/CMakeLists.txt"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define GCS_CPYTHON_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GCS_CPYTHON_MALLOC 1
#endif
#endif

namespace gcs::cpython {
namespace {

thread_local PyThreadState* tls_anchor = nullptr;

void CheckStatus(PyStatus status, const char* what) {
  if (PyStatus_Exception(status)) {
    GCS_CHECK_MSG(false, status.err_msg != nullptr ? status.err_msg : what);
  }
}

void Initialize() {
  PyPreConfig pre;
  PyPreConfig_InitIsolatedConfig(&pre);
#ifdef GCS_CPYTHON_MALLOC
  pre.allocator = PYMEM_ALLOCATOR_MALLOC;
#endif
  CheckStatus(Py_PreInitialize(&pre), "Py_PreInitialize");

  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);
  // pyenv shims shadow python3 on PATH, and the path calculation would follow them to another
  // installation's standard library: name the prefix of the interpreter we link against.
  CheckStatus(PyConfig_SetBytesString(&config, &config.home, GCS_PYTHON_HOME), "home");
  config.install_signal_handlers = 0;  // the harness owns the process's signals
  config.site_import = 0;
  config.write_bytecode = 0;
  config.use_hash_seed = 1;  // no per-process hash randomization: same dict orders everywhere
  config.hash_seed = 0;
  const PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  CheckStatus(status, "Py_InitializeFromConfig");
  // CPython 3.11 shares the static builtin types between interpreters, and with them state the
  // first interpreter to import weakref (and so _collections_abc) leaves on them: if that
  // interpreter ends before one that imported it later, allocations made during its import leak
  // (LSan: 4 per pair of subinterpreters; none when they end newest first). Importing here,
  // in the main interpreter that never ends, makes it the first: no order of destroy_vm leaks.
  GCS_CHECK_MSG(PyRun_SimpleString("import gc, weakref") == 0, "import gc, weakref");
  // The initial thread state is this thread's anchor; the GIL is free from here on.
  tls_anchor = PyEval_SaveThread();
}

}  // namespace

void EnsureInitialized() {
  static std::once_flag once;
  std::call_once(once, Initialize);
}

PyThreadState* Anchor() {
  if (tls_anchor == nullptr) {
    // PyThreadState_New takes the runtime's own lock, not the GIL (PyGILState_Ensure calls it
    // before taking the GIL too).
    tls_anchor = PyThreadState_New(PyInterpreterState_Main());
    GCS_CHECK(tls_anchor != nullptr);
  }
  return tls_anchor;
}

PyObject* Checked(PyObject* obj, const char* what) {
  if (obj == nullptr) {
    PyErr_Print();
    GCS_CHECK_MSG(false, what);
  }
  return obj;
}

}  // namespace gcs::cpython
