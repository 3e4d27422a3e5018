// gcstress oracles — ShadowModel: what the specification says is alive, and what holds it.
//
// The model follows a trace and keeps the *fixed* semantics of DESIGN.md §3 — never the target's
// own bookkeeping, which may be the thing that is wrong. Per allocation it knows whether it is
// alive or freed, its owning VM and kind, and every reference the spec says it holds or is held
// by. Holders, each counted per object:
//   binding      a scenario variable of handle kind is bound to it: from the step-end that binds
//                it to the discard entry that lets it go (weak references and tokens hold nothing)
//   stranded     a discard the target refused (a drop while its VM was closing): the reference
//                stays with the object until its VM is destroyed
//   hold         a step in flight allocated it, or increfed it outside a collection, until that
//                step ends (a new object before it is bound, the proxy an export just made)
//   pool         a queued drop (PoolQueue value -1) not applied yet
//   registry     a finalization registry entry holding it as `held`, until its callback or
//                unregister (vm, token, aux)
//   export entry an owner's export table entry for it, from Export until ExportDrop
//   table        a VM's type table lists it (TypeRegister), until that VM is destroyed
//   edges        reference fields and internal slots of other objects (EdgeSet / EdgeClear), and
//                the type reference of every object allocated with it as type
//   proxy edge   a live proxy keeps its target alive while it is neither released nor invalidated
//
// Two notions of reachability use them:
//   kStrong    bindings, stranded, holds, pool, registry, type objects (VM roots while alive),
//              edges and proxy edges: freeing or finalizing an object reachable so is premature.
//   kLiveness  kStrong plus export entries: an export whose last proxy is gone stays alive until
//              the release message is delivered, so a gc meanwhile must not call it a leak.
//
// Closing a VM (Terminate or VmDestroyBegin) applies what the spec says closing does, whatever
// the target reports: exports from and to it are dropped, proxies into it invalidated, its own
// registries, pool and type table die with it, and pending calls into it are rejected (their
// listeners leave their endpoints) along with the proxy registrations of proxies into it.
//
// Oracles judge each entry against the state *before* it: Enter(i, entry) applies the entry
// entered before and keeps `entry` pending. Several oracles may share one model; each calls Enter
// with the same index and only the first applies anything. Updates are O(1) amortized per entry
// (closing a VM scans the model once); reachability is computed on demand by a bounded backward
// search with a cache of objects known unreachable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/ids.h"
#include "core/object.h"
#include "harness/engine/trace.h"
#include "harness/scenario/scenario.h"

namespace gcs {

enum class Reach : uint8_t { kStrong, kLiveness };

// Where in the execution something happened: what a Violation records about its context.
struct Attribution {
  uint32_t thread = 0;
  uint32_t step = 0;
  std::string_view op;     // the step's op name; "" outside any step
  std::string_view phase;  // "setup" (the target's Begin), "step" or "teardown"
};

class ShadowModel {
 public:
  enum class State : uint8_t { kUnknown, kAlive, kFreed };

  struct OutEdge {
    int64_t field;  // >= 0 a reference field, -1 an internal slot
    core::AllocId to;
  };

  struct Object {
    State state = State::kUnknown;
    core::ObjectKind kind = core::ObjectKind::kPlain;
    bool collecting = false;    // on a running collection's worklist
    bool weak_cleared = false;  // WeakClear seen: a weak upgrade of it must come back empty
    bool released = false;      // proxy: ProxyRelease seen (at trace index released_at)
    size_t released_at = 0;
    bool proxy_active = false;  // proxy: its edge to proxy_target holds
    core::VmIndex vm = core::kNoVm;
    core::VmIndex proxy_owner = core::kNoVm;
    core::AllocId type = core::kNoAlloc;
    core::AllocId proxy_target = core::kNoAlloc;
    int64_t proxy_export = 0;  // proxy: the export id (in proxy_owner's table for vm) it uses
    int32_t bindings = 0;
    int32_t stranded = 0;  // references whose release the target refused (its VM was closing)
    int32_t holds = 0;
    int32_t pool = 0;
    int32_t registry_held = 0;
    int32_t export_entries = 0;
    int32_t table_refs = 0;
    int32_t type_users = 0;
    std::vector<OutEdge> out;            // fields and slots
    std::vector<core::AllocId> in;       // sources of field/slot edges into it (a multiset)
    std::vector<core::AllocId> proxies;  // proxies whose edge targeted it (active or not)

