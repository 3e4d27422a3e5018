// gcstress oracles — UseAfterFreeOracle: an event acting on an allocation that is already freed.
#pragma once

#include <memory>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// Any event that acts on a freed id: a use, a refcount change (an incref of a freed id revives
// it), an edge from or to it, a pool entry, a registration, an export, a type reference of a new
// object. Events that only *name* a dead id are not uses: a registry callback's target (freed by
// definition), an unregistered entry's target, a settled call's promise id. Free itself is
// DoubleFreeOracle's. Works from reported events alone.
class UseAfterFreeOracle final : public ShadowOracle {
 public:
  explicit UseAfterFreeOracle(std::shared_ptr<ShadowModel> shadow = nullptr,
                              bool full_stream = true, const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "use-after-free"; }
  EntryInterest Interest() const override;

 protected:
  void Judge(const TraceEntry& entry, size_t index) override;
};

}  // namespace gcs
