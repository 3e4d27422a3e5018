// gcstress oracles — ShadowOracle: the base of every oracle that judges against the ShadowModel.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/oracles/oracle.h"
#include "harness/oracles/shadow_model.h"

namespace gcs {

// Feeds the (possibly shared) shadow model and keeps the violations. A subclass judges each entry
// in Judge, where the model reflects every entry *before* it, and the finished execution in
// Finish, where the model reflects all of them. Each subclass reports at most one violation per
// allocation and at most kMaxViolations in all, so a broken target cannot flood a report.
class ShadowOracle : public Oracle {
 public:
  static constexpr size_t kMaxViolations = 64;

  // `shadow` may be shared with other oracles of the same set (nullptr: a model of its own).
  // `full_stream`: the target reports every lifetime event (Target::FullEventStream).
  ShadowOracle(std::shared_ptr<ShadowModel> shadow, bool full_stream, const OracleOptions& options);

  void Begin(const Scenario& scenario, Target& target) final;
  void OnEntry(const TraceEntry& entry) final;
  ShadowModel* SharedModel() final { return shadow_.get(); }
  void JudgeEntry(size_t index, const TraceEntry& entry) final { Judge(entry, index); }
  void AfterTeardown(Target& target, const Execution& execution) final;
  std::vector<Violation> Violations() const override { return violations_; }

 protected:
  virtual void OnBegin() {}
  virtual void Judge(const TraceEntry& entry, size_t index) = 0;
  virtual void Finish(Target& target, const Execution& execution) {
    (void)target;
    (void)execution;
  }

  // A violation attributed to the step or phase of trace thread `thread`, not yet recorded (for
  // one held back); `site` is the exposing event's.
  Violation Attributed(ViolationKind kind, uint32_t thread, const char* site, core::AllocId obj,
                       size_t index, std::string message) const;
  // Records a violation attributed to the step or phase of trace thread `thread`; `site` is the
  // exposing event's. Returns false (and records nothing) if `obj` was reported already.
  bool Report(ViolationKind kind, uint32_t thread, const char* site, core::AllocId obj,
              size_t index, std::string message);
  // Same, with the context given explicitly (phase "drop-check", a quiescent check, ...).
  bool Report(Violation v);

  ShadowModel& shadow() { return *shadow_; }
  const ShadowModel& shadow() const { return *shadow_; }
  Target* target() const { return target_; }
  bool full_stream() const { return full_stream_; }
  const OracleOptions& options() const { return options_; }

 private:
  std::shared_ptr<ShadowModel> shadow_;
  const bool full_stream_;
  const OracleOptions options_;
  Target* target_ = nullptr;
  size_t next_index_ = 0;
  std::vector<Violation> violations_;
  std::vector<bool> reported_;  // by allocation id
};

// "#7" — how messages name allocations.
std::string AllocName(core::AllocId id);

}  // namespace gcs
