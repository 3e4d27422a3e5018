// gcstress engine — VarTable: what each scenario variable is bound to, with borrows.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/target/target.h"

namespace gcs {

// Scenario-wide variables. A step borrows the values of the variables it names for as long as
// it runs; a variable rebound or dropped by another thread meanwhile is unbound at once (later
// steps see it unbound and are skipped), but the value itself is let go only when its last
// borrower is done — by that borrower, on its own thread. So a scenario can never make the
// harness use a handle after the harness itself dropped it: like an Arc in the binding, a step
// in flight keeps what it uses. In deterministic mode this is a pure function of the schedule.
//
// Thread-safe: free mode calls it from parallel threads (one short lock per call).
class VarTable {
 public:
  // Room for one binding per variable up front: most are bound at least once.
  explicit VarTable(size_t num_vars) { Reset(num_vars); }

  // As if newly made for `num_vars` variables, keeping the storage: an engine reuses one table
  // for every execution instead of allocating two vectors per run. Not while a step is in flight.
  void Reset(size_t num_vars);

  struct Borrow {
    uint32_t binding;
    Value value;
  };
  // A value nobody binds or borrows any more: the caller lets it go (Target::Discard).
  struct Released {
    VarId var;
    Value value;
  };
  // Borrows the variable's current value; nullopt if unbound.
  std::optional<Borrow> TryBorrow(VarId var);
  // Ends a borrow. Returns the value if this was the last borrow of a binding that was unbound
  // meanwhile: the caller must let it go (Target::Discard).
  std::optional<Released> EndBorrow(uint32_t binding);

  // Binds `var` to a new value. If it was bound, returns the old value when nobody borrows it:
  // the caller lets it go (otherwise its last borrower will).
  std::optional<Released> Bind(VarId var, Value value);
  // Unbinds `var` (drop): returns its value when nobody borrows it, as for Bind.
  std::optional<Released> Unbind(VarId var);
  bool Bound(VarId var);
  // Teardown: unbinds everything in variable order; returns (var, value) pairs to let go.
  std::vector<Released> UnbindAll();
  // The same into `out` (cleared first), whose storage the caller keeps from run to run.
  void UnbindAll(std::vector<Released>& out);

 private:
  static constexpr uint32_t kUnbound = 0xFFFFFFFF;
  struct Binding {
    Value value;
    VarId var;
    uint32_t borrows = 0;
    bool bound = true;
  };
  std::optional<Released> Release(uint32_t binding);

  std::mutex mu_;
  std::vector<uint32_t> vars_;  // var -> current binding, or kUnbound
  std::vector<Binding> bindings_;
};

}  // namespace gcs
