// gcstress target — CoreTarget: the built-in object-lifetime core as a Target.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "core/runtime.h"
#include "harness/target/target.h"

namespace gcs {

// Maps every op onto gcs::core::Runtime, one core ThreadState per scenario thread (same index)
// plus one for teardown. The core reports every lifetime event itself, so the oracles get the
// full stream. Scenario VM index i is core VM index i: "main" is 0, workers follow.
class CoreTarget final : public Target {
 public:
  std::string_view Name() const override { return "core"; }
  OpSet SupportedOps() const override;
  std::vector<std::string> FaultNames() const override;
  bool FullEventStream() const override { return true; }
  // The core keeps every thread's state in its Runtime, none in thread-local storage.
  bool NeedsOsThreads() const override { return false; }
  bool SafeInProcess() const override { return core::kQuarantineByDefault; }

  void Begin(const TargetExecution& exec) override;
  void ThreadBegin(uint32_t thread) override;
  StepResult Apply(const StepRequest& request) override;
  StepResult Discard(uint32_t thread, BindKind kind, const Value& value) override;
  bool ThreadStopped(uint32_t thread) override;
  void ThreadEnd(uint32_t thread) override;
  void Teardown() override;
  std::vector<core::AllocId> LiveObjects() override;
  std::optional<ObjectState> Inspect(core::AllocId id) override;
  void End() override;

 private:
  // What a Value's slot holds.
  struct Slot {
    core::Handle handle;
    core::WeakHandle weak;
    core::RegistryHandle token;
  };
  Value Store(const Slot& slot, core::AllocId obj);
  Slot Load(const Value& value);
  StepResult Do(const StepRequest& request, core::ThreadState& ts);

  const Scenario* scenario_ = nullptr;
  std::unique_ptr<core::Runtime> rt_;
  std::vector<core::ThreadState*> threads_;  // scenario threads, then teardown
  std::mutex slots_mu_;                      // free mode stores from parallel threads
  std::vector<Slot> slots_;
};

}  // namespace gcs
