// gcstress core — WeakTable: a VM's weak reference cells.
#pragma once

#include <cstdint>
#include <vector>

#include "core/object.h"

namespace gcs::core {

// Weak references to the objects of one VM. A cell outlives its target: once the target is
// freed (or found unreachable by the collector, before any finalizer runs, as CPython's
// handle_weakrefs does) the cell is cleared and upgrades yield nothing. Cells are never reused,
// so a stale cell index can never name a newer object. Guarded by the VM's lock.
class WeakTable {
 public:
  // A new cell for `target`; returns its 1-based index.
  uint32_t Add(Object* target);
  // The cell's target, or nullptr once cleared. `cell` must come from Add.
  Object* Get(uint32_t cell) const;
  AllocId TargetId(uint32_t cell) const;
  bool Valid(uint32_t cell) const { return cell >= 1 && cell <= cells_.size(); }
  // Clears every cell of `target`; returns how many.
  int ClearAll(Object* target);

 private:
  struct Cell {
    Object* target;
    AllocId target_id;
    uint32_t next;  // next cell of the same target, 0 = none
  };
  std::vector<Cell> cells_;
};

}  // namespace gcs::core
