// gcstress tests — FakeTarget: a Target that does nothing, for the tests' fake targets to extend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/target/target.h"

namespace gcs::testing {

// Every hook but Name does nothing: all ops supported, no faults, no event stream, no objects.
// A fake target overrides what it reinterprets.
class FakeTarget : public Target {
 public:
  OpSet SupportedOps() const override { return kAllOps; }
  std::vector<std::string> FaultNames() const override { return {}; }
  bool FullEventStream() const override { return false; }
  void Begin(const TargetExecution&) override {}
  void ThreadBegin(uint32_t) override {}
  StepResult Apply(const StepRequest&) override { return {}; }
  StepResult Discard(uint32_t, BindKind, const Value&) override { return {}; }
  bool ThreadStopped(uint32_t) override { return false; }
  void ThreadEnd(uint32_t) override {}
  void Teardown() override {}
  std::vector<core::AllocId> LiveObjects() override { return {}; }
  std::optional<ObjectState> Inspect(core::AllocId) override { return std::nullopt; }
  void End() override {}
};

}  // namespace gcs::testing
