// gcstress engine — variable bindings with borrows.
#include "harness/engine/var_table.h"

#include "core/check.h"

namespace gcs {

void VarTable::Reset(size_t num_vars) {
  std::lock_guard<std::mutex> guard(mu_);
  vars_.assign(num_vars, kUnbound);
  bindings_.clear();
  bindings_.reserve(num_vars);
}

std::optional<VarTable::Borrow> VarTable::TryBorrow(VarId var) {
  std::lock_guard<std::mutex> guard(mu_);
  GCS_CHECK(var < vars_.size());
  const uint32_t b = vars_[var];
  if (b == kUnbound) return std::nullopt;
  ++bindings_[b].borrows;
  return Borrow{b, bindings_[b].value};
}

std::optional<VarTable::Released> VarTable::EndBorrow(uint32_t binding) {
  std::lock_guard<std::mutex> guard(mu_);
  Binding& b = bindings_[binding];
  GCS_CHECK(b.borrows > 0);
  --b.borrows;
  if (b.borrows == 0 && !b.bound) return Released{b.var, b.value};
  return std::nullopt;
}

std::optional<VarTable::Released> VarTable::Release(uint32_t binding) {
  Binding& b = bindings_[binding];
  GCS_CHECK(b.bound);
  b.bound = false;
  if (b.borrows == 0) return Released{b.var, b.value};
  return std::nullopt;
}

std::optional<VarTable::Released> VarTable::Bind(VarId var, Value value) {
  std::lock_guard<std::mutex> guard(mu_);
  GCS_CHECK(var < vars_.size());
  std::optional<Released> old;
  if (vars_[var] != kUnbound) old = Release(vars_[var]);
  bindings_.push_back(Binding{value, var});
  vars_[var] = static_cast<uint32_t>(bindings_.size() - 1);
  return old;
}

std::optional<VarTable::Released> VarTable::Unbind(VarId var) {
  std::lock_guard<std::mutex> guard(mu_);
  GCS_CHECK(var < vars_.size());
  if (vars_[var] == kUnbound) return std::nullopt;
  const uint32_t b = vars_[var];
  vars_[var] = kUnbound;
  return Release(b);
}

bool VarTable::Bound(VarId var) {
  std::lock_guard<std::mutex> guard(mu_);
  return vars_[var] != kUnbound;
}

std::vector<VarTable::Released> VarTable::UnbindAll() {
  std::vector<Released> out;
  UnbindAll(out);
  return out;
}

void VarTable::UnbindAll(std::vector<Released>& out) {
  std::lock_guard<std::mutex> guard(mu_);
  out.clear();
  for (VarId v = 0; v < vars_.size(); ++v) {
    if (vars_[v] == kUnbound) continue;
    const uint32_t b = vars_[v];
    vars_[v] = kUnbound;
    GCS_CHECK_MSG(bindings_[b].borrows == 0, "teardown with a step still in flight");
    bindings_[b].bound = false;
    out.push_back(Released{v, bindings_[b].value});
  }
}

}  // namespace gcs
