// gcstress oracles — test support: hand-built traces, a scriptable target, scenario loading.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/oracles/oracle.h"
#include "harness/oracles/shadow_model.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/fake_target.h"

namespace gcs::testing {

// Loads scenario text for the core target (its faults known); fails the test on error.
Scenario LoadCoreScenario(const std::string& text);

// The scenario the oracle unit tests' hand-built traces follow. Threads: t1 = 0, t2 = 1,
// w1 = 2 (worker, vm1), w2 = 3 (worker, vm2); the teardown thread is 4. Steps:
//   t1  0 attach  1 new a  2 new b  3 set a[0]=b  4 drop a  5 gc  6 clone b as c  7 weak b as w
//       8 export b to w1 as p  9 use p  10 register a held b as tok  11 detach  12 drop b
//       13 call p from a  14 release p  15 terminate w1  16 yield  17 unregister tok
//   t2  0 new x  1 drop x  2 gc  3 use p  4 enumerate  5 yield  6 upgrade w as u
//   w1  0 use p  1 drop p  2 gc  3 yield
//   w2  0 export b to w1 as q  1 use q  2 drop q  3 gc
const Scenario& OracleTestScenario();
inline constexpr uint32_t kT1 = 0, kT2 = 1, kW1 = 2, kW2 = 3, kTeardown = 4;

// A target whose Inspect answers from a table: what the refcount oracle queries. Everything
// else does nothing (hand-built traces never run it).
class ScriptedTarget final : public FakeTarget {
 public:
  explicit ScriptedTarget(bool full_stream = true) : full_stream_(full_stream) {}
  std::map<core::AllocId, int64_t> refcounts;  // missing: the allocation is gone

  std::string_view Name() const override { return "scripted"; }
  bool FullEventStream() const override { return full_stream_; }
  std::vector<core::AllocId> LiveObjects() override;
  std::optional<ObjectState> Inspect(core::AllocId id) override;

 private:
  bool full_stream_;
};

// Builds a trace entry by entry, the way the engine would record it. Thread indices are scenario
// thread indices; Teardown() switches to the teardown thread (threads.size()).
class TraceBuilder {
 public:
  explicit TraceBuilder(const Scenario& scenario) : scenario_(scenario) {}

  TraceBuilder& Begin(uint32_t thread, uint32_t step);
  // Ends the step; binds `var` (by name) to `obj` when given.
  TraceBuilder& End(uint32_t thread, uint32_t step, const std::string& var = "",
                    core::AllocId obj = core::kNoAlloc, std::string_view error = "");
  TraceBuilder& Skip(uint32_t thread, uint32_t step);
  // `refused`: the target's error for it, a literal (a kDiscardError entry follows); "" = let go.
  TraceBuilder& Discard(uint32_t thread, const std::string& var, core::AllocId obj,
                        std::string_view refused = "");
  TraceBuilder& ThreadEnd(uint32_t thread);
  TraceBuilder& Teardown();
  TraceBuilder& Ev(uint32_t thread, core::EventKind kind, core::VmIndex vm, core::AllocId obj,
                   core::AllocId other = core::kNoAlloc, int64_t value = 0, int64_t aux = 0,
                   const char* site = "test.site");
  // Sets the acting thread's current VM on the last event added.
  TraceBuilder& Current(core::VmIndex vm);
  // Shorthands for the commonest events.
  TraceBuilder& Alloc(uint32_t thread, core::AllocId id, core::VmIndex vm = 0,
                      core::ObjectKind kind = core::ObjectKind::kPlain,
                      core::AllocId type = core::kNoAlloc);
  TraceBuilder& Free(uint32_t thread, core::AllocId id, core::VmIndex vm = 0,
                     const char* site = "lifecycle.dealloc");
  TraceBuilder& Edge(uint32_t thread, core::AllocId from, int64_t field, core::AllocId to,
                     core::VmIndex vm = 0);
  // `owner` exports `obj` to `dest` under export id `id`: the proxy `proxy` is allocated in
  // `dest`, then the Export event.
  TraceBuilder& Export(uint32_t thread, core::AllocId obj, core::AllocId proxy, core::VmIndex owner,
                       core::VmIndex dest, int64_t id);
  TraceBuilder& Unedge(uint32_t thread, core::AllocId from, int64_t field, core::AllocId to,
                       core::VmIndex vm = 0);

  const Trace& trace() const { return trace_; }
  size_t size() const { return trace_.entries.size(); }
  uint32_t teardown_thread() const { return static_cast<uint32_t>(scenario_.threads.size()); }

  // Feeds the trace to `observer` (Begin is the caller's), then, if the trace has a teardown
  // entry, AfterTeardown with `live` as the live objects.
  Execution Feed(ExecutionObserver& observer, Target& target,
                 std::vector<core::AllocId> live = {}) const;

 private:
  VarId Var(const std::string& name) const;
  const Scenario& scenario_;
  Trace trace_;
};

// Begins `oracle`, feeds it the trace, and returns its violations.
std::vector<Violation> Judge(Oracle& oracle, const Scenario& scenario, const TraceBuilder& trace,
                             Target& target, std::vector<core::AllocId> live = {});

// `trace` judged by a default-made oracle `O`, with a ScriptedTarget (full stream, no live
// objects): what most oracle suites need.
template <class O>
std::vector<Violation> JudgedBy(const TraceBuilder& trace) {
  ScriptedTarget target;
  O oracle;
  return Judge(oracle, OracleTestScenario(), trace, target);
}

// The kinds of a violation list, in order.
std::vector<ViolationKind> Kinds(const std::vector<Violation>& violations);

// Every *.json under scenarios/ (at test time, sorted).
std::vector<std::filesystem::path> ScenarioFiles();

}  // namespace gcs::testing
