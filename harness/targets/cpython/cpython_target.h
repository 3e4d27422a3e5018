// gcstress target — the cpython target: embedded CPython 3.11 behind the Target interface.
//
// This header is Python-free so that the target table and tests can include it anywhere;
// cpython_adapter.h holds the adapter itself and the op mapping.
#pragma once

#include <memory>

#include "harness/target/target.h"

namespace gcs {

// A fresh cpython target. The interpreter is initialized on the first execution's Begin. One
// cpython execution runs at a time per process (the GIL is per process): several targets'
// executions (gcstress --jobs) take turns, so jobs add no parallelism here.
std::unique_ptr<Target> MakeCpythonTarget();

}  // namespace gcs
