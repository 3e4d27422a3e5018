// gcstress core — weak reference cells.
#include "core/weak_ref.h"

#include "core/check.h"

namespace gcs::core {

uint32_t WeakTable::Add(Object* target) {
  cells_.push_back(Cell{target, target->id, target->first_weak});
  const auto index = static_cast<uint32_t>(cells_.size());
  target->first_weak = index;
  return index;
}

Object* WeakTable::Get(uint32_t cell) const {
  GCS_CHECK(Valid(cell));
  return cells_[cell - 1].target;
}

AllocId WeakTable::TargetId(uint32_t cell) const {
  GCS_CHECK(Valid(cell));
  return cells_[cell - 1].target_id;
}

int WeakTable::ClearAll(Object* target) {
  int cleared = 0;
  for (uint32_t i = target->first_weak; i != 0;) {
    Cell& c = cells_[i - 1];
    GCS_CHECK(c.target == target);
    c.target = nullptr;
    i = c.next;
    ++cleared;
  }
  target->first_weak = 0;
  return cleared;
}

}  // namespace gcs::core
