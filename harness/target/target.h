// gcstress target — Target: the one boundary between the harness and a system under test.
//
// The engine runs a scenario's steps on a Target; it never reaches a system under test any other
// way. A target adapter maps each op of harness/ops.def onto its system, reports what happened
// to object lifetimes through a core::Observer (a full event stream for the built-in core; what
// probes can see for other runtimes), and answers the oracles' questions (is this allocation
// alive, what is its refcount). To test your own runtime, write one adapter file implementing
// this interface (README, "Testing your own runtime").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/observer.h"
#include "core/sched_hooks.h"
#include "harness/input_error.h"
#include "harness/scenario/op.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/violation.h"

namespace gcs {

// A value a scenario variable is bound to: a handle, weak reference or registry token the target
// holds in `slot`. `obj` names the allocation it refers to (0 if none), for traces and oracles.
struct Value {
  uint32_t slot = 0;
  core::AllocId obj = core::kNoAlloc;
};

// One step to apply, its variables resolved by the engine: every variable field the step names
// (other than "as") is bound, and its value is here.
struct StepRequest {
  uint32_t thread = 0;  // scenario thread index
  const Step* step = nullptr;
  Value obj, to, weak, held, token, from;
};

// The error a failed target (Target::Failure) answers every call with, from the failure on.
inline constexpr std::string_view kTargetFailedError = "target-failed";

// A target that failed as a whole (Target::Failure): the verdict — kind crash, hang or
// target-error; site "adapter-exit-1", "adapter-timeout", "adapter-protocol"; the request's thread
// (threads.size() for setup and teardown), step, op and phase ("setup", "step", "teardown"); a
// message naming the request and what went wrong — and what it left.
struct TargetFailure {
  Violation violation;        // trace_index is the Judge's to place
  std::string evidence;       // the adapter's standard error
  std::string evidence_file;  // where a report keeps it: "adapter.txt"
};

struct StepResult {
  std::string_view error;  // empty: success; else the target's stable error name
  bool bound = false;      // the step's "as" variable gets `bind`
  Value bind;
  bool ok() const { return error.empty(); }
};

// What an object looks like to the oracles.
struct ObjectState {
  core::AllocId id = core::kNoAlloc;
  int64_t refcount = -1;  // -1 when the target cannot tell
  int16_t vm = -1;
};

// Everything one execution of a scenario needs from the harness.
struct TargetExecution {
  const Scenario* scenario = nullptr;
  std::vector<std::string> faults;  // validated names (Target::FaultNames)
  core::SchedHooks* hooks = nullptr;
  core::Observer* observer = nullptr;
  // The run's --step-timeout (0: none). A target that waits on another process answers within
  // half of it, so that its own hang verdict comes before the watchdog's.
  std::chrono::milliseconds step_timeout{0};
};

class Target {
 public:
  virtual ~Target() = default;

  virtual std::string_view Name() const = 0;
  // Which version of the system under test runs ("" if the target has no versions). A target
  // named "name@version" runs that one; plain "name" its first (TargetInfo::versions).
  virtual std::string_view Version() const { return ""; }
  // What runs, in words, for reports: "comlink 4.4.1 (node v20.20.2)". Remote targets know only
  // after their first execution.
  virtual std::string About() const { return std::string(Name()); }
  // Which ops the adapter implements; scenarios using others are refused at load.
  virtual OpSet SupportedOps() const = 0;
  // The fault switches this target understands, in its declaration order.
  virtual std::vector<std::string> FaultNames() const = 0;
  // True if the target reports every alloc/free/incref/decref (the built-in core); false if the
  // oracles must work from probes (liveness queries) instead.
  virtual bool FullEventStream() const = 0;
  // True if the target reports every reference the scenario's spec counts as holding an object —
  // handles (clone/drop), reference fields (edge-set/clear), pool entries, registry held values —
  // even without reporting the runtime's own internal references. Reachability is then known,
  // and premature collection can be judged from probes. Implied by FullEventStream().
  virtual bool ReportsHolders() const { return FullEventStream(); }
  // True if the adapter, or the runtime behind it, ties state to the OS thread — thread-local
  // storage, CPython's thread states — so that each scenario thread needs an OS thread of its
  // own. False lets the deterministic scheduler run the scenario threads as fibers on the
  // engine's thread, where a switch is a register swap instead of two futex calls and a
  // reschedule; the schedule, the trace and the verdict are the same either way. Free mode always
  // runs OS threads. When in doubt, leave it true.
  virtual bool NeedsOsThreads() const { return true; }
  // True if no execution can corrupt or kill the process running it — the memory errors it shows
  // stay within the target's own bookkeeping (the core quarantines what it frees). Work that
  // re-runs many candidates (the minimizer) then runs them in process; otherwise each in a child.
  virtual bool SafeInProcess() const { return false; }

