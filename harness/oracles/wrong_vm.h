// gcstress oracles — WrongVmOracle: objects owned by the wrong VM, cross-VM references.
#pragma once

#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// An object allocated for VM V belongs to V; VMs reference each other only through proxies.
//  * an Alloc by a thread between VmCreateBegin(V) and VmCreateEnd(V) that V does not own (the
//    constructor allocated through a stale current VM: PocketPy #315);
//  * a TypeRegister in V of an object another VM owns;
//  * an Alloc whose type object belongs to another VM than the new object;
//  * an Alloc in V once V's destruction began (by another thread) or ended: it has no heap;
//  * an EdgeSet, or a registry entry's held value, crossing VMs;
//  * a Finalize of V's object during V's destruction (between the thread's VmDestroyBegin(V)
//    and VmDestroyEnd(V)) while the thread's current VM is not V: the spec destroys a VM with
//    current = that VM.
// Works from reported events alone.
class WrongVmOracle final : public ShadowOracle {
 public:
  explicit WrongVmOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                         const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "wrong-vm"; }
  EntryInterest Interest() const override;

 protected:
  void OnBegin() override {
    constructing_.clear();
    destroying_.clear();
  }
  void Judge(const TraceEntry& entry, size_t index) override;

 private:
  std::vector<core::VmIndex> constructing_;  // by trace thread: the VM it is constructing
  std::vector<core::VmIndex> destroying_;    // by trace thread: the VM it is destroying
};

}  // namespace gcs
