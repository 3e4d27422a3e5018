// gcstress oracles — DoubleFreeOracle.
#include "harness/oracles/double_free.h"

#include <string>

namespace gcs {

EntryInterest DoubleFreeOracle::Interest() const {
  return EntryInterest().Event(core::EventKind::kFree);
}

void DoubleFreeOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind != TraceEntry::Kind::kEvent || e.event.kind != core::EventKind::kFree) return;
  const core::AllocId id = e.event.obj;
  if (!shadow().Freed(id)) {
    if (id < (core::AllocId{1} << 24)) {
      if (id >= first_free_.size()) first_free_.resize(id + 1, 0);
      if (first_free_[id] == 0) first_free_[id] = index + 1;
    }
    return;
  }
  std::string first = id < first_free_.size() && first_free_[id] != 0
                          ? "first freed at trace entry " + std::to_string(first_free_[id] - 1)
                          : std::string("first freed earlier");
  Report(ViolationKind::kDoubleFree, e.thread, e.event.site, id, index,
         "allocation " + AllocName(id) + " freed twice (" + first + ", again at @" + e.event.site +
             ")");
}

}  // namespace gcs
