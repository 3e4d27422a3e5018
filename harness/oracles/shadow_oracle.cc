// gcstress oracles — ShadowOracle: feeding the shadow model and recording violations.
#include "harness/oracles/shadow_oracle.h"

#include <utility>

namespace gcs {

std::string AllocName(core::AllocId id) {
  return "#" + std::to_string(id);
}

ShadowOracle::ShadowOracle(std::shared_ptr<ShadowModel> shadow, bool full_stream,
                           const OracleOptions& options)
    : shadow_(shadow != nullptr ? std::move(shadow) : std::make_shared<ShadowModel>()),
      full_stream_(full_stream),
      options_(options) {}

void ShadowOracle::Begin(const Scenario& scenario, Target& target) {
  // Every oracle sharing the model resets it; all of them do so before the first entry.
  shadow_->Begin(scenario);
  target_ = &target;
  next_index_ = 0;
  violations_.clear();
  reported_.clear();
  OnBegin();
}

void ShadowOracle::OnEntry(const TraceEntry& entry) {
  const size_t index = next_index_++;
  shadow_->Enter(index, entry);
  Judge(entry, index);
}

void ShadowOracle::AfterTeardown(Target& target, const Execution& execution) {
  shadow_->Flush();
  Finish(target, execution);
}

Violation ShadowOracle::Attributed(ViolationKind kind, uint32_t thread, const char* site,
                                   core::AllocId obj, size_t index, std::string message) const {
  const Attribution where = shadow_->Where(thread);
  Violation v;
  v.kind = kind;
  v.message = std::move(message);
  v.thread = where.thread;
  v.step = where.step;
  v.op = std::string(where.op);
  v.phase = std::string(where.phase);
  v.site = site != nullptr ? site : "";
  v.obj = obj;
  v.trace_index = index;
  return v;
}

bool ShadowOracle::Report(ViolationKind kind, uint32_t thread, const char* site, core::AllocId obj,
                          size_t index, std::string message) {
  return Report(Attributed(kind, thread, site, obj, index, std::move(message)));
}

bool ShadowOracle::Report(Violation v) {
  // Ids beyond the model's range are not deduplicated (a broken target), only capped.
  if (v.obj != core::kNoAlloc && v.obj < (core::AllocId{1} << 24)) {
    if (v.obj >= reported_.size()) reported_.resize(v.obj + 1, false);
    if (reported_[v.obj]) return false;
    reported_[v.obj] = true;
  }
  if (violations_.size() >= kMaxViolations) return false;
  if (sink() != nullptr) sink()->OnViolation(v);
  violations_.push_back(std::move(v));
  return true;
}

}  // namespace gcs
