// gcstress oracles — ShadowModel: following a trace with the spec's lifetime semantics.
#include "harness/oracles/shadow_model.h"

#include <algorithm>
#include <climits>
#include <string>

#include "core/check.h"

namespace gcs {
namespace {

// Ids beyond this are not tracked: a target reporting them is broken in a way the oracles cannot
// judge, and the model must not allocate gigabytes because of it.
constexpr core::AllocId kMaxTrackedId = core::AllocId{1} << 24;

void ResetObject(ShadowModel::Object& o) {
  o.state = ShadowModel::State::kUnknown;
  o.kind = core::ObjectKind::kPlain;
  o.collecting = false;
  o.weak_cleared = false;
  o.released = false;
  o.released_at = 0;
  o.proxy_active = false;
  o.vm = core::kNoVm;
  o.proxy_owner = core::kNoVm;
  o.type = core::kNoAlloc;
  o.proxy_target = core::kNoAlloc;
  o.proxy_export = 0;
  o.bindings = o.stranded = o.holds = o.pool = o.registry_held = o.export_entries = o.table_refs =
      o.type_users = 0;
  o.out.clear();  // clear, not shrink: the next execution reuses the capacity
  o.in.clear();
  o.proxies.clear();
}

void Decrement(int32_t& n) {
  if (n > 0) --n;
}

}  // namespace

void ShadowModel::Begin(const Scenario& scenario) {
  // Every oracle sharing the model begins it; the first reset is enough.
  if (fresh_ && scenario_ == &scenario && num_threads_ == scenario.threads.size() &&
      var_values_.size() == scenario.vars.size()) {
    return;
  }
  fresh_ = true;
  scenario_ = &scenario;
  num_threads_ = static_cast<uint32_t>(scenario.threads.size());
  teardown_ = false;
  for (size_t i = 0; i < used_; ++i)
    ResetObject(objs_[i]);
  used_ = 0;
  ++cache_gen_;
  for (VmInfo& v : vms_) {
    v.closed = v.destroying = v.destroyed = v.terminated = false;
    v.closed_at = 0;
    v.creating_thread = UINT32_MAX;
    v.types.clear();
    v.collecting.clear();
  }
  // Grown, never shrunk (ThreadSlot keeps every index below num_threads_ + 1): a ThreadPos dropped
  // here would take its holds buffer along and the next larger scenario would allocate a new one
  // to keep — memory kept past the case that allocated it, which libFuzzer reads as a possible leak
  // and answers by running the case again.
  if (threads_.size() < num_threads_ + 1) threads_.resize(num_threads_ + 1);
  for (ThreadPos& t : threads_) {
    t.started_step = t.in_flight = t.obj_bound = false;
    t.step = 0;
    t.op = Op::kYield;
    t.begin_index = 0;
    t.obj_value = Value{};
    t.holds.clear();
  }
  in_flight_ = 0;
  var_values_.assign(scenario.vars.size(), Value{});
  var_tokens_.assign(scenario.vars.size(), RegistryKey{});
  var_token_known_.assign(scenario.vars.size(), false);
  registry_.clear();
  exports_.clear();
  calls_.clear();
  has_pending_ = false;
  pending_index_ = 0;
  next_ = 0;
}

void ShadowModel::Enter(size_t index, const TraceEntry& entry) {
  if (index + 1 == next_) return;  // another oracle sharing the model entered it already
  fresh_ = false;
  GCS_CHECK_MSG(index == next_, "oracles sharing a shadow model saw different traces");
  if (has_pending_) Apply(pending_, pending_index_);
  pending_ = entry;
  pending_index_ = index;
  has_pending_ = true;
  ++next_;
}

void ShadowModel::Take(size_t index, const TraceEntry& entry) {
  fresh_ = false;
  GCS_CHECK_MSG(index == next_ && !has_pending_, "a shadow model took entries out of order");
  Apply(entry, index);
  ++next_;
}

void ShadowModel::Flush() {
  if (!has_pending_) return;
  has_pending_ = false;
  Apply(pending_, pending_index_);
}

ShadowModel::Object& ShadowModel::Obj(core::AllocId id) {
  static thread_local Object sink;  // absorbs ids the model does not track
  if (id == core::kNoAlloc || id >= kMaxTrackedId) {
    ResetObject(sink);
    return sink;
  }
  if (id >= objs_.size()) {
    const size_t n = std::max<size_t>(id + 1, objs_.size() * 2);
    objs_.resize(n);
    mark_.resize(n, 0);
    unreachable_gen_.resize(n, 0);
  }
  if (id >= used_) used_ = id + 1;
  return objs_[id];
}

Attribution ShadowModel::Where(uint32_t t) const {
  if (t >= num_threads_) {
    return Attribution{num_threads_, 0, "", teardown_ ? "teardown" : "setup"};
  }
  const ThreadPos& p = threads_[t];
  return Attribution{t, p.step, p.started_step ? OpName(p.op) : std::string_view(), "step"};
}

void ShadowModel::EndStep(uint32_t t) {
  ThreadPos& p = threads_[ThreadSlot(t)];
  if (!p.in_flight) return;
  p.in_flight = false;
  --in_flight_;
  for (core::AllocId id : p.holds)
    Decrement(Obj(id).holds);
  p.holds.clear();
}

void ShadowModel::Apply(const TraceEntry& e, size_t index) {
  const bool valid_var = e.var != kNoVar && e.var < var_values_.size();
  const bool handle_var = valid_var && scenario_->vars[e.var].kind == BindKind::kHandle;
  switch (e.kind) {
    case TraceEntry::Kind::kStepBegin: {
      ThreadPos& p = threads_[ThreadSlot(e.thread)];
      if (!p.in_flight) ++in_flight_;
      p.in_flight = true;
      p.started_step = true;
      p.step = e.step;
      p.begin_index = index;
      p.obj_bound = false;
      p.weak_bound = false;
      p.token_known = false;
      p.registered = false;
      if (e.thread < num_threads_ && e.step < scenario_->threads[e.thread].steps.size()) {
        const Step& s = scenario_->threads[e.thread].steps[e.step];
        p.op = s.op;
        if (s.obj != kNoVar && s.obj < var_values_.size()) {
          p.obj_value = var_values_[s.obj];
          p.obj_bound = true;
        }
        if (s.weak != kNoVar && s.weak < var_values_.size()) {
          p.weak_value = var_values_[s.weak];
          p.weak_bound = true;
        }
        if (s.token != kNoVar && s.token < var_tokens_.size() && var_token_known_[s.token]) {
          p.token_key = var_tokens_[s.token];
          p.token_known = true;
        }
      }
      break;
    }
    case TraceEntry::Kind::kStepEnd:
      if (valid_var) {
        const ThreadPos& p = threads_[ThreadSlot(e.thread)];
        var_token_known_[e.var] = p.in_flight && p.registered;
        if (p.in_flight && p.registered) var_tokens_[e.var] = p.registered_key;
        var_values_[e.var] = e.value;
        if (handle_var && e.value.obj != core::kNoAlloc) {
          ++Obj(e.value.obj).bindings;
          Grew();
        }
      }
      EndStep(e.thread);
      break;
    case TraceEntry::Kind::kStepSkipped:
    case TraceEntry::Kind::kThreadStop:
    case TraceEntry::Kind::kThreadEnd:
      EndStep(e.thread);
      break;
    case TraceEntry::Kind::kDiscard:
      if (handle_var && e.value.obj != core::kNoAlloc) Decrement(Obj(e.value.obj).bindings);
      break;
    case TraceEntry::Kind::kDiscardError:
      // The target refused to take the reference back (its VM is closing): the object keeps it
      // until the VM goes, so nothing that counts or roots it may act as if it had been dropped.
      if (handle_var && e.value.obj != core::kNoAlloc) {
        ++Obj(e.value.obj).stranded;
        Grew();
      }
      break;
    case TraceEntry::Kind::kTeardown:
      teardown_ = true;
      break;
    case TraceEntry::Kind::kEvent:
      if (e.event.kind == core::EventKind::kRegistryRegister && e.event.aux == 0 &&
          ValidVm(e.event.vm)) {
        ThreadPos& p = threads_[ThreadSlot(e.thread)];
        if (p.in_flight) {
          p.registered = true;
          p.registered_key = RegistryKey{e.event.vm, e.event.aux, e.event.value};
        }
      }
      ApplyEvent(e.event, index);
      break;
    case TraceEntry::Kind::kDecision:
    case TraceEntry::Kind::kThreadStart:
      break;
  }
}

// One event, by mechanism: each Apply* below takes the kinds of its part of the spec.
void ShadowModel::ApplyEvent(const core::Event& ev, size_t index) {
  using K = core::EventKind;
  switch (ev.kind) {
    case K::kAlloc:
    case K::kFree:
    case K::kIncref:
    case K::kPoolQueue:
    case K::kPoolApply:
      return ApplyRefcount(ev);
    case K::kEdgeSet:
    case K::kEdgeClear:
    case K::kCollectUnreachable:
    case K::kCollectEnd:
      return ApplyGraph(ev);
    case K::kRegistryRegister:
    case K::kRegistryUnregister:
    case K::kRegistryCallback:
      return ApplyRegistry(ev, index);
    case K::kExport:
    case K::kExportDrop:
    case K::kProxyRelease:
    case K::kProxyInvalidate:
    case K::kCallBegin:
    case K::kCallSettle:
      return ApplyProxy(ev, index);
    case K::kVmCreateBegin:
    case K::kVmCreateEnd:
    case K::kTypeRegister:
    case K::kTerminate:
    case K::kVmDestroyBegin:
    case K::kVmDestroyEnd:
      return ApplyVm(ev, index);
    case K::kWeakClear:
      Obj(ev.obj).weak_cleared = true;
      return;
    case K::kDecref:
    case K::kFinalize:
    case K::kCollectBegin:
    case K::kEnumerate:
    case K::kUse:
    case K::kMessageSend:
    case K::kMessageDeliver:
    case K::kCallServe:
    case K::kAttach:
    case K::kDetach:
    case K::kVmSwitch:
      return;
  }
}

// An object the thread's in-flight step now holds (a handle it will bind).
void ShadowModel::Hold(ThreadPos& pos, core::AllocId id) {
  if (!pos.in_flight) return;
  ++Obj(id).holds;
  pos.holds.push_back(id);
  Grew();
}

// Allocation, free, references and the deferred pool.
void ShadowModel::ApplyRefcount(const core::Event& ev) {
  using K = core::EventKind;
  ThreadPos& pos = threads_[ThreadSlot(ev.thread)];
  switch (ev.kind) {
    case K::kAlloc: {
      Object& o = Obj(ev.obj);
      if (o.state != State::kUnknown || ev.obj == core::kNoAlloc) break;  // ids are never reused
      o.state = State::kAlive;
      o.kind = ev.value >= 0 && ev.value < core::kObjectKindCount
                   ? static_cast<core::ObjectKind>(ev.value)
                   : core::ObjectKind::kPlain;
      o.vm = ev.vm;
      o.type = ev.other;
      if (ev.other != core::kNoAlloc) ++Obj(ev.other).type_users;
      Hold(pos, ev.obj);
      break;
    }
    case K::kFree: {
      Object& o = Obj(ev.obj);
      if (o.freed() || ev.obj == core::kNoAlloc) break;
      const bool was_alive = o.alive();
      // A target that reports frees but not allocations still gets its double frees found.
      o.state = State::kFreed;
      if (!was_alive) break;
      o.collecting = false;
      o.proxy_active = false;
      // Its references go with it: the core's dealloc reports them one by one, a heap freed with
      // its VM does not. Every id below was entered when its edge was, so no Obj() (no growth).
      for (const OutEdge& edge : o.out) {
        auto& in = objs_[edge.to].in;
        auto it = std::find(in.begin(), in.end(), ev.obj);
        if (it != in.end()) in.erase(it);
      }
      o.out.clear();
      if (o.type != core::kNoAlloc && o.type < objs_.size()) Decrement(objs_[o.type].type_users);
      break;
    }
    case K::kIncref: {
      // The collector's reference to its worklist is not a hold: it frees those objects itself.
      const Object& o = Obj(ev.obj);
      if (o.alive() && !o.collecting) Hold(pos, ev.obj);
      break;
    }
    case K::kPoolQueue:
      if (ev.value < 0) {
        ++Obj(ev.obj).pool;
        Grew();
      }
      break;
    case K::kPoolApply:
      if (ev.value < 0) Decrement(Obj(ev.obj).pool);
      break;
    default:
      break;
  }
}

// Edges, and the collector's unreachable set.
void ShadowModel::ApplyGraph(const core::Event& ev) {
  using K = core::EventKind;
  switch (ev.kind) {
    case K::kEdgeSet:
      if (ev.obj != core::kNoAlloc && ev.other != core::kNoAlloc) {
        AddEdge(ev.obj, ev.value, ev.other);
        Grew();
      }
      break;
    case K::kEdgeClear:
      RemoveEdge(ev.obj, ev.value, ev.other);
      break;
    case K::kCollectUnreachable:
      if (!ValidVm(ev.vm)) break;
      Obj(ev.obj).collecting = true;
      vms_[ev.vm].collecting.push_back(ev.obj);
      break;
    case K::kCollectEnd:
      if (!ValidVm(ev.vm)) break;
      for (core::AllocId id : vms_[ev.vm].collecting)
        Obj(id).collecting = false;
      vms_[ev.vm].collecting.clear();
      break;
    default:
      break;
  }
}

// Finalization registries: an entry per (vm, registry, token).
void ShadowModel::ApplyRegistry(const core::Event& ev, size_t index) {
  if (!ValidVm(ev.vm)) return;
  const RegistryKey key{ev.vm, ev.aux, ev.value};
  // Registered again, unregistered, or its callback ran: the old entry goes.
  if (auto it = registry_.find(key); it != registry_.end()) DropRegistry(it);
  if (ev.kind != core::EventKind::kRegistryRegister) return;
  registry_.emplace(key, RegistryEntry{ev.obj, ev.other, index});
  if (ev.other != core::kNoAlloc) {
    ++Obj(ev.other).registry_held;
    Grew();
  }
}

// Exports, proxies and pending calls across VMs.
void ShadowModel::ApplyProxy(const core::Event& ev, size_t index) {
  using K = core::EventKind;
  const bool vm_ok = ValidVm(ev.vm);
  switch (ev.kind) {
    case K::kExport: {
      if (!vm_ok || ev.other == core::kNoAlloc) break;
      Object& p = Obj(ev.other);
      p.proxy_target = ev.obj;
      p.proxy_owner = ev.vm;
      p.proxy_export = ev.aux;
      p.proxy_active = p.alive();
      Obj(ev.obj).proxies.push_back(ev.other);
      const ExportKey key{ev.vm, ev.value, ev.aux};
      if (exports_.emplace(key, ev.obj).second) ++Obj(ev.obj).export_entries;
      Grew();
      break;
    }
    case K::kExportDrop: {
      if (!vm_ok) break;
      auto it = exports_.find(ExportKey{ev.vm, ev.value, ev.aux});
      if (it == exports_.end() || it->second != ev.obj) {
        // A VM's whole table going at once names no destination: any entry with that id for
        // that object is the one.
        it = exports_.lower_bound(ExportKey{ev.vm, INT64_MIN, INT64_MIN});
        while (it != exports_.end() && it->first.owner == ev.vm &&
               (it->first.id != ev.aux || it->second != ev.obj)) {
          ++it;
        }
        if (it != exports_.end() && it->first.owner != ev.vm) it = exports_.end();
      }
      if (it != exports_.end()) DropExport(it);
      break;
    }
    case K::kProxyRelease:
      if (ev.obj == core::kNoAlloc) break;
      if (Object& p = Obj(ev.obj); !p.released) {
        p.released = true;
        p.released_at = index;
      }
      Deactivate(ev.obj);
      break;
    case K::kProxyInvalidate:
      if (ev.obj != core::kNoAlloc) Deactivate(ev.obj);
      break;
    case K::kCallBegin:
      if (vm_ok) calls_[{ev.vm, ev.aux}] = Call{ev.obj, ev.other};
      break;
    case K::kCallSettle:
      if (vm_ok) calls_.erase({ev.vm, ev.aux});
      break;
    default:
      break;
  }
}

// VM creation, type tables, termination and destruction.
void ShadowModel::ApplyVm(const core::Event& ev, size_t index) {
  using K = core::EventKind;
  if (!ValidVm(ev.vm)) return;
  VmInfo& vm = vms_[ev.vm];
  switch (ev.kind) {
    case K::kVmCreateBegin:
      vm.creating_thread = ev.thread;
      break;
    case K::kVmCreateEnd:
      vm.creating_thread = UINT32_MAX;
      break;
    case K::kTypeRegister:
      ++Obj(ev.obj).table_refs;
      vm.types.push_back(ev.obj);
      break;
    case K::kTerminate:
      vm.terminated = true;
      ApplyClose(ev.vm, index);
      break;
    case K::kVmDestroyBegin:
      ApplyClose(ev.vm, index);
      vm.destroying = true;
      break;
    case K::kVmDestroyEnd:
      vm.destroying = false;
      vm.destroyed = true;
      break;
    default:
      break;
  }
}

// What closing VM `d` means by the spec (DESIGN.md §3, worker termination), applied whether or
// not the target reported it. Everything here is idempotent: a target that reported it already
// (the fixed core does, before Terminate) leaves nothing to do.
void ShadowModel::ApplyClose(core::VmIndex d, size_t index) {
  VmInfo& vm = vms_[d];
  if (!vm.closed) {
    vm.closed = true;
    vm.closed_at = index;
  }
  for (auto it = exports_.begin(); it != exports_.end();) {
    auto next = std::next(it);
    if (it->first.owner == d || it->first.dest == d) DropExport(it);
    it = next;
  }
  for (core::AllocId id = 1; id < used_; ++id) {
    Object& o = objs_[id];
    if (o.proxy_owner == d) o.proxy_active = false;
    if (o.vm == d) o.pool = 0;  // the pool dies with the VM; the heap goes with it
  }
  // Pending calls into it are rejected: their listeners leave their endpoints. Calls it made die
  // with its heap.
  for (auto it = calls_.begin(); it != calls_.end();) {
    auto next = std::next(it);
    const Object* proxy = Find(it->second.proxy);
    if (it->first.first == d) {
      calls_.erase(it);
    } else if (proxy != nullptr && proxy->proxy_owner == d) {
      const Object* promise = Find(it->second.promise);
      const std::vector<core::AllocId> listeners =
          promise != nullptr ? promise->in : std::vector<core::AllocId>{};
      for (core::AllocId l : listeners) {
        const Object* lo = Find(l);
        if (lo == nullptr || lo->kind != core::ObjectKind::kListener) continue;
        const std::vector<core::AllocId> endpoints = lo->in;
        for (core::AllocId ep : endpoints) {
          const Object* eo = Find(ep);
          if (eo != nullptr && eo->kind == core::ObjectKind::kEndpoint) RemoveEdge(ep, -1, l);
        }
      }
      calls_.erase(it);
    }
    it = next;
  }
  // Its registries die with it; elsewhere, proxies into it are unregistered.
  for (auto it = registry_.begin(); it != registry_.end();) {
    auto next = std::next(it);
    const Object* target = Find(it->second.target);
    if (it->first.vm == d ||
        (it->first.aux == 1 && target != nullptr && target->proxy_owner == d)) {
      DropRegistry(it);
    }
    it = next;
  }
  for (core::AllocId t : vm.types)
    Decrement(Obj(t).table_refs);
  vm.types.clear();
}

void ShadowModel::AddEdge(core::AllocId from, int64_t field, core::AllocId to) {
  Obj(to);  // may grow objs_: before taking references
  Obj(from).out.push_back(OutEdge{field, to});
  objs_[to].in.push_back(from);
}

void ShadowModel::RemoveEdge(core::AllocId from, int64_t field, core::AllocId to) {
  if (from == core::kNoAlloc || to == core::kNoAlloc) return;
  Obj(to);
  auto& out = Obj(from).out;
  auto it = std::find_if(out.begin(), out.end(),
                         [&](const OutEdge& e) { return e.field == field && e.to == to; });
  if (it == out.end()) return;  // already gone (a freed source, or a closed VM's listener)
  out.erase(it);
  auto& in = objs_[to].in;
  auto src = std::find(in.begin(), in.end(), from);
  if (src != in.end()) in.erase(src);
}

void ShadowModel::DropExport(std::map<ExportKey, core::AllocId>::iterator it) {
  Decrement(Obj(it->second).export_entries);
  exports_.erase(it);
}

void ShadowModel::DropRegistry(std::map<RegistryKey, RegistryEntry>::iterator it) {
  if (it->second.held != core::kNoAlloc) Decrement(Obj(it->second.held).registry_held);
  registry_.erase(it);
}

void ShadowModel::Deactivate(core::AllocId proxy) {
  Obj(proxy).proxy_active = false;
}

}  // namespace gcs
