// gcstress tests — the cpython target: op mapping, the GIL model, determinism, every
// target-neutral scenario, and the adapter faults found by pct and replayed.
#include "harness/targets/cpython/cpython_target.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/oracles/oracle.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scheduler/replay.h"
#include "harness/targets/core/core_target.h"

namespace gcs {
namespace {

using core::EventKind;

// --- loading

std::vector<std::string> AllFaultNames() {
  // Scenario files carry expect entries for every target's faults; a loader for one target
  // accepts the union (the loader is being taught the same rule).
  std::vector<std::string> names = CoreTarget().FaultNames();
  for (const std::string& n : MakeCpythonTarget()->FaultNames())
    names.push_back(n);
  return names;
}

LoadOptions CpythonLoadOptions() {
  LoadOptions options;
  options.known_faults = AllFaultNames();
  options.target = "cpython";
  options.supported_ops = MakeCpythonTarget()->SupportedOps();
  return options;
}

Scenario Load(const std::string& text) {
  auto s = LoadScenarioText(text, "test.json", CpythonLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  return s.ok() ? std::move(s).value() : Scenario{};
}

std::unique_ptr<sched::Strategy> Strategy(const std::string& spec) {
  auto s = sched::MakeStrategy(spec);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

// --- a lifetime checker, independent of harness/oracles/: what a probe-only target must let
// anyone judging its trace see (a free twice, a freed object touched, a free while the scenario
// holds a handle, objects alive after teardown). It classifies as the oracles do.

struct Finding {
  std::string kind;  // a violations.def name
  std::string what;
};

class LifetimeChecker final : public ExecutionObserver {
 public:
  explicit LifetimeChecker(const Scenario& s) : scenario_(s) {}

  void OnEntry(const TraceEntry& e) override {
    ++index_;
    switch (e.kind) {
      case TraceEntry::Kind::kStepEnd:
        if (e.var != kNoVar && scenario_.vars[e.var].kind == BindKind::kHandle &&
            e.value.slot != 0) {
          held_[e.value.slot] = e.value.obj;
          ++holders_[e.value.obj];
        }
        break;
      case TraceEntry::Kind::kDiscard:
        if (auto it = held_.find(e.value.slot); it != held_.end()) {
          --holders_[it->second];
          held_.erase(it);
        }
        break;
      case TraceEntry::Kind::kEvent:
        OnEvent(e.event);
        break;
      default:
        break;
    }
  }

  void AfterTeardown(Target&, const Execution& x) override {
    if (!x.live_after_teardown.empty()) {
      Flag("leak", "#" + std::to_string(x.live_after_teardown.front()) + " alive after teardown");
    }
  }

  // The first finding, and the first of each kind.
  const std::optional<Finding>& first() const { return first_; }
  const std::map<std::string, Finding>& kinds() const { return kinds_; }

 private:
  void OnEvent(const core::Event& ev) {
    const bool freed = freed_.count(ev.obj) != 0;
    switch (ev.kind) {
      case EventKind::kVmDestroyBegin:
        destroying_ = true;
        break;
      case EventKind::kVmDestroyEnd:
        destroying_ = false;
        break;
      case EventKind::kFree:
        if (freed) Flag("double-free", "#" + std::to_string(ev.obj) + " freed twice");
        freed_.insert(ev.obj);
        // A VM's destruction frees what it holds, handles or not (DESIGN.md §3).
        if (!destroying_ && holders_[ev.obj] > 0) {
          Flag("premature-collection",
               "#" + std::to_string(ev.obj) + " freed while the scenario holds a handle");
        }
        break;
      case EventKind::kIncref:
      case EventKind::kDecref:
      case EventKind::kPoolApply:
      case EventKind::kWeakClear:
      case EventKind::kUse:
      case EventKind::kEdgeSet:
      case EventKind::kEdgeClear:
        if (freed || (ev.other != core::kNoAlloc && freed_.count(ev.other) != 0)) {
          Flag("use-after-free", "#" + std::to_string(freed ? ev.obj : ev.other) + " used by " +
                                     std::string(core::EventKindName(ev.kind)) + " after its free");
        }
        break;
      default:
        break;
    }
  }
  void Flag(const std::string& kind, const std::string& what) {
    Finding f{kind, what + " (trace entry " + std::to_string(index_) + ")"};
    if (!first_) first_ = f;
    kinds_.emplace(kind, f);
  }

  const Scenario& scenario_;
  size_t index_ = 0;
  std::map<uint32_t, core::AllocId> held_;  // value slot -> object, until discarded
  std::map<core::AllocId, int> holders_;
  std::set<core::AllocId> freed_;
  bool destroying_ = false;
  std::optional<Finding> first_;
  std::map<std::string, Finding> kinds_;
};

// Forwards to several observers (the checker and the harness's oracles).
class Fanout final : public ExecutionObserver {
 public:
  void Add(ExecutionObserver* o) { observers_.push_back(o); }
  void OnEntry(const TraceEntry& e) override {
    for (ExecutionObserver* o : observers_)
      o->OnEntry(e);
  }
  void AfterTeardown(Target& t, const Execution& x) override {
    for (ExecutionObserver* o : observers_)
      o->AfterTeardown(t, x);
  }

 private:
  std::vector<ExecutionObserver*> observers_;
};

struct Checked {
  Execution exec;
  std::optional<Finding> finding;           // the checker's first
  std::map<std::string, Finding> findings;  // the checker's first of each kind
  std::optional<Violation> violation;       // the first from MakeOracles(target)
};

Checked RunChecked(Engine& engine, const Scenario& s, const std::vector<std::string>& faults,
                   sched::Strategy& strategy, uint64_t seed, const EngineOptions& options = {},
                   ExecutionObserver* extra = nullptr) {
  LifetimeChecker checker(s);
  std::vector<std::unique_ptr<Oracle>> oracles = MakeOracles(engine.target());
  Fanout fanout;
  fanout.Add(&checker);
  for (auto& o : oracles) {
    o->Begin(s, engine.target());
    fanout.Add(o.get());
  }
  if (extra != nullptr) fanout.Add(extra);
  Checked out;
  out.exec = engine.Run(s, faults, strategy, seed, options, &fanout);
  out.finding = checker.first();
  out.findings = checker.kinds();
  for (auto& o : oracles) {
    if (auto v = o->Result();
        v && (!out.violation || v->trace_index < out.violation->trace_index)) {
      out.violation = v;
    }
  }
  return out;
}

// --- reading traces

std::vector<std::string> EventLines(const Trace& t, std::initializer_list<EventKind> kinds = {}) {
  std::vector<std::string> out;
  for (const TraceEntry& e : t.entries) {
    if (e.kind != TraceEntry::Kind::kEvent) continue;
    if (kinds.size() > 0 && std::find(kinds.begin(), kinds.end(), e.event.kind) == kinds.end()) {
      continue;
    }
    out.push_back(FormatEvent(e.event));
  }
  return out;
}

// The error of each step that ended, "" for success, as "thread.step".
std::map<std::string, std::string> StepErrors(const Scenario& s, const Trace& t) {
  std::map<std::string, std::string> out;
  for (const TraceEntry& e : t.entries) {
    if (e.kind == TraceEntry::Kind::kStepEnd) {
      out[s.threads[e.thread].name + "." + std::to_string(e.step)] = std::string(e.error);
    }
  }
  return out;
}

size_t IndexOf(const std::vector<std::string>& lines, const std::string& prefix) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(prefix, 0) == 0) return i;
  }
  ADD_FAILURE() << "no event line starts with \"" << prefix << "\"";
  return lines.size();
}

// Inspects every live object as each step begins, i.e. once everything the thread's previous
// step did is done (a drop lets its value go after its step-end entry): "thread.step" -> id ->
// refcount.
class RefcountProbe final : public ExecutionObserver {
 public:
  RefcountProbe(const Scenario& s, Target& t) : scenario_(s), target_(t) {}
  void OnEntry(const TraceEntry& e) override {
    if (e.kind == TraceEntry::Kind::kEvent && e.event.kind == EventKind::kAlloc) {
      ids_.push_back(e.event.obj);
    }
    if (e.kind != TraceEntry::Kind::kStepBegin) return;
    auto& snapshot = before_[scenario_.threads[e.thread].name + "." + std::to_string(e.step)];
    for (core::AllocId id : ids_) {
      if (auto st = target_.Inspect(id)) snapshot[id] = st->refcount;
    }
  }
  std::map<core::AllocId, int64_t> Before(const std::string& step) { return before_[step]; }

