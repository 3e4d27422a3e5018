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
//    worker's termination, or a VM's destruction, drops the exports held for it before it
//    reports Terminate or VmDestroyBegin, and other threads may run in between (the closing
//    thread waits for the world to stop). Such a free is held back, with the VMs whose loss
//    would make it unreachable (one VM, or several whose proxies together are all that reach
//    it) and the threads that were inside a step when it happened (and the freeing thread): it
//    is excused once those threads have begun closing those VMs, each before its step ends, and
//    reported once all of them have ended the step they were in.
// Also an export entry dropped while a live proxy in its destination (not released, not
// invalidated) still uses it, its owner and destination not closing: the spec drops an entry
// only for its last proxy's release or a close (held back like a closing VM's free).
// Also a use of a live proxy — not released, not invalidated, its owner not closed — that the
// target answers with dangling-proxy: what it reaches was let go while it still reached it.
// Needs a full event stream: without every edge and handle the model cannot claim reachability.
class PrematureCollectionOracle final : public ShadowOracle {
 public:
  explicit PrematureCollectionOracle(std::shared_ptr<ShadowModel> shadow = nullptr,
                                     bool full_stream = true, const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "premature-collection"; }
  EntryInterest Interest() const override;
  std::vector<Violation> Violations() const override;

 protected:
  void OnBegin() override { held_back_.clear(); }
  void Judge(const TraceEntry& entry, size_t index) override;
  void Finish(Target& target, const Execution& execution) override;

 private:
  struct HeldBack {
    Violation violation;
    // Closing every VM of any one of these makes it legitimate; each VM a closer closes is
    // crossed off.
    std::vector<std::vector<core::VmIndex>> excuses;
    std::vector<uint32_t> closers;  // the trace threads that may still close one
    bool export_drop = false;       // an export drop's, not a free's
  };
  // The sets of VMs whose proxies are all that reach `obj` (see Excuses in the .cc).
  static std::vector<std::vector<core::VmIndex>> Excuses(ShadowModel& model, core::AllocId obj);
  // `thread` ended the step it was in: it can excuse nothing more; a free no thread can excuse
  // any more is reported. UINT32_MAX: the execution is over, every held-back free is reported.
  void StepOver(uint32_t thread);
  // An export entry dropped while a live proxy in its destination still uses it.
  void UnpredictedExportDrop(const TraceEntry& e, size_t index);
  // A use of a live proxy answered dangling-proxy: its target was let go while it reached it.
  void DanglingLiveProxy(const TraceEntry& e, size_t index);

  std::vector<HeldBack> held_back_;
};

}  // namespace gcs
