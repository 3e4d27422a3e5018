// gcstress oracles — CleanErrorOracle: documented error cases must end with an error.
#pragma once

#include <memory>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// A `use`, `call` or `release` step on a proxy whose owner VM had been terminated or destroyed
// (Terminate / VmDestroyBegin recorded before the step began) must fail with the target's error
// (the core: target-terminated), never succeed as if the object were still there. A close that
// lands while the step is in flight may go either way and is not judged. The step's proxy is
// the value its `obj` variable held when the step began (the engine borrows it right then).
class CleanErrorOracle final : public ShadowOracle {
 public:
  explicit CleanErrorOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                            const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "clean-error"; }
  EntryInterest Interest() const override;

 protected:
  void Judge(const TraceEntry& entry, size_t index) override;
};

}  // namespace gcs