 private:
  const Scenario& scenario_;
  Target& target_;
  std::vector<core::AllocId> ids_;
  std::map<std::string, std::map<core::AllocId, int64_t>> before_;
};

// One round-robin execution of a one-thread scenario with the refcount probe attached.
Checked RunOnce(const Scenario& s, RefcountProbe* probe, Target& target,
                const std::vector<std::string>& faults = {}) {
  Engine engine(target);
  auto rr = Strategy("round-robin");
  return RunChecked(engine, s, faults, *rr, 1, {}, probe);
}

std::string OneThread(const std::string& steps) {
  return R"({"format": 1, "name": "t", "threads": {"t": [)" + steps + "]}}";
}

// --- the target itself

TEST(CpythonTargetTest, IsListedAndDescribesItself) {
  auto made = MakeTarget("cpython");
  ASSERT_TRUE(made.ok()) << made.error().Format();
  Target& t = *made.value();
  EXPECT_EQ(t.Name(), "cpython");
  EXPECT_FALSE(t.FullEventStream());
  EXPECT_EQ(t.FaultNames(),
            (std::vector<std::string>{"cpython-clone-without-incref", "cpython-upgrade-borrowed",
                                      "cpython-decref-while-detached"}));
  EXPECT_EQ(t.SupportedOps(), *BuiltinTargetOps("cpython"));
  for (Op op : {Op::kExport, Op::kCall, Op::kRelease, Op::kSpawn, Op::kTerminate}) {
    EXPECT_FALSE(t.SupportedOps().test(static_cast<size_t>(op))) << OpName(op);
  }
  EXPECT_EQ(t.SupportedOps().count(), kOpCount - 5);
}

TEST(CpythonTargetTest, TheLoaderRefusesOpsCPythonCannotExpress) {
  const std::string worker = R"("w": {"worker": true, "steps": [{"op": "yield"}]})";
  const std::map<std::string, std::string> threads = {
      {"export",
       R"("t": [{"op": "new", "as": "o"}, {"op": "export", "obj": "o", "vm": "w", "as": "p"}], )" +
           worker},
      {"release", R"("t": [{"op": "new", "as": "o"}, {"op": "release", "obj": "o"}])"},
      {"call", R"("t": [{"op": "new", "as": "o"}, {"op": "call", "obj": "o"}])"},
      {"spawn", R"("t": [{"op": "spawn", "worker": "w"}], )" + worker},
      {"terminate", R"("t": [{"op": "terminate", "worker": "w"}], )" + worker},
  };
  for (const auto& [op, body] : threads) {
    const std::string text = R"({"format": 1, "name": "x", "threads": {)" + body + "}}";
    auto s = LoadScenarioText(text, "x.json", CpythonLoadOptions());
    ASSERT_FALSE(s.ok()) << op;
    EXPECT_EQ(s.error().message, "op \"" + op + "\" is not supported by target \"cpython\"")
        << s.error().Format();
  }
}

// --- every op's mapping

TEST(CpythonTargetTest, NewCloneAndDropAreAllocationIncrefAndDecref) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "new", "as": "a"}, {"op": "clone", "obj": "a", "as": "b"},
    {"op": "new", "as": "c", "type": "subclass"}, {"op": "drop", "obj": "b"},
    {"op": "drop", "obj": "a"}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  EXPECT_EQ(EventLines(r.exec.trace, {EventKind::kAlloc, EventKind::kIncref, EventKind::kDecref,
                                      EventKind::kFree}),
            (std::vector<std::string>{
                "alloc #1 vm0 @cpython.new", "incref #1 vm0 value=2 @cpython.clone",
                "alloc #2 vm0 value=1 @cpython.new", "decref #1 vm0 value=1 @cpython.drop",
                "decref #1 vm0 @cpython.drop", "free #1 vm0 @cpython.dealloc",
                // teardown: the detached teardown thread's drop goes through the pool
                "decref #2 vm0 @cpython.pool-apply", "free #2 vm0 @cpython.dealloc"}));
  EXPECT_EQ(probe.Before("t.2")[1], 1);  // Py_REFCNT of a fresh object: the handle's reference
  EXPECT_EQ(probe.Before("t.3")[1], 2);
  EXPECT_EQ(probe.Before("t.4")[2], 1);
  EXPECT_EQ(probe.Before("t.5")[1], 1);
  EXPECT_EQ(probe.Before("t.6").count(1), 0u);  // dead: Inspect says so
  EXPECT_TRUE(r.exec.live_after_teardown.empty());
}

