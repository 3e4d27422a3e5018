// gcstress tests — LockTarget: a tiny fake Target with two scheduler-aware locks, for runner tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/runner/executor.h"
#include "harness/target/target.h"
#include "tests/harness/fake_target.h"

namespace gcs::testing {

// Ops, reinterpreted: attach / detach take and release lock A, gc / enumerate take and release
// lock B (blocking through the scheduler's Wait, as a real target's locks must); new binds a
// value; everything else does nothing. Two threads taking A and B in opposite orders deadlock
// under some schedules only — a schedule-dependent failure that needs no oracle.
//
// Nondeterministic variant: `new` binds an object id taken from a process-wide counter, so the
// same schedule gives a different trace every time — what --check-determinism must catch.
class LockTarget final : public FakeTarget {
 public:
  explicit LockTarget(bool nondeterministic = false) : nondeterministic_(nondeterministic) {}

  std::string_view Name() const override { return "lock"; }
  std::vector<std::string> FaultNames() const override { return {"slow"}; }
  void Begin(const TargetExecution& exec) override;
  StepResult Apply(const StepRequest& request) override;
  void ThreadEnd(uint32_t thread) override;
  void End() override { hooks_ = nullptr; }

  static TargetFactory Factory(bool nondeterministic = false);

 private:
  static constexpr uint32_t kFree = ~uint32_t{0};
  void Lock(uint32_t lock, uint32_t thread);
  void Unlock(uint32_t lock, uint32_t thread);

  const bool nondeterministic_;
  core::SchedHooks* hooks_ = nullptr;
  uint32_t owner_[2] = {kFree, kFree};
  uint32_t next_slot_ = 0;
};

// Two threads taking the locks in opposite orders.
inline constexpr const char* kLockOrderScenario = R"({
  "format": 1, "name": "lock-order",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "yield"}, {"op": "gc"}, {"op": "enumerate"}, {"op": "detach"}],
    "t2": [{"op": "gc"}, {"op": "yield"}, {"op": "attach"}, {"op": "detach"}, {"op": "enumerate"}]
  }
})";

}  // namespace gcs::testing