    bool alive() const { return state == State::kAlive; }
    bool freed() const { return state == State::kFreed; }
  };

  struct VmInfo {
    bool closed = false;      // Terminate or VmDestroyBegin seen
    bool destroying = false;  // between VmDestroyBegin and VmDestroyEnd
    bool destroyed = false;
    bool terminated = false;
    size_t closed_at = 0;                   // trace index of the first close event
    uint32_t creating_thread = UINT32_MAX;  // between VmCreateBegin and VmCreateEnd
    std::vector<core::AllocId> types;       // its type table (TypeRegister)
    std::vector<core::AllocId> collecting;  // the running collection's worklist
  };

  struct RegistryKey {
    core::VmIndex vm;
    int64_t aux;  // 0 user registry, 1 the internal proxy registry
    int64_t token;
    bool operator<(const RegistryKey& o) const {
      return std::tie(vm, aux, token) < std::tie(o.vm, o.aux, o.token);
    }
  };
  struct RegistryEntry {
    core::AllocId target = core::kNoAlloc;
    core::AllocId held = core::kNoAlloc;
    size_t registered_at = 0;
  };

  struct ExportKey {
    core::VmIndex owner;
    int64_t dest;
    int64_t id;
    bool operator<(const ExportKey& o) const {
      return std::tie(owner, dest, id) < std::tie(o.owner, o.dest, o.id);
    }
  };

  struct ThreadPos {
    bool started_step = false;  // some step began
    bool in_flight = false;     // between step-begin and its end (or skip)
    uint32_t step = 0;          // the current or last step
    Op op = Op::kYield;
    size_t begin_index = 0;  // trace index of that step's begin
    Value obj_value;         // what the step's `obj` variable held when it began
    bool obj_bound = false;
    Value weak_value;  // what its `weak` variable held (an upgrade's weak reference)
    bool weak_bound = false;
    // The registration its `token` variable names (an unregister's), if the model saw it made.
    bool token_known = false;
    RegistryKey token_key{};
    // A registration this step made (a register's: its `as` token names it from the step's end).
    bool registered = false;
    RegistryKey registered_key{};
    std::vector<core::AllocId> holds;
  };

  // Resets the model for an execution of `scenario`.
  void Begin(const Scenario& scenario);
  // Makes the model reflect every entry before `index`, and keeps `entry` (number `index`)
  // pending. Oracles sharing the model all call it with the same index; repeats are no-ops.
  void Enter(size_t index, const TraceEntry& entry);
  // Applies the pending entry: the model then reflects the whole trace.
  void Flush();
  // Enter and Flush at once, for a caller that has judged entry `index` already (OracleSet, which
  // judges an entry with every oracle before the model takes it): no copy of the entry is kept.
  // Not to be mixed with Enter within one execution.
  void Take(size_t index, const TraceEntry& entry);

  const Scenario& scenario() const { return *scenario_; }
  uint32_t num_threads() const { return num_threads_; }
  bool teardown() const { return teardown_; }

  // nullptr for an id the trace never mentioned.
  const Object* Find(core::AllocId id) const {
    return id != core::kNoAlloc && id < used_ ? &objs_[id] : nullptr;
  }
  bool Alive(core::AllocId id) const {
    const Object* o = Find(id);
    return o != nullptr && o->alive();
  }
  bool Freed(core::AllocId id) const {
    const Object* o = Find(id);
    return o != nullptr && o->freed();
  }
  // Ids the trace allocated, 1..max_id().
  core::AllocId max_id() const { return used_ == 0 ? 0 : used_ - 1; }
  const VmInfo& vm(core::VmIndex v) const { return vms_[v < core::kMaxVms ? v : 0]; }
  bool ValidVm(core::VmIndex v) const { return v < core::kMaxVms; }
  const ThreadPos& thread(uint32_t t) const { return threads_[ThreadSlot(t)]; }
  bool AnyStepInFlight() const { return in_flight_ > 0; }
  const std::map<RegistryKey, RegistryEntry>& registry() const { return registry_; }

