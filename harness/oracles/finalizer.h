// gcstress oracles — FinalizerOracle: finalizers exactly once; registry callbacks iff collected.
#pragma once

#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// * A Finalize event for an id whose finalizer already ran (from events alone).
// * A RegistryCallback for an entry whose target the model still has alive, or for an entry the
//   model does not hold (fired twice, or after it was unregistered).
// * After teardown, a registry entry whose target was freed and whose callback never fired.
//   Entries of a closed VM are exempt: a VM's registries die with it, unfired (JS semantics).
// ("Only after its object became unreachable" is PrematureCollectionOracle's: a Finalize of a
// reachable object is premature.) The callback checks need a full event stream and a
// deterministic run.
class FinalizerOracle final : public ShadowOracle {
 public:
  explicit FinalizerOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                           const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "finalizer"; }
  EntryInterest Interest() const override;

 protected:
  void OnBegin() override { finalized_.clear(); }
  void Judge(const TraceEntry& entry, size_t index) override;
  void Finish(Target& target, const Execution& execution) override;

 private:
  std::vector<uint8_t> finalized_;  // by id
};

}  // namespace gcs
