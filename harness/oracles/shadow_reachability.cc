// gcstress oracles — ShadowModel's queries: roots, counts, holders and reachability walks.
//
// What the oracles ask of the model the events built (shadow_model.cc): the apply side changes
// the model, this side only reads it (the marks aside, which are scratch space of the walks).
#include "harness/oracles/shadow_model.h"

#include <algorithm>
#include <string>
#include <vector>

namespace gcs {

int64_t ShadowModel::Roots(const Object& o, Reach reach) const {
  int64_t n = int64_t{o.bindings} + o.stranded + o.holds + o.pool + o.registry_held;
  if (o.kind == core::ObjectKind::kType) ++n;  // VM roots until their VM is destroyed
  if (reach == Reach::kLiveness) n += o.export_entries;
  return n;
}

int64_t ShadowModel::Count(core::AllocId id) const {
  const Object* o = Find(id);
  if (o == nullptr) return 0;
  return int64_t{o->bindings} + o->stranded + o->pool + o->registry_held + o->export_entries +
         o->table_refs + o->type_users + static_cast<int64_t>(o->in.size());
}

std::string ShadowModel::DescribeHolders(core::AllocId id) const {
  const Object* o = Find(id);
  if (o == nullptr) return "unknown";
  std::string out;
  auto add = [&](int64_t n, const char* what) {
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + what;
  };
  add(o->bindings, "binding(s)");
  add(o->stranded, "refused drop(s)");
  add(o->pool, "queued drop(s)");
  add(o->registry_held, "registry entr(ies)");
  add(o->export_entries, "export entr(ies)");
  add(o->table_refs, "type table(s)");
  add(o->type_users, "instance(s)");
  add(static_cast<int64_t>(o->in.size()), "edge(s)");
  return out.empty() ? "nothing" : out;
}

uint32_t ShadowModel::NextMark() {
  if (++mark_gen_ == 0) {
    std::fill(mark_.begin(), mark_.end(), 0);
    mark_gen_ = 1;
  }
  return mark_gen_;
}

bool ShadowModel::Reachable(core::AllocId id, Reach reach, std::span<const core::VmIndex> exclude,
                            core::AllocId* root) {
  auto excluded = [&](const Object& o) {
    return std::find(exclude.begin(), exclude.end(), o.vm) != exclude.end();
  };
  const Object* x = Find(id);
  if (x == nullptr || !x->alive() || excluded(*x)) return false;
  const bool use_cache = reach == Reach::kStrong && exclude.empty();
  if (use_cache && unreachable_gen_[id] == cache_gen_) return false;
  const uint32_t m = NextMark();
  queue_.clear();
  queue_.push_back(id);
  mark_[id] = m;
  auto visit = [&](core::AllocId s) {
    if (s == core::kNoAlloc || s >= used_ || mark_[s] == m) return;
    const Object& so = objs_[s];
    if (!so.alive() || excluded(so)) return;
    mark_[s] = m;
    queue_.push_back(s);
  };
  for (size_t i = 0; i < queue_.size(); ++i) {
    const core::AllocId cur = queue_[i];
    const Object& o = objs_[cur];
    if (Roots(o, reach) > 0) {
      if (root != nullptr) *root = cur;
      return true;
    }
    for (core::AllocId s : o.in)
      visit(s);
    for (core::AllocId p : o.proxies) {
      if (p < used_ && objs_[p].proxy_active && objs_[p].proxy_target == cur) visit(p);
    }
  }
  // Nothing that reaches `id` is a root, so nothing in its backward closure is reachable either,
  // until something is added.
  if (use_cache) {
    for (core::AllocId s : queue_)
      unreachable_gen_[s] = cache_gen_;
  }
  return false;
}

std::vector<core::VmIndex> ShadowModel::ProxyVmsReaching(core::AllocId id) {
  std::vector<core::VmIndex> vms;
  const Object* x = Find(id);
  if (x == nullptr || !x->alive()) return vms;
  const uint32_t m = NextMark();
  queue_.clear();
  queue_.push_back(id);
  mark_[id] = m;
  for (size_t i = 0; i < queue_.size(); ++i) {
    const core::AllocId cur = queue_[i];
    const Object& o = objs_[cur];
    auto visit = [&](core::AllocId s) {
      if (s == core::kNoAlloc || s >= used_ || mark_[s] == m || !objs_[s].alive()) return;
      mark_[s] = m;
      queue_.push_back(s);
    };
    for (core::AllocId s : o.in)
      visit(s);
    for (core::AllocId p : o.proxies) {
      if (p >= used_ || !objs_[p].proxy_active || objs_[p].proxy_target != cur) continue;
      if (objs_[p].alive()) vms.push_back(objs_[p].vm);
      visit(p);
    }
  }
  std::sort(vms.begin(), vms.end());
  vms.erase(std::unique(vms.begin(), vms.end()), vms.end());
  return vms;
}

std::vector<core::AllocId> ShadowModel::UnreachableIn(core::VmIndex vm) {
  const uint32_t m = NextMark();
  queue_.clear();
  for (core::AllocId id = 1; id < used_; ++id) {
    if (objs_[id].alive() && Roots(objs_[id], Reach::kLiveness) > 0) {
      mark_[id] = m;
      queue_.push_back(id);
    }
  }
  auto visit = [&](core::AllocId s) {
    if (s == core::kNoAlloc || s >= used_ || mark_[s] == m || !objs_[s].alive()) return;
    mark_[s] = m;
    queue_.push_back(s);
  };
  for (size_t i = 0; i < queue_.size(); ++i) {
    const Object& o = objs_[queue_[i]];
    for (const OutEdge& e : o.out)
      visit(e.to);
    visit(o.type);
    if (o.proxy_active) visit(o.proxy_target);
  }
  std::vector<core::AllocId> out;
  for (core::AllocId id = 1; id < used_; ++id) {
    const Object& o = objs_[id];
    if (o.alive() && o.vm == vm && o.kind != core::ObjectKind::kType && mark_[id] != m) {
      out.push_back(id);
    }
  }
  return out;
}

}  // namespace gcs