  // --- one execution. Calls come in this order:
  //   Begin, { ThreadBegin(t), Apply(...)*, Discard(...)*, ThreadEnd(t) } per thread (threads
  //   interleaved as scheduled), Discard(...)* on the teardown thread, Teardown, queries, End.
  // The teardown thread is thread index scenario->threads.size(). After an aborted execution
  // (deadlock) only End is called.
  virtual void Begin(const TargetExecution& exec) = 0;
  // On the scenario thread's own OS thread (or fiber), before its first step.
  virtual void ThreadBegin(uint32_t thread) = 0;
  virtual StepResult Apply(const StepRequest& request) = 0;
  // The scenario lets go of a value (drop, rebinding, teardown): release what the slot holds.
  // Called on `thread`'s OS thread (the teardown thread: the engine's).
  virtual StepResult Discard(uint32_t thread, BindKind kind, const Value& value) = 0;
  // A thread whose worker was terminated must stop before its next step.
  virtual bool ThreadStopped(uint32_t thread) = 0;
  // On the thread's own OS thread, after its last step (release its locks).
  virtual void ThreadEnd(uint32_t thread) = 0;
  // Single-threaded, after every scenario thread ended and every value was discarded: terminate
  // workers, drain pools and mailboxes, run full collections until nothing changes.
  virtual void Teardown() = 0;
  // Allocations the execution created that are still alive, ascending; the target's own
  // infrastructure (type objects) excluded.
  virtual std::vector<core::AllocId> LiveObjects() = 0;
  virtual std::optional<ObjectState> Inspect(core::AllocId id) = 0;
  // Releases the execution's state.
  virtual void End() = 0;
  // Set when the system under test failed as a whole during the execution — a remote adapter
  // that exited, hung or wrote garbage — rather than any object in it: the execution's verdict,
  // unless an oracle found something before it. Read after Teardown (or the aborted execution's
  // last call), before End.
  virtual std::optional<TargetFailure> Failure() const { return std::nullopt; }
};

// A target gcstress can make: the built-in ones, then the remote ones whose manifests it finds
// (targets/README.md, "Finding a target").
struct TargetInfo {
  std::string name;
  std::string help;
  std::vector<std::string> versions;  // the first is the default; empty: one unnamed version
  std::function<Expected<std::unique_ptr<Target>>(const std::string& version)> make;
};
std::vector<TargetInfo> ListTargets();
// `spec` is "name" or "name@version".
Expected<std::unique_ptr<Target>> MakeTarget(std::string_view spec);
// "name@version" for a target with versions, else its name.
std::string TargetSpec(const Target& target);
// Every "name" and "name@version" of ListTargets(): what an expect entry's "target" may say.
std::vector<std::string> AllTargetSpecs();
// Every built-in target's fault names, in target order, each once. A scenario's `expect` block
// may name any of them (scenarios/cpython/ names the cpython adapter's); a run on one target
// uses only the entries whose faults that target has.
std::vector<std::string> AllTargetFaultNames();
// What scenarios to run on `target` are loaded with: any target's faults and names in expect
// entries, the target's own ops.
LoadOptions ScenarioLoadOptionsFor(const Target& target);

}  // namespace gcs