TEST(CpythonTargetTest, CloneNeedsTheGilAndADetachedDropWaitsInThePool) {
  Scenario s = Load(OneThread(R"(
    {"op": "new", "as": "a"}, {"op": "clone", "obj": "a", "as": "b"},
    {"op": "attach"}, {"op": "clone", "obj": "a", "as": "b"}, {"op": "detach"},
    {"op": "drop", "obj": "b"}, {"op": "drop", "obj": "a"}, {"op": "attach"}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  EXPECT_EQ(StepErrors(s, r.exec.trace)["t.1"], "clone-while-detached");
  EXPECT_EQ(EventLines(r.exec.trace, {EventKind::kPoolQueue, EventKind::kPoolApply,
                                      EventKind::kDecref, EventKind::kFree, EventKind::kAttach}),
            (std::vector<std::string>{
                "attach vm0 @cpython.attach", "pool-queue #1 vm0 value=-1 @cpython.pool-queue",
                "pool-queue #1 vm0 value=-1 @cpython.pool-queue", "attach vm0 @cpython.attach",
                "pool-apply #1 vm0 value=-1 @cpython.pool-apply",
                "decref #1 vm0 value=1 @cpython.pool-apply",
                "pool-apply #1 vm0 value=-1 @cpython.pool-apply",
                "decref #1 vm0 @cpython.pool-apply", "free #1 vm0 @cpython.dealloc"}));
  EXPECT_EQ(probe.Before("t.7")[1], 2);  // both drops queued: CPython's count is untouched
}

TEST(CpythonTargetTest, SetAndClearAreSlotStoresReportedBeforeTheyFree) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "b"},
    {"op": "set", "obj": "a", "field": 2, "to": "b"}, {"op": "drop", "obj": "b"},
    {"op": "new", "as": "c"}, {"op": "set", "obj": "a", "field": 2, "to": "c"},
    {"op": "drop", "obj": "c"}, {"op": "clear", "obj": "a", "field": 2},
    {"op": "clear", "obj": "a", "field": 1}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  EXPECT_EQ(probe.Before("t.4")[2], 2);  // the handle and a's slot
  EXPECT_EQ(probe.Before("t.5")[2], 1);  // the slot keeps it
  const auto lines =
      EventLines(r.exec.trace, {EventKind::kEdgeSet, EventKind::kEdgeClear, EventKind::kFree});
  EXPECT_EQ(std::vector<std::string>(lines.begin(), lines.begin() + 6),
            (std::vector<std::string>{
                "edge-set #1 other=#2 vm0 value=2 @cpython.set",
                "edge-set #1 other=#3 vm0 value=2 @cpython.set",
                "edge-clear #1 other=#2 vm0 value=2 @cpython.set",  // before b's free
                "free #2 vm0 @cpython.dealloc", "edge-clear #1 other=#3 vm0 value=2 @cpython.clear",
                "free #3 vm0 @cpython.dealloc"}));
  EXPECT_EQ(StepErrors(s, r.exec.trace)["t.9"], "");  // clearing an empty field: nothing
}

TEST(CpythonTargetTest, GcCollectsACycleThroughASubclassAndClearsWeakRefsFirst) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "new", "as": "a"}, {"op": "new", "as": "b", "type": "subclass"},
    {"op": "set", "obj": "a", "field": 0, "to": "b"}, {"op": "set", "obj": "b", "field": 1, "to": "a"},
    {"op": "weak", "obj": "a", "as": "w"}, {"op": "weak", "obj": "a", "as": "w2"},
    {"op": "drop", "obj": "a"}, {"op": "drop", "obj": "b"}, {"op": "enumerate"},
    {"op": "gc"}, {"op": "upgrade", "weak": "w", "as": "h"}, {"op": "use", "obj": "h"},
    {"op": "enumerate"}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  const auto lines = EventLines(r.exec.trace);
  const size_t begin = IndexOf(lines, "collect-begin vm0 value=2 @cpython.gc");
  const size_t clear = IndexOf(lines, "weak-clear #1 vm0 value=2 @cpython.gc");
  const size_t free1 = IndexOf(lines, "free #1 vm0 @cpython.gc");
  const size_t free2 = IndexOf(lines, "free #2 vm0 @cpython.gc");
  const size_t end = IndexOf(lines, "collect-end vm0 value=2 @cpython.gc");
  EXPECT_LT(begin, clear);
  EXPECT_LT(clear, free1);
  EXPECT_LT(free1, end);
  EXPECT_LT(free2, end);
  EXPECT_LT(IndexOf(lines, "enumerate vm0 value=2"), begin);           // the cycle, before the gc
  EXPECT_GT(IndexOf(lines, "enumerate vm0 @cpython.enumerate"), end);  // none after
  bool skipped = false;
  for (const TraceEntry& e : r.exec.trace.entries) {
    if (e.kind == TraceEntry::Kind::kStepSkipped && e.step == 12) skipped = true;
  }
  EXPECT_TRUE(skipped) << "upgrade of a dead object leaves h unbound, so `use h` is skipped";
}

