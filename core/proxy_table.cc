// gcstress core — export tables, per destination (fixed) or shared (fault proxy-shared-table).
#include "core/proxy_table.h"

namespace gcs::core {

ExportTables::AddResult ExportTables::Add(VmIndex dest, Object* obj) {
  std::lock_guard<std::mutex> guard(mu_);
  Table& t = TableFor(dest);
  auto found = t.by_obj.find(obj->id);
  if (found != t.by_obj.end()) {
    Entry& e = t.by_id.at(found->second);
    // The fixed table counts the second proxy; the shared table just hands out the same id.
    if (!shared_) ++e.count;
    return {e.id, false};
  }
  const ExportId id = t.next_id++;
  t.by_id.emplace(id, Entry{id, obj, obj->id, 1});
  t.by_obj.emplace(obj->id, id);
  return {id, true};
}

std::optional<ExportTables::Entry> ExportTables::Release(VmIndex dest, ExportId id) {
  std::lock_guard<std::mutex> guard(mu_);
  Table& t = TableFor(dest);
  auto it = t.by_id.find(id);
  if (it == t.by_id.end()) return std::nullopt;
  // Shared table: any release deletes the entry, whoever else still holds a proxy to it.
  if (!shared_ && --it->second.count > 0) return std::nullopt;
  Entry e = it->second;
  t.by_obj.erase(e.obj_id);
  t.by_id.erase(it);
  return e;
}

const ExportTables::Table* ExportTables::FindTable(VmIndex dest) const {
  if (shared_) return &shared_table_;
  auto it = tables_.find(dest);
  return it == tables_.end() ? nullptr : &it->second;
}

std::optional<ExportTables::Entry> ExportTables::Lookup(VmIndex dest, ExportId id) const {
  std::lock_guard<std::mutex> guard(mu_);
  const Table* t = FindTable(dest);
  if (t == nullptr) return std::nullopt;
  auto it = t->by_id.find(id);
  if (it == t->by_id.end()) return std::nullopt;
  return it->second;
}

std::vector<ExportTables::Entry> ExportTables::DropTable(VmIndex dest) {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Entry> out;
  if (shared_) return out;  // a shared table cannot tell whose entries these are
  auto it = tables_.find(dest);
  if (it == tables_.end()) return out;
  for (auto& [id, e] : it->second.by_id)
    out.push_back(e);
  tables_.erase(it);
  return out;
}

std::vector<ExportTables::Entry> ExportTables::DropAll() {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Entry> out;
  for (auto& [dest, t] : tables_) {
    for (auto& [id, e] : t.by_id)
      out.push_back(e);
  }
  for (auto& [id, e] : shared_table_.by_id)
    out.push_back(e);
  tables_.clear();
  shared_table_ = Table{};
  return out;
}

}  // namespace gcs::core
