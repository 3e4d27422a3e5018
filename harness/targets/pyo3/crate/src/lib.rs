//! gcstress pyo3 target — the Rust side: scenario handles as PyO3 `Py<PyAny>` values, behind a C ABI.
//!
//! Everything a handle does to its object's reference count is PyO3's own code, unmodified:
//! `Py::clone` and `Drop for Py` call `gil::register_incref` / `register_decref`, which apply the
//! change at once when PyO3 counts the GIL as held on this thread and queue it in PyO3's global
//! reference pool otherwise; a new `GILPool` applies that pool. The C++ adapter
//! (harness/targets/pyo3/pyo3_target.h) decides only *when* each of these is called, exactly as
//! the scenario says, and reports what it asked for.
//!
//! Contract of every function: the pointers are the ones this library handed out, and each
//! handle is dropped or forgotten once. A panic never crosses the C boundary: where PyO3 may
//! refuse (a version whose clone without the GIL panics), the panic is caught and reported as a
//! null result.

use pyo3::ffi;
use pyo3::{AsPyPointer, GILPool, Py, PyAny, Python};
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A scenario handle: one owned `Py<PyAny>`.
pub struct Handle(Py<PyAny>);

/// PyO3's own entry into Rust with the GIL held: what its trampolines do whenever Python calls a
/// Rust function. PyO3 counts the GIL as held on this thread until `gcs_pyo3_leave`, and applies
/// its reference pool now. The calling thread must hold the GIL (through the C API).
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_enter() -> *mut GILPool {
    Box::into_raw(Box::new(GILPool::new()))
}

/// Ends what `gcs_pyo3_enter` began, on the same thread, in reverse order of entering.
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_leave(pool: *mut GILPool) {
    drop(Box::from_raw(pool));
}

/// A handle taking over one owned reference to `obj`. The GIL must be held.
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_own(obj: *mut ffi::PyObject) -> *mut Handle {
    let py = Python::assume_gil_acquired();
    Box::into_raw(Box::new(Handle(Py::from_owned_ptr(py, obj))))
}

/// `Py::clone`, with or without the GIL: PyO3 decides whether the incref happens now or is
/// deferred. Null if PyO3 refused (panicked).
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_clone(handle: *const Handle) -> *mut Handle {
    match catch_unwind(AssertUnwindSafe(|| (*handle).0.clone())) {
        Ok(copy) => Box::into_raw(Box::new(Handle(copy))),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Drops the handle: `Drop for Py`, with or without the GIL. False if PyO3 panicked.
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_drop(handle: *mut Handle) -> bool {
    let boxed = Box::from_raw(handle);
    catch_unwind(AssertUnwindSafe(move || drop(boxed))).is_ok()
}

/// Frees the handle without running `Drop for Py`: for a handle whose object is already dead,
/// which the adapter never touches again.
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_forget(handle: *mut Handle) {
    let Handle(object) = *Box::from_raw(handle);
    std::mem::forget(object);
}

/// The object a handle refers to (borrowed).
#[no_mangle]
pub unsafe extern "C" fn gcs_pyo3_object(handle: *const Handle) -> *mut ffi::PyObject {
    (*handle).0.as_ptr()
}

/// The PyO3 version this library was built against, e.g. "0.17.3".
#[no_mangle]
pub extern "C" fn gcs_pyo3_version() -> *const c_char {
    concat!(env!("GCS_PYO3_VERSION"), "\0").as_ptr() as *const c_char
}
