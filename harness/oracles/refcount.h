// gcstress oracles — RefcountOracle: the target's refcounts against the spec's, when quiescent.
#pragma once

#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// Compares Target::Inspect(id).refcount with ShadowModel::Count(id) (bindings, queued drops,
// registry entries, export entries, type tables, instances, edges) at quiescent points, where no
// step holds anything it has not bound yet and no collection holds its worklist:
//  * mid-run, at a step-begin when no other thread has a step in flight (every other thread is
//    parked between two steps, outside the target) — only the allocations whose count or state
//    changed since the last check (a dirty list, so the cost stays O(1) amortized per entry);
//    deterministic mode only, since querying the target needs every other thread stopped;
//  * at the teardown entry (threads done; pools, messages and callbacks may be pending, which
//    the model counts) and after teardown — every live allocation.
// Targets or allocations answering refcount -1 are skipped. Each mismatch is blamed on the last
// event that touched the allocation (thread, step, op, site), which is what makes the signature
// stable whichever quiescent point noticed it. Needs a full event stream.
class RefcountOracle final : public ShadowOracle {
 public:
  explicit RefcountOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                          const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "refcount"; }
  EntryInterest Interest() const override;

 protected:
  void OnBegin() override;
  void Judge(const TraceEntry& entry, size_t index) override;
  void Finish(Target& target, const Execution& execution) override;

 private:
  struct Touch {
    Attribution where;
    const char* site = "";
    bool seen = false;
  };
  void MarkDirty(core::AllocId id);
  void Check(core::AllocId id, size_t index);
  void CheckDirty(size_t index);
  void CheckAll(size_t index);

  std::vector<Touch> touch_;  // by id: the last event that touched it
  std::vector<uint8_t> dirty_;
  std::vector<core::AllocId> dirty_list_;
};

}  // namespace gcs