TEST(CpythonTargetTest, UpgradeIncrefsALiveReferent) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "new", "as": "a"}, {"op": "weak", "obj": "a", "as": "w"},
    {"op": "upgrade", "weak": "w", "as": "h"}, {"op": "use", "obj": "h"},
    {"op": "drop", "obj": "a"}, {"op": "drop", "obj": "h"},
    {"op": "upgrade", "weak": "w", "as": "h2"}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  EXPECT_EQ(EventLines(r.exec.trace, {EventKind::kIncref, EventKind::kUse, EventKind::kWeakClear,
                                      EventKind::kFree}),
            (std::vector<std::string>{
                "incref #1 vm0 value=2 @cpython.upgrade", "use #1 vm0 @cpython.use",
                "weak-clear #1 vm0 value=1 @cpython.dealloc", "free #1 vm0 @cpython.dealloc"}));
  EXPECT_EQ(probe.Before("t.4")[1], 2);
  EXPECT_EQ(StepErrors(s, r.exec.trace)["t.7"], "");  // a dead referent is not an error
}

TEST(CpythonTargetTest, RegisterIsWeakrefFinalizeAndItsCallbackFollowsTheFree) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "new", "as": "t"}, {"op": "new", "as": "h"},
    {"op": "register", "obj": "t", "held": "h", "as": "tok"}, {"op": "drop", "obj": "h"},
    {"op": "drop", "obj": "t"}, {"op": "unregister", "token": "tok"},
    {"op": "new", "as": "t2"}, {"op": "register", "obj": "t2", "as": "tok2"},
    {"op": "unregister", "token": "tok2"}, {"op": "drop", "obj": "t2"},
    {"op": "new", "as": "t3"}, {"op": "register", "obj": "t3", "held": "t3"},
    {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  RefcountProbe probe(s, *target);
  Checked r = RunOnce(s, &probe, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  EXPECT_EQ(probe.Before("t.5")[2], 1);  // the registry holds h
  const auto lines =
      EventLines(r.exec.trace, {EventKind::kFree, EventKind::kRegistryRegister,
                                EventKind::kRegistryCallback, EventKind::kRegistryUnregister});
  EXPECT_EQ(std::vector<std::string>(lines.begin(), lines.begin() + 7),
            (std::vector<std::string>{
                "registry-register #1 other=#2 vm0 value=1 @cpython.register",
                "free #1 vm0 @cpython.dealloc",
                "registry-callback #1 other=#2 vm0 value=1 @cpython.finalize",
                "free #2 vm0 @cpython.dealloc",  // the held value, released by the callback
                "registry-register #3 vm0 value=2 @cpython.register",
                "registry-unregister #3 vm0 value=2 @cpython.unregister",
                "free #3 vm0 @cpython.dealloc"}));  // no callback: it was unregistered
  const auto errors = StepErrors(s, r.exec.trace);
  EXPECT_EQ(errors.at("t.6"), "unknown-token");  // fired already
  EXPECT_EQ(errors.at("t.12"), "held-is-target");
}

TEST(CpythonTargetTest, AttachAndDetachTakeAndGiveTheGil) {
  Scenario s = Load(OneThread(R"(
    {"op": "attach"}, {"op": "attach"}, {"op": "new", "as": "a"}, {"op": "use", "obj": "a"},
    {"op": "yield"}, {"op": "detach"}, {"op": "detach"})"));
  auto target = MakeCpythonTarget();
  Checked r = RunOnce(s, nullptr, *target);
  const auto errors = StepErrors(s, r.exec.trace);
  EXPECT_EQ(errors.at("t.0"), "");
  EXPECT_EQ(errors.at("t.1"), "already-attached");
  EXPECT_EQ(errors.at("t.6"), "not-attached");
  EXPECT_EQ(EventLines(r.exec.trace, {EventKind::kAttach, EventKind::kDetach, EventKind::kUse}),
            (std::vector<std::string>{"attach vm0 @cpython.attach", "use #1 vm0 @cpython.use",
                                      "detach vm0 @cpython.detach"}));
}

TEST(CpythonTargetTest, SwitchVmMakesASubinterpreterAndDestroyVmEndsIt) {
  Scenario s = Load(OneThread(R"(
    {"op": "switch_vm", "vm": "vm1"}, {"op": "new", "as": "o"}, {"op": "new", "as": "o2"},
    {"op": "set", "obj": "o", "field": 0, "to": "o2"}, {"op": "register", "obj": "o2"},
    {"op": "switch_vm", "vm": "main"}, {"op": "new", "as": "p"},
    {"op": "set", "obj": "p", "field": 0, "to": "o"}, {"op": "attach"},
    {"op": "use", "obj": "o"}, {"op": "switch_vm", "vm": "vm1"}, {"op": "destroy_vm", "vm": "main"},
    {"op": "destroy_vm", "vm": "vm1"}, {"op": "detach"}, {"op": "use", "obj": "o"},
    {"op": "drop", "obj": "o"}, {"op": "gc", "vm": "vm1"}, {"op": "use", "obj": "p"})"));
  auto target = MakeCpythonTarget();
  Checked r = RunOnce(s, nullptr, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  const auto errors = StepErrors(s, r.exec.trace);
  EXPECT_EQ(errors.at("t.0"), "");
  EXPECT_EQ(errors.at("t.7"), "cross-vm-reference");
  EXPECT_EQ(errors.at("t.9"), "attached-elsewhere");
  EXPECT_EQ(errors.at("t.10"), "already-attached");
  EXPECT_EQ(errors.at("t.11"), "busy");
  EXPECT_EQ(errors.at("t.12"), "");  // destroying another VM while attached: allowed
  EXPECT_EQ(errors.at("t.14"), "vm-destroyed");
  EXPECT_EQ(errors.at("t.16"), "vm-destroyed");
  EXPECT_EQ(errors.at("t.17"), "");
  const auto lines = EventLines(r.exec.trace);
  EXPECT_LT(IndexOf(lines, "vm-switch vm1 @cpython.switch"),
            IndexOf(lines, "vm-create-begin vm1 @cpython.vm-create"));
  EXPECT_LT(IndexOf(lines, "vm-create-end vm1"), IndexOf(lines, "alloc #1 vm1 @cpython.new"));
  const size_t begin = IndexOf(lines, "vm-destroy-begin vm1");
  EXPECT_LT(begin, IndexOf(lines, "free #1 vm1 current=vm0 @cpython.vm-destroy"));
  EXPECT_LT(begin, IndexOf(lines, "free #2 vm1 current=vm0 @cpython.vm-destroy"));
  EXPECT_LT(begin, IndexOf(lines, "vm-destroy-end vm1 value=2 current=vm0"));
  // The registration on o2 never fires: its registry died with the VM.
  EXPECT_EQ(EventLines(r.exec.trace, {EventKind::kRegistryCallback}).size(), 0u);
  // Teardown ends main like any other VM.
  EXPECT_LT(IndexOf(lines, "vm-destroy-end vm1"), IndexOf(lines, "vm-destroy-begin vm0"));
  EXPECT_TRUE(r.exec.live_after_teardown.empty());
}

TEST(CpythonTargetTest, WorkersStartInAVmOfTheirOwn) {
  Scenario s = Load(R"({"format": 1, "name": "w", "threads": {
    "t": [{"op": "new", "as": "a"}],
    "w": {"worker": true, "steps": [{"op": "new", "as": "b"}, {"op": "gc", "vm": "w"},
                                    {"op": "set", "obj": "b", "field": 0, "to": "a"}]}}})");
  auto target = MakeCpythonTarget();
  Checked r = RunOnce(s, nullptr, *target);
  EXPECT_FALSE(r.finding) << r.finding->what;
  const auto lines = EventLines(r.exec.trace, {EventKind::kAlloc, EventKind::kVmCreateEnd});
  EXPECT_EQ(lines[0], "vm-create-end vm0 @cpython.vm-create");
  EXPECT_EQ(lines[1], "vm-create-end vm1 current=vm0 @cpython.vm-create");
  EXPECT_EQ(lines[2], "alloc #1 vm0 @cpython.new");
  EXPECT_EQ(lines[3], "alloc #2 vm1 @cpython.new");
  EXPECT_EQ(StepErrors(s, r.exec.trace)["w.2"], "cross-vm-reference");
}

// --- the GIL model

TEST(CpythonTargetTest, TheGilModelNeverBlocksAnOsThread) {
  // Two threads hold the GIL across steps, a third takes it per step. If any of them ever
  // blocked on the real GIL, the controller would wait forever for a thread parked behind it;
  // completing 1,000 executions under pct and random is the evidence it never does.
  Scenario s = Load(R"({"format": 1, "name": "contend", "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "a"}, {"op": "yield"}, {"op": "use", "obj": "a"},
           {"op": "detach"}, {"op": "attach"}, {"op": "gc"}, {"op": "detach"}],
    "t2": [{"op": "attach"}, {"op": "new", "as": "b"}, {"op": "yield"},
           {"op": "set", "obj": "b", "field": 0, "to": "b"}, {"op": "detach"},
           {"op": "drop", "obj": "b"}, {"op": "attach"}, {"op": "detach"}],
    "t3": [{"op": "new", "as": "c"}, {"op": "use", "obj": "c"}, {"op": "enumerate"},
           {"op": "use", "obj": "a"}]}})");
  auto target = MakeCpythonTarget();
  Engine engine(*target);
  int contended = 0;
  for (const char* spec : {"pct", "random"}) {
    for (uint64_t seed = 0; seed < 500; ++seed) {
      auto strategy = Strategy(spec);
      Checked r = RunChecked(engine, s, {}, *strategy, seed);
      ASSERT_EQ(r.exec.outcome, sched::ExecutionResult::Outcome::kCompleted) << spec << seed;
      ASSERT_FALSE(r.finding) << spec << " " << seed << ": " << r.finding->what;
      ASSERT_TRUE(r.exec.live_after_teardown.empty());
      // The GIL is one: attach/detach events never overlap between threads.
      int holder = -1;
      for (const TraceEntry& e : r.exec.trace.entries) {
        if (e.kind == TraceEntry::Kind::kDecision && std::string(e.site) == "wait") ++contended;
        if (e.kind != TraceEntry::Kind::kEvent) continue;
        if (e.event.kind == EventKind::kAttach) {
          ASSERT_EQ(holder, -1) << spec << seed << "\n" << FormatTrace(s, r.exec.trace);
          holder = static_cast<int>(e.thread);
        } else if (e.event.kind == EventKind::kDetach) {
          ASSERT_EQ(holder, static_cast<int>(e.thread));
          holder = -1;
        }
      }
    }
  }
  std::printf("[ cpython  ] 1000 executions, %d waits for the GIL through the scheduler\n",
              contended);
  EXPECT_GT(contended, 100) << "threads should have waited for the GIL through the scheduler";
}

