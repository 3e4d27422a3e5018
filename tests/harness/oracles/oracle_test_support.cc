// gcstress oracles — test support.
#include "oracle_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/scenario/scenario_loader.h"
#include "harness/targets/core/core_target.h"

namespace gcs::testing {

Scenario LoadCoreScenario(const std::string& text) {
  CoreTarget core;
  LoadOptions options;
  options.known_faults = core.FaultNames();
  options.supported_ops = core.SupportedOps();
  auto s = LoadScenarioText(text, "test.json", options);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

const Scenario& OracleTestScenario() {
  static const Scenario* s = new Scenario(LoadCoreScenario(R"({
    "format": 1, "name": "oracle-test",
    "threads": {
      "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "b"},
             {"op": "set", "obj": "a", "field": 0, "to": "b"}, {"op": "drop", "obj": "a"},
             {"op": "gc"}, {"op": "clone", "obj": "b", "as": "c"},
             {"op": "weak", "obj": "b", "as": "w"},
             {"op": "export", "obj": "b", "vm": "w1", "as": "p"}, {"op": "use", "obj": "p"},
             {"op": "register", "obj": "a", "held": "b", "as": "tok"}, {"op": "detach"},
             {"op": "drop", "obj": "b"}, {"op": "call", "obj": "p", "from": "a"},
             {"op": "release", "obj": "p"}, {"op": "terminate", "worker": "w1"},
             {"op": "yield"}, {"op": "unregister", "token": "tok"}],
      "t2": [{"op": "new", "as": "x"}, {"op": "drop", "obj": "x"}, {"op": "gc"},
             {"op": "use", "obj": "p"}, {"op": "enumerate"}, {"op": "yield"},
             {"op": "upgrade", "weak": "w", "as": "u"}],
      "w1": {"worker": true, "steps": [{"op": "use", "obj": "p"}, {"op": "drop", "obj": "p"},
                                       {"op": "gc"}, {"op": "yield"}]},
      "w2": {"worker": true, "steps": [{"op": "export", "obj": "b", "vm": "w1", "as": "q"},
                                       {"op": "use", "obj": "q"}, {"op": "drop", "obj": "q"},
                                       {"op": "gc"}]}
    }
  })"));
  return *s;
}

std::vector<core::AllocId> ScriptedTarget::LiveObjects() {
  std::vector<core::AllocId> out;
  for (const auto& [id, rc] : refcounts)
    out.push_back(id);
  return out;
}

std::optional<ObjectState> ScriptedTarget::Inspect(core::AllocId id) {
  auto it = refcounts.find(id);
  if (it == refcounts.end()) return std::nullopt;
  return ObjectState{id, it->second, 0};
}

VarId TraceBuilder::Var(const std::string& name) const {
  auto v = scenario_.FindVar(name);
  EXPECT_TRUE(v.has_value()) << "no variable " << name;
  return v.value_or(kNoVar);
}

TraceBuilder& TraceBuilder::Current(core::VmIndex vm) {
  EXPECT_TRUE(!trace_.entries.empty() && trace_.entries.back().kind == TraceEntry::Kind::kEvent);
  if (!trace_.entries.empty()) trace_.entries.back().event.current_vm = vm;
  return *this;
}

TraceBuilder& TraceBuilder::Begin(uint32_t thread, uint32_t step) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kStepBegin;
  e.thread = thread;
  e.step = step;
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::End(uint32_t thread, uint32_t step, const std::string& var,
                                core::AllocId obj, std::string_view error) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kStepEnd;
  e.thread = thread;
  e.step = step;
  e.error = error;
  if (!var.empty()) {
    e.var = Var(var);
    e.value = Value{static_cast<uint32_t>(trace_.entries.size() + 1), obj};
  }
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::Skip(uint32_t thread, uint32_t step) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kStepSkipped;
  e.thread = thread;
  e.step = step;
  e.error = "unbound";
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::Discard(uint32_t thread, const std::string& var, core::AllocId obj,
                                    std::string_view refused) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kDiscard;
  e.thread = thread;
  e.var = Var(var);
  e.value = Value{1, obj};
  trace_.entries.push_back(e);
  if (!refused.empty()) {
    e.kind = TraceEntry::Kind::kDiscardError;
    e.error = refused;
    trace_.entries.push_back(e);
  }
  return *this;
}

