// gcstress target — the embedded CPython runtime: one interpreter per process, anchor states.
//
// CPython can be initialized once per process (re-initializing after Py_FinalizeEx leaks and is
// unsupported with extension modules), so this file owns the one process-wide piece of the cpython
// target: the interpreter's initialization, on first use, from whichever thread gets there first.
// Everything per execution lives in subinterpreters (cpython_vm.h).
//
// Anchor thread states. Every OS thread that runs adapter code gets one thread state of the *main*
// interpreter, created the first time it asks and never deleted. Two reasons:
//  * CPython's PyGILState per-thread slot remembers the first thread state created on a thread
//    and is cleared only by PyThreadState_Delete *on that thread*. The adapter deletes scenario
//    threads' states from other threads (destroy_vm, teardown), which would leave the slot
//    dangling on a pool thread that is reused for the next execution. With the anchor created
//    first, the slot always names a live state.
//  * Py_EndInterpreter returns with the GIL held and no current thread state; PyEval_SaveThread
//    needs one to release the GIL from. The thread swaps to its anchor and releases from there.
// The main interpreter itself runs no scenario code.
#pragma once

#include <Python.h>  // first: it sets feature macros the standard headers read

namespace gcs::cpython {

// Initializes the interpreter on the first call, from any thread; later calls return at once.
// Returns with the GIL released. Isolated configuration (no environment, no site, fixed hash
// seed so that nothing in the interpreter varies between processes); under AddressSanitizer
// objects come from malloc (PYMEM_ALLOCATOR_MALLOC) so that ASan sees every object and LSan is
// not flooded by pymalloc's arenas.
void EnsureInitialized();

// The calling OS thread's anchor (see above), created on its first call. No GIL needed.
PyThreadState* Anchor();

// A new reference the adapter cannot do without (class creation, a call that only fails on
// MemoryError): aborts with the Python traceback if `obj` is null.
PyObject* Checked(PyObject* obj, const char* what);

}  // namespace gcs::cpython
