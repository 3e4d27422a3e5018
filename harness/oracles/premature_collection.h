// gcstress oracles — PrematureCollectionOracle: an object freed or finalized while reachable.
#pragma once

#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// A Free or Finalize event for an object the shadow model still reaches from a root (kStrong:
// bindings, steps in flight, queued drops, registry entries, type objects, edges, and live
// proxies' edges to their targets). Legitimate exceptions, both from the spec:
//  * a VM's own objects freed between its VmDestroyBegin and VmDestroyEnd (a destroyed VM frees
//    its heap whatever holds it);
//  * an object freed because the VM whose proxies were all that reached it is being closed: a
//    worker's termination drops the exports held for it before it reports Terminate and
//    VmDestroyBegin. Such a free is held back, with the VMs whose loss would make it
//    unreachable, and excused if the same thread then begins destroying one of them within the
//    same step (or teardown); otherwise it is reported when that step ends.
// Needs a full event stream: without every edge and handle the model cannot claim reachability.
class PrematureCollectionOracle final : public ShadowOracle {
 public:
  explicit PrematureCollectionOracle(std::shared_ptr<ShadowModel> shadow = nullptr,
                                     bool full_stream = true, const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "premature-collection"; }
  std::vector<Violation> Violations() const override;

 protected:
  void OnBegin() override { held_back_.clear(); }
  void Judge(const TraceEntry& entry, size_t index) override;
  void Finish(Target& target, const Execution& execution) override;

 private:
  struct HeldBack {
    Violation violation;
    uint32_t thread;                        // trace thread of the free
    std::vector<core::VmIndex> excused_by;  // closing any of these makes it legitimate
  };
  void Confirm(uint32_t thread);  // every held-back free of `thread` (UINT32_MAX: all)

  std::vector<HeldBack> held_back_;
};

}  // namespace gcs
