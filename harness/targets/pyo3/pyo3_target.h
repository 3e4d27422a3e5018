// gcstress pyo3 target — real PyO3 in front of the embedded CPython: the target table's entry.
//
// This header is Python-free so that the target table can include it; pyo3_target.cc holds the
// adapter and its mapping.
#pragma once

#include "harness/target/target.h"

namespace gcs {

// "pyo3": scenario handles are PyO3 Py<PyAny> values (harness/targets/pyo3/crate), everything
// else the cpython target's. Its one version is the PyO3 it was built against.
TargetInfo Pyo3TargetInfo();

}  // namespace gcs
