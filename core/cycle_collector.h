// gcstress core — the cycle collector (CPython-style) and enumerate (gc.get_objects()).
#pragma once

#include <cstddef>
#include <vector>

#include "core/env.h"

namespace gcs::core {

class Vm;

// Collects the unreachable cycles of `vm` and returns how many objects it freed. The caller is
// inside the VM and holds its lock; the lock is released and re-taken during the finalize and
// clear phases (the world restarts), and held again on return. A collection already running on
// the VM makes this a no-op returning 0 (CPython's `collecting` flag).
size_t Collect(Env& env, ThreadState& ts, Vm& vm);

// Lists the ids of `vm`'s live tracked objects in heap order, skipping objects being collected.
// The caller holds the VM's lock. Fault gc-worklist-race: builds the list through the header link
// the collector's worklist uses, and does not skip objects being collected.
std::vector<AllocId> Enumerate(Env& env, ThreadState& ts, Vm& vm);

}  // namespace gcs::core
