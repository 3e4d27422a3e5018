// gcstress core — ExportTables: what a VM has exported to other VMs, one table per destination.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "core/object.h"

namespace gcs::core {

// The owner side of cross-VM proxies (coincident / Comlink). Exporting an object to a VM puts it
// in the owner's table for that VM under an id, counted per (destination, id): two proxies of the
// same object in the same worker share the id, and the entry — the owner's strong reference —
// goes only when the last of them is released. Tables of different workers are independent, so
// one worker's release can never drop an object another worker still reaches.
//
// Fault proxy-shared-table (coincident before PR #49 / pyscript #2188): one table for every
// worker, one id per object, no count, and any release deletes the entry outright.
//
// A leaf lock of its own (proxies in other VMs resolve through it without the owner's VM lock).
class ExportTables {
 public:
  struct Entry {
    ExportId id = 0;
    Object* obj = nullptr;
    AllocId obj_id = kNoAlloc;
    int64_t count = 0;  // proxies in the destination VM that use this entry
  };
  struct AddResult {
    ExportId id;
    bool new_entry;  // the caller must incref obj: the entry holds one strong reference
  };

  explicit ExportTables(bool shared_table) : shared_(shared_table) {}

  AddResult Add(VmIndex dest, Object* obj);
  // One release from `dest`. Returns the entry if it was removed (the caller decrefs its object).
  std::optional<Entry> Release(VmIndex dest, ExportId id);
  std::optional<Entry> Lookup(VmIndex dest, ExportId id) const;
  // Removes every entry held for `dest` (it was terminated or destroyed); the caller decrefs.
  std::vector<Entry> DropTable(VmIndex dest);
  // Removes everything (the owner VM is being destroyed); the caller decrefs.
  std::vector<Entry> DropAll();

 private:
  struct Table {
    std::map<ExportId, Entry> by_id;
    std::map<AllocId, ExportId> by_obj;
    ExportId next_id = 1;
  };
  Table& TableFor(VmIndex dest) { return shared_ ? shared_table_ : tables_[dest]; }
  const Table* FindTable(VmIndex dest) const;

  const bool shared_;
  mutable std::mutex mu_;
  std::map<VmIndex, Table> tables_;  // ordered: DropAll returns entries deterministically
  Table shared_table_;
};

}  // namespace gcs::core