TraceBuilder& TraceBuilder::ThreadEnd(uint32_t thread) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kThreadEnd;
  e.thread = thread;
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::Teardown() {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kTeardown;
  e.thread = teardown_thread();
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::Ev(uint32_t thread, core::EventKind kind, core::VmIndex vm,
                               core::AllocId obj, core::AllocId other, int64_t value, int64_t aux,
                               const char* site) {
  TraceEntry e;
  e.kind = TraceEntry::Kind::kEvent;
  e.thread = thread;
  e.event.kind = kind;
  e.event.vm = vm;
  e.event.current_vm = vm;
  e.event.thread = thread;
  e.event.obj = obj;
  e.event.other = other;
  e.event.value = value;
  e.event.aux = aux;
  e.event.site = site;
  trace_.entries.push_back(e);
  return *this;
}

TraceBuilder& TraceBuilder::Alloc(uint32_t thread, core::AllocId id, core::VmIndex vm,
                                  core::ObjectKind kind, core::AllocId type) {
  return Ev(thread, core::EventKind::kAlloc, vm, id, type, static_cast<int64_t>(kind), 0,
            "lifecycle.allocate");
}

TraceBuilder& TraceBuilder::Free(uint32_t thread, core::AllocId id, core::VmIndex vm,
                                 const char* site) {
  return Ev(thread, core::EventKind::kFree, vm, id, core::kNoAlloc, 0, 0, site);
}

TraceBuilder& TraceBuilder::Edge(uint32_t thread, core::AllocId from, int64_t field,
                                 core::AllocId to, core::VmIndex vm) {
  return Ev(thread, core::EventKind::kEdgeSet, vm, from, to, field, 0, "runtime.set");
}

TraceBuilder& TraceBuilder::Unedge(uint32_t thread, core::AllocId from, int64_t field,
                                   core::AllocId to, core::VmIndex vm) {
  return Ev(thread, core::EventKind::kEdgeClear, vm, from, to, field, 0, "runtime.clear");
}

TraceBuilder& TraceBuilder::Export(uint32_t thread, core::AllocId obj, core::AllocId proxy,
                                   core::VmIndex owner, core::VmIndex dest, int64_t id) {
  Alloc(thread, proxy, dest, core::ObjectKind::kProxy);
  return Ev(thread, core::EventKind::kExport, owner, obj, proxy, dest, id, "proxy_table.export");
}

Execution TraceBuilder::Feed(ExecutionObserver& observer, Target& target,
                             std::vector<core::AllocId> live) const {
  Execution exec;
  exec.trace = trace_;
  for (const TraceEntry& e : trace_.entries)
    observer.OnEntry(e);
  const bool torn_down = std::any_of(trace_.entries.begin(), trace_.entries.end(),
                                     [](auto& e) { return e.kind == TraceEntry::Kind::kTeardown; });
  if (torn_down) {
    exec.torn_down = true;
    exec.live_after_teardown = std::move(live);
    observer.AfterTeardown(target, exec);
  }
  return exec;
}

std::vector<Violation> Judge(Oracle& oracle, const Scenario& scenario, const TraceBuilder& trace,
                             Target& target, std::vector<core::AllocId> live) {
  oracle.Begin(scenario, target);
  trace.Feed(oracle, target, std::move(live));
  return oracle.Violations();
}

std::vector<ViolationKind> Kinds(const std::vector<Violation>& violations) {
  std::vector<ViolationKind> out;
  for (const Violation& v : violations)
    out.push_back(v.kind);
  return out;
}

std::vector<std::filesystem::path> ScenarioFiles() {
  std::vector<std::filesystem::path> out;
  const std::filesystem::path root = std::filesystem::path(GCS_SOURCE_DIR) / "scenarios";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gcs::testing
