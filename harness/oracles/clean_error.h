// gcstress oracles — CleanErrorOracle: each step's outcome against the spec's, both ways, and the
// collector's verdicts against what the program gets back.
#pragma once

#include <memory>

#include "harness/oracles/shadow_oracle.h"

namespace gcs {

// The outcome oracle. The model predicts, from the spec (DESIGN §3) and the state before a step,
// whether the step must fail or must succeed; a step's end that disagrees is an unclean-error:
//
//   must fail     `use`, `call` or `release` of a proxy whose owner VM had been terminated or
//                 destroyed before the step began (the core: target-terminated); `use` or `call`
//                 of a proxy released before the step began (proxy-released). A close or release
//                 landing while the step is in flight may go either way and is not judged.
//   must succeed  a proxy the model holds valid (alive, neither released nor invalidated, its
//                 owner VM open) answering proxy-released or target-terminated; a weak upgrade
//                 coming back empty while its target is alive and strongly reachable (nothing
//                 may clear a weak reference to an object the program still reaches); an
//                 unregister answering unknown-token while the model still holds its entry
//                 (registered, neither fired nor unregistered, before the step and after it).
//
// (A valid proxy answering dangling-proxy is the premature-collection oracle's: its owner let
// the object go.) The step's proxy is the value its `obj` variable held when the step began, an
// upgrade's weak reference its `weak` variable's (the engine borrows both right then).
//
// And the resurrection rule: once the collector has put an object on its worklist
// (collect-unreachable) or cleared the weak references to it (weak-clear), nothing may hand it
// back to the program before it is freed — a weak upgrade binding it, a `use` of it, a call
// served on it. CPython clears weak references to garbage before the world restarts for exactly
// this reason: a resurrected object is freed under the program's feet a moment later.
class CleanErrorOracle final : public ShadowOracle {
 public:
  explicit CleanErrorOracle(std::shared_ptr<ShadowModel> shadow = nullptr, bool full_stream = true,
                            const OracleOptions& options = {})
      : ShadowOracle(std::move(shadow), full_stream, options) {}
  std::string_view Name() const override { return "clean-error"; }
  EntryInterest Interest() const override;

 protected:
  void Judge(const TraceEntry& entry, size_t index) override;

 private:
  void JudgeProxyStep(const TraceEntry& e, size_t index);
  void JudgeUpgrade(const TraceEntry& e, size_t index);
  void JudgeHandedBack(const TraceEntry& e, size_t index);
};

}  // namespace gcs