  // The thread, step, op and phase an event of trace thread `t` belongs to.
  Attribution Where(uint32_t t) const;

  // The spec's reference count: every counted holder (all but step holds and proxy edges).
  int64_t Count(core::AllocId id) const;
  // One line listing the holders, for messages: "1 binding, 2 edges".
  std::string DescribeHolders(core::AllocId id) const;

  // Whether a live object is reachable from the roots of `reach`, ignoring every object of the
  // VMs in `exclude` (empty: none). If so and `root` is given, *root names a root that reaches it.
  bool Reachable(core::AllocId id, Reach reach, std::span<const core::VmIndex> exclude = {},
                 core::AllocId* root = nullptr);
  // The VMs of the live proxies whose edges reach `id` backwards (ascending).
  std::vector<core::VmIndex> ProxyVmsReaching(core::AllocId id);
  // Live objects of `vm` (type objects aside) unreachable under kLiveness, ascending.
  std::vector<core::AllocId> UnreachableIn(core::VmIndex vm);

 private:
  Object& Obj(core::AllocId id);
  uint32_t ThreadSlot(uint32_t t) const { return t < num_threads_ ? t : num_threads_; }
  void Apply(const TraceEntry& e, size_t index);
  void ApplyEvent(const core::Event& ev, size_t index);
  void Hold(ThreadPos& pos, core::AllocId id);
  void ApplyRefcount(const core::Event& ev);
  void ApplyGraph(const core::Event& ev);
  void ApplyRegistry(const core::Event& ev, size_t index);
  void ApplyProxy(const core::Event& ev, size_t index);
  void ApplyVm(const core::Event& ev, size_t index);
  void ApplyClose(core::VmIndex vm, size_t index);
  void EndStep(uint32_t t);
  void AddEdge(core::AllocId from, int64_t field, core::AllocId to);
  void RemoveEdge(core::AllocId from, int64_t field, core::AllocId to);
  void DropExport(std::map<ExportKey, core::AllocId>::iterator it);
  void DropRegistry(std::map<RegistryKey, RegistryEntry>::iterator it);
  void Deactivate(core::AllocId proxy);
  int64_t Roots(const Object& o, Reach reach) const;
  void Grew() { ++cache_gen_; }  // something may have become reachable: the cache is stale
  uint32_t NextMark();

  const Scenario* scenario_ = nullptr;
  bool fresh_ = false;  // reset by Begin, nothing entered since
  uint32_t num_threads_ = 0;
  bool teardown_ = false;

  std::vector<Object> objs_;  // by id; kept across executions so vectors keep their capacity
  size_t used_ = 0;           // ids below this belong to the current execution
  std::vector<uint32_t> mark_;
  uint32_t mark_gen_ = 0;
  std::vector<uint32_t> unreachable_gen_;  // == cache_gen_: known unreachable under kStrong
  uint32_t cache_gen_ = 1;
  std::vector<core::AllocId> queue_;

  std::array<VmInfo, core::kMaxVms> vms_;
  std::vector<ThreadPos> threads_;  // scenario threads, then the harness's own (setup, teardown)
  int in_flight_ = 0;
  std::vector<Value> var_values_;
  // By token variable: the registration it names (valid where token_known_ is set).
  std::vector<RegistryKey> var_tokens_;
  std::vector<bool> var_token_known_;
  std::map<RegistryKey, RegistryEntry> registry_;
  std::map<ExportKey, core::AllocId> exports_;
  struct Call {
    core::AllocId promise = core::kNoAlloc;
    core::AllocId proxy = core::kNoAlloc;
  };
  std::map<std::pair<core::VmIndex, int64_t>, Call> calls_;  // (caller VM, call id), unsettled

  bool has_pending_ = false;
  TraceEntry pending_;
  size_t pending_index_ = 0;
  size_t next_ = 0;
};

}  // namespace gcs