TEST(CpythonTargetTest, SameSeedSameTrace) {
  const std::filesystem::path dir = std::filesystem::path(GCS_SOURCE_DIR) / "scenarios" / "cpython";
  for (const char* file : {"cpython-gil-contention.json", "cpython-subinterpreters.json",
                           "cpython-finalize-in-cycle.json"}) {
    auto loaded = LoadScenarioFile((dir / file).string(), CpythonLoadOptions());
    ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
    const Scenario& s = loaded.value();
    auto target = MakeCpythonTarget();
    Engine engine(*target);
    for (const char* spec : {"pct", "random", "round-robin", "dfs"}) {
      for (uint64_t seed : {1, 7, 99}) {
        auto a = Strategy(spec);
        auto b = Strategy(spec);
        const std::string first = FormatTrace(s, engine.Run(s, {}, *a, seed, {}).trace);
        const std::string second = FormatTrace(s, engine.Run(s, {}, *b, seed, {}).trace);
        ASSERT_EQ(first, second) << file << " " << spec << " seed " << seed;
      }
    }
  }
}

TEST(CpythonTargetTest, TargetsInOneProcessTakeTurns) {
  // The GIL is per process: two engines with a cpython target each (gcstress --jobs 2) must not
  // interleave their executions, and what each computes must not depend on the other.
  auto loaded = LoadScenarioFile(
      (std::filesystem::path(GCS_SOURCE_DIR) / "scenarios/cpython/cpython-gil-contention.json")
          .string(),
      CpythonLoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  const Scenario& s = loaded.value();
  auto run = [&](std::vector<std::string>* traces) {
    auto target = MakeCpythonTarget();
    Engine engine(*target);
    for (uint64_t seed = 0; seed < 40; ++seed) {
      auto pct = Strategy("pct");
      traces->push_back(FormatTrace(s, engine.Run(s, {}, *pct, seed, {}).trace));
    }
  };
  std::vector<std::string> alone, first, second;
  run(&alone);
  std::thread a(run, &first);
  std::thread b(run, &second);
  a.join();
  b.join();
  EXPECT_EQ(first, alone);
  EXPECT_EQ(second, alone);
}

// --- every target-neutral scenario

uint64_t IterationsFromEnv(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

std::vector<std::filesystem::path> ScenarioFiles() {
  std::vector<std::filesystem::path> files;
  const auto root = std::filesystem::path(GCS_SOURCE_DIR) / "scenarios";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Loads a scenario file if every op it uses is one cpython supports.
std::optional<Scenario> LoadIfSupported(const std::filesystem::path& file) {
  LoadOptions any = CpythonLoadOptions();
  any.supported_ops = kAllOps;
  auto s = LoadScenarioFile(file.string(), any);
  EXPECT_TRUE(s.ok()) << s.error().Format();
  if (!s.ok()) return std::nullopt;
  const OpSet supported = MakeCpythonTarget()->SupportedOps();
  for (const ThreadSpec& t : s->threads) {
    for (const Step& step : t.steps) {
      if (!supported.test(static_cast<size_t>(step.op))) return std::nullopt;
    }
  }
  return std::move(s).value();
}

// The sweep, in shards so that each ctest stays well inside its timeout under ASan: shard k
// runs every kShards-th supported file, counted in sorted order.
constexpr size_t kShards = 4;

void SweepShard(size_t shard) {
  // GCS_CPYTHON_ITERATIONS=10000 runs the long version outside ctest.
  const uint64_t iterations = IterationsFromEnv("GCS_CPYTHON_ITERATIONS", 200);
  auto target = MakeCpythonTarget();
  Engine engine(*target);
  size_t supported = 0, ran = 0;
  for (const auto& file : ScenarioFiles()) {
    std::optional<Scenario> s = LoadIfSupported(file);
    if (!s || supported++ % kShards != shard) continue;
    ++ran;
    SCOPED_TRACE(file.string());
    uint64_t steps = 0;
    for (uint64_t seed = 0; seed < iterations; ++seed) {
      auto random = Strategy("random");
      Checked r = RunChecked(engine, *s, {}, *random, seed);
      steps += r.exec.steps;
      ASSERT_EQ(r.exec.outcome, sched::ExecutionResult::Outcome::kCompleted) << seed;
      ASSERT_FALSE(r.finding) << "seed " << seed << ": " << r.finding->kind << ": "
                              << r.finding->what << "\n"
                              << FormatTrace(*s, r.exec.trace);
      ASSERT_FALSE(r.violation) << "seed " << seed << ": " << r.violation->Signature() << ": "
                                << r.violation->message;
    }
    std::printf("[ cpython  ] %-55s %llu executions, %llu steps\n",
                file.lexically_relative(GCS_SOURCE_DIR).c_str(),
                static_cast<unsigned long long>(iterations),
                static_cast<unsigned long long>(steps));
  }
  EXPECT_GT(ran, 0u);
}

TEST(CpythonTargetTest, ScenariosCpythonCanRunAreMostOfThem) {
  size_t supported = 0;
  for (const auto& file : ScenarioFiles())
    supported += LoadIfSupported(file).has_value() ? 1 : 0;
  EXPECT_GE(supported, 15u) << "scenarios/ should hold at least 15 scenarios cpython can run";
}

TEST(CpythonTargetTest, EveryTargetNeutralScenarioPassesUnderRandomShard0) {
  SweepShard(0);
}
TEST(CpythonTargetTest, EveryTargetNeutralScenarioPassesUnderRandomShard1) {
  SweepShard(1);
}
TEST(CpythonTargetTest, EveryTargetNeutralScenarioPassesUnderRandomShard2) {
  SweepShard(2);
}
TEST(CpythonTargetTest, EveryTargetNeutralScenarioPassesUnderRandomShard3) {
  SweepShard(3);
}

TEST(CpythonTargetTest, TheCpythonScenariosPassOnTheCoreToo) {
  // "Target-neutral" is a claim about both targets.
  CoreTarget core;
  Engine engine(core);
  for (const auto& file : ScenarioFiles()) {
    if (file.parent_path().filename() != "cpython") continue;
    LoadOptions options = CpythonLoadOptions();
    options.target = "core";
    options.supported_ops = core.SupportedOps();
    auto s = LoadScenarioFile(file.string(), options);
    ASSERT_TRUE(s.ok()) << s.error().Format();
    for (uint64_t seed = 0; seed < 50; ++seed) {
      auto pct = Strategy("pct");
      Checked r = RunChecked(engine, *s, {}, *pct, seed);
      ASSERT_EQ(r.exec.outcome, sched::ExecutionResult::Outcome::kCompleted) << file;
      ASSERT_FALSE(r.finding) << file << " seed " << seed << ": " << r.finding->what;
    }
  }
}

TEST(CpythonTargetTest, FreeModeRunsTheScenariosOnRealParallelThreads) {
  // Real parallelism: the model lock spins through the free runner's Wait, the real GIL is only
  // ever taken free, and the adapter's own tables are locked. What a racy schedule can still
  // get wrong is a double free or a leak.
  const uint64_t iterations = IterationsFromEnv("GCS_CPYTHON_FREE_ITERATIONS", 30);
  auto target = MakeCpythonTarget();
  Engine engine(*target);
  EngineOptions free_mode;
  free_mode.free_mode = true;
  for (const auto& file : ScenarioFiles()) {
    std::optional<Scenario> s = LoadIfSupported(file);
    if (!s) continue;
    for (uint64_t seed = 0; seed < iterations; ++seed) {
      auto unused = Strategy("random");
      Checked r = RunChecked(engine, *s, {}, *unused, seed, free_mode);
      ASSERT_TRUE(r.exec.torn_down) << file;
      if (r.finding) {
        // The premature-collection rule reads bind and discard entries in recording order,
        // which free mode does not keep tied to the frees; the others hold regardless.
        ASSERT_EQ(r.finding->kind, "premature-collection") << file << ": " << r.finding->what;
      }
    }
  }
}

// --- adapter faults

struct FaultCase {
  std::filesystem::path file;
  Scenario scenario;
  std::string fault;
  std::string result;
};

std::vector<FaultCase> CpythonFaultCases() {
  std::vector<FaultCase> cases;
  const std::vector<std::string> ours = MakeCpythonTarget()->FaultNames();
  for (const auto& file : ScenarioFiles()) {
    std::optional<Scenario> s = LoadIfSupported(file);
    if (!s) continue;
    for (const Expectation& e : s->expect) {
      if (e.faults.size() != 1 || !e.violation) continue;
      if (std::find(ours.begin(), ours.end(), e.faults[0]) == ours.end()) continue;
      cases.push_back({file, *s, e.faults[0], std::string(ViolationName(*e.violation))});
    }
  }
  return cases;
}

TEST(CpythonTargetTest, EveryAdapterFaultHasAScenarioExpectingIt) {
  std::set<std::string> covered;
  for (const FaultCase& c : CpythonFaultCases())
    covered.insert(c.fault);
  for (const std::string& f : MakeCpythonTarget()->FaultNames())
    EXPECT_TRUE(covered.count(f)) << f << " has no scenario under scenarios/ expecting it";
}

constexpr uint64_t kFaultSeedBudget = 100;

TEST(CpythonTargetTest, InBandFaultsAreFoundByPctAndReplay) {
  auto target = MakeCpythonTarget();
  Engine engine(*target);
  int cases = 0;
  for (const FaultCase& c : CpythonFaultCases()) {
    if (c.result == "crash") continue;  // the next test: CPython aborts the process
    ++cases;
    SCOPED_TRACE(c.file.string() + " under " + c.fault);
    const std::vector<std::string> faults = {c.fault};
    std::optional<Checked> found;
    uint64_t seed = 0;
    int missed = 0;
    for (; seed < kFaultSeedBudget && !found; ++seed) {
      auto pct = Strategy("pct");
      Checked r = RunChecked(engine, c.scenario, faults, *pct, seed);
      if (r.finding) {
        found = std::move(r);
      } else {
        ++missed;
      }
    }
    ASSERT_TRUE(found) << "pct did not find the fault in " << kFaultSeedBudget << " seeds";
    // The free itself is premature; what a probe-only target's oracles see first is the dangling
    // handle's next use or release: the expected result.
    EXPECT_EQ(found->finding->kind, "premature-collection") << found->finding->what;
    ASSERT_TRUE(found->findings.count(c.result)) << "the checker never saw " << c.result;
    std::printf("[ cpython  ] %s found by pct at seed %llu (%d clean seeds before): %s; %s\n",
                c.fault.c_str(), static_cast<unsigned long long>(seed - 1), missed,
                found->finding->what.c_str(), found->findings.at(c.result).what.c_str());
    // The harness's own oracles judge it too: from the probes alone (ReportsHolders, without the
    // full event stream) they see the free itself as premature, or — where the execution goes
    // on to use the dangling handle — the use after free, the more severe verdict.
    if (!MakeOracles(*target).empty()) {
      ASSERT_TRUE(found->violation) << "the oracles missed what the checker found";
      const std::string kind(ViolationName(found->violation->kind));
      EXPECT_TRUE(kind == "premature-collection" || kind == c.result)
          << kind << ": " << found->violation->message;
      std::printf("[ cpython  ]   oracles: %s: %s\n", found->violation->Signature().c_str(),
                  found->violation->message.c_str());
    }

    sched::ReplayStrategy replay(found->exec.schedule);
    Checked again = RunChecked(engine, c.scenario, faults, replay, found->exec.seed);
    EXPECT_FALSE(replay.DivergedAt().has_value());
    EXPECT_EQ(FormatTrace(c.scenario, again.exec.trace),
              FormatTrace(c.scenario, found->exec.trace));
    ASSERT_TRUE(again.finding);
    EXPECT_EQ(again.finding->what, found->finding->what);
    EXPECT_EQ(again.violation.has_value(), found->violation.has_value());
    if (again.violation) {
      EXPECT_EQ(again.violation->message, found->violation->message);
    }

    // Without the fault the same schedules are clean (the fault, not the scenario, is found).
    for (uint64_t s = 0; s < seed; ++s) {
      auto pct = Strategy("pct");
      Checked clean = RunChecked(engine, c.scenario, {}, *pct, s);
      ASSERT_FALSE(clean.finding) << "seed " << s << ": " << clean.finding->what;
    }
  }
  EXPECT_EQ(cases, 2);
}

// A crash ends the process, so the crashing fault runs in a forked child that streams what it
// does to files as it goes: each strategy decision, each trace line, its stderr.

class TeeStrategy final : public sched::Strategy {
 public:
  TeeStrategy(sched::Strategy& inner, int fd) : inner_(inner), fd_(fd) {}
  std::string Spec() const override { return inner_.Spec(); }
  void BeginExecution(uint64_t seed, uint32_t n) override { inner_.BeginExecution(seed, n); }
  sched::ThreadIndex NextThread(std::span<const sched::ThreadIndex> runnable,
                                sched::ThreadIndex current, bool current_runnable) override {
    const sched::ThreadIndex t = inner_.NextThread(runnable, current, current_runnable);
    Write("t " + std::to_string(t) + "\n");
    return t;
  }
  uint64_t NextU64() override {
    const uint64_t v = inner_.NextU64();
    Write("r " + std::to_string(v) + "\n");
    return v;
  }
  bool EndExecution() override { return inner_.EndExecution(); }

 private:
  void Write(const std::string& line) { GCS_CHECK(write(fd_, line.data(), line.size()) > 0); }
  sched::Strategy& inner_;
  int fd_;
};

class TraceTee final : public ExecutionObserver {
 public:
  TraceTee(const Scenario& s, int fd) : scenario_(s), fd_(fd) {}
  void OnEntry(const TraceEntry& e) override {
    torn_down_ = torn_down_ || e.kind == TraceEntry::Kind::kTeardown;
    const std::string line = FormatTraceEntry(scenario_, e, torn_down_) + "\n";
    GCS_CHECK(write(fd_, line.data(), line.size()) > 0);
  }

 private:
  const Scenario& scenario_;
  int fd_;
  bool torn_down_ = false;
};

struct ChildRun {
  int status = 0;
  std::string stderr_text;
  std::vector<sched::Decision> decisions;
  std::string trace;
  bool aborted() const { return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT; }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ChildRun RunInChild(const Scenario& s, const std::vector<std::string>& faults,
                    const std::function<std::unique_ptr<sched::Strategy>()>& make, uint64_t seed) {
  const std::string dir = ::testing::TempDir();
  const std::string decisions = dir + "/gcs_cpython_decisions";
  const std::string trace = dir + "/gcs_cpython_trace";
  const std::string err = dir + "/gcs_cpython_stderr";
  std::fflush(nullptr);
  const pid_t pid = fork();
  GCS_CHECK(pid >= 0);
  if (pid == 0) {
    const int flags = O_WRONLY | O_CREAT | O_TRUNC;
    const int dfd = open(decisions.c_str(), flags, 0600);
    const int tfd = open(trace.c_str(), flags, 0600);
    const int efd = open(err.c_str(), flags, 0600);
    if (dfd < 0 || tfd < 0 || efd < 0 || dup2(efd, 2) < 0) _exit(100);
    {
      // A fresh engine: the parent's pool threads do not exist in the child.
      auto target = MakeCpythonTarget();
      Engine engine(*target);
      std::unique_ptr<sched::Strategy> inner = make();
      TeeStrategy tee(*inner, dfd);
      TraceTee tt(s, tfd);
      engine.Run(s, faults, tee, seed, {}, &tt);
    }
    _exit(0);
  }
  ChildRun out;
  GCS_CHECK(waitpid(pid, &out.status, 0) == pid);
  out.stderr_text = ReadFile(err);
  out.trace = ReadFile(trace);
  std::istringstream lines(ReadFile(decisions));
  std::string kind;
  uint64_t value;
  while (lines >> kind >> value) {
    out.decisions.push_back(kind == "t" ? sched::ThreadDecision(value)
                                        : sched::DrawDecision(value));
  }
  return out;
}

TEST(CpythonTargetTest, DecrefWhileDetachedCrashesInCPythonUnderPctAndReplays) {
  const std::vector<FaultCase> all = CpythonFaultCases();
  auto c = std::find_if(all.begin(), all.end(), [](const FaultCase& f) {
    return f.fault == "cpython-decref-while-detached";
  });
  ASSERT_NE(c, all.end());
  ASSERT_EQ(c->result, "crash");
  const std::vector<std::string> faults = {c->fault};
  const char* kGilMessage = "PyThreadState_Get: the function must be called with the GIL held";

  std::optional<ChildRun> crashed;
  uint64_t seed = 0;
  for (; seed < kFaultSeedBudget && !crashed; ++seed) {
    ChildRun run = RunInChild(
        c->scenario, faults, [] { return Strategy("pct"); }, seed);
    ASSERT_TRUE((WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) || run.aborted())
        << "status " << run.status << "\n"
        << run.stderr_text;
    if (run.aborted()) crashed = std::move(run);
  }
  ASSERT_TRUE(crashed) << "pct did not make CPython abort in " << kFaultSeedBudget << " seeds";
  EXPECT_NE(crashed->stderr_text.find(kGilMessage), std::string::npos) << crashed->stderr_text;
  // The trace up to the abort: the GIL-less decref to zero is the last thing reported.
  const std::string last_event = "decref #1 vm0 @cpython.drop\n";
  ASSERT_GE(crashed->trace.size(), last_event.size());
  EXPECT_EQ(crashed->trace.substr(crashed->trace.size() - last_event.size()), last_event)
      << crashed->trace;
  std::printf("[ cpython  ] cpython-decref-while-detached: CPython aborted at pct seed %llu\n",
              static_cast<unsigned long long>(seed - 1));

  sched::Schedule schedule;
  schedule.seed = seed - 1;
  schedule.strategy = Strategy("pct")->Spec();
  schedule.decisions = crashed->decisions;
  const std::string text = sched::FormatSchedule(schedule);
  ChildRun again = RunInChild(
      c->scenario, faults,
      [&] {
        auto parsed = sched::ParseSchedule(text, "<test>");
        GCS_CHECK(parsed.ok());
        return std::make_unique<sched::ReplayStrategy>(parsed.value());
      },
      seed - 1);
  EXPECT_TRUE(again.aborted()) << "replay of " << text << " did not abort";
  EXPECT_NE(again.stderr_text.find(kGilMessage), std::string::npos);
  EXPECT_EQ(again.trace, crashed->trace) << text;

  // The fixed adapter queues the same drops: no abort, nothing found, on the same seeds.
  auto target = MakeCpythonTarget();
  Engine engine(*target);
  for (uint64_t s = 0; s < seed; ++s) {
    auto pct = Strategy("pct");
    Checked clean = RunChecked(engine, c->scenario, {}, *pct, s);
    ASSERT_FALSE(clean.finding) << "seed " << s << ": " << clean.finding->what;
  }
}

}  // namespace
}  // namespace gcs
