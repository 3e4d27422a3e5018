// gcstress oracles — LeakOracle: objects that outlive what should have freed them.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// Two checks.
//  * After teardown (every handle let go, workers terminated, pools drained, full collections
//    run): every allocation the target still reports alive (Execution::live_after_teardown) is a
//    leak. Works on any target.
//  * Drop-check (PyO3's tests do it by hand): the objects of VM v that are alive and unreachable
//    under kLiveness when a collection of v begins are garbage the collector must free; any of
//    them still alive when that collection ends is a leak. Taking the set at CollectBegin, not
//    at CollectEnd, is what keeps garbage made *during* the collection (while the world was
//    restarted) from counting: the next collection frees that. Needs a full event stream and a
//    deterministic run (in free mode the trace order is only one linearization).
class LeakOracle final : public ShadowOracle {
 public:
  explicit LeakOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                      const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "leak"; }
  EntryInterest Interest() const override;

 protected:
  void OnBegin() override;
  void Judge(const TraceEntry& entry, size_t index) override;
  void Finish(Target& target, const Execution& execution) override;

 private:
  std::array<std::vector<core::AllocId>, core::kMaxVms> garbage_;  // per VM, at CollectBegin
};

}  // namespace gcs
