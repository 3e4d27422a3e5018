// gcstress tests — FaultyTarget: a fake Target that crashes, hangs, double-frees, leaks, races or
// breaks a GCS_CHECK at a chosen step under some schedules only, for the isolation tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/runner/executor.h"
#include "harness/target/target.h"
#include "tests/harness/fake_target.h"

namespace gcs::testing {

// Ops, reinterpreted: `attach` opens a window and `detach` closes it; a `gc` inside the window
// (some thread attached and not yet detached) misbehaves as `Behavior` says; everything else
// does nothing. Which executions put a gc inside the window depends on the schedule.
//
// kNone misbehaves not at all but logs each execution that would have (Log::hits, by execution
// number: Begin calls on that target): the in-process, crash-free twin of the others, whose
// schedules are the same up to the misbehaving step.
class FaultyTarget final : public FakeTarget {
 public:
  enum class Behavior {
    kNone,
    kSegfault,    // a store through a null pointer
    kCheck,       // a failed GCS_CHECK
    kHang,        // spins forever, no schedule point
    kDoubleFree,  // delete p; delete p (ASan builds only: elsewhere it is heap corruption)
    kLeak,        // new[] and forgets it (LeakSanitizer)
    kOverflow,    // signed integer overflow (UBSan)
    kRace,        // unsynchronized writes to one int from every gc (TSan, free mode)
  };
  struct Log {
    std::mutex mu;
    uint64_t executions = 0;
    std::vector<uint64_t> hits;
  };

  FaultyTarget(Behavior behavior, std::shared_ptr<Log> log)
      : behavior_(behavior), log_(std::move(log)) {}

  std::string_view Name() const override { return "faulty"; }
  void Begin(const TargetExecution& exec) override;
  StepResult Apply(const StepRequest& request) override;

  static TargetFactory Factory(Behavior behavior, std::shared_ptr<Log> log = nullptr);

 private:
  void Misbehave();

  const Behavior behavior_;
  std::shared_ptr<Log> log_;
  uint64_t execution_ = 0;
  // Relaxed: it orders nothing, so kRace's writes from two threads stay unordered for TSan
  // however the threads happen to run.
  std::atomic<int> attached_{0};
  bool logged_ = false;
};

// Two threads: t2's gc lands inside t1's attach..detach window under some schedules only; the
// yields around make that rare enough that a run of 100 pct iterations has a few such
// executions, and not at its start.
std::string WindowScenario();

// One thread that attaches and collects: misbehaves in every execution, at t1 step 1 (gc).
inline constexpr const char* kAlwaysScenario = R"({
  "format": 1, "name": "always",
  "threads": {"t1": [{"op": "attach"}, {"op": "gc"}, {"op": "detach"}]}
})";

// Two threads collecting in parallel (free mode), for the race.
inline constexpr const char* kRaceScenario = R"({
  "format": 1, "name": "race",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "gc"}, {"op": "gc"}, {"op": "gc"}, {"op": "detach"}],
    "t2": [{"op": "attach"}, {"op": "gc"}, {"op": "gc"}, {"op": "gc"}, {"op": "detach"}]
  }
})";

}  // namespace gcs::testing
