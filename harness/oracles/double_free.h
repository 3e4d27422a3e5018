// gcstress oracles — DoubleFreeOracle: an allocation freed a second time.
#pragma once

#include <memory>
#include <vector>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// A Free event for an id the model has already seen freed. (An incref of a freed id — the
// "resurrection" half of PyO3 #4105 — is a use-after-free, reported by UseAfterFreeOracle; the
// second free that usually follows is reported here.) Works from reported events alone, so it
// runs on probe-based targets too.
class DoubleFreeOracle final : public ShadowOracle {
 public:
  explicit DoubleFreeOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                            const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "double-free"; }
  EntryInterest Interest() const override;

 protected:
  void OnBegin() override { first_free_.clear(); }
  void Judge(const TraceEntry& entry, size_t index) override;

 private:
  std::vector<size_t> first_free_;  // by id: 1 + the trace index of its first free
};

}  // namespace gcs
