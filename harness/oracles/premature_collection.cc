// gcstress oracles — PrematureCollectionOracle.
#include "harness/oracles/premature_collection.h"

#include <algorithm>
#include <string>

#include "core/status.h"

namespace gcs {

EntryInterest PrematureCollectionOracle::Interest() const {
  using K = TraceEntry::Kind;
  return EntryInterest()
      .Entry(K::kStepEnd)
      .Entry(K::kStepSkipped)
      .Entry(K::kThreadStop)
      .Entry(K::kThreadEnd)
      .Event(core::EventKind::kVmDestroyBegin)
      .Event(core::EventKind::kTerminate)
      .Event(core::EventKind::kFree)
      .Event(core::EventKind::kFinalize)
      .Event(core::EventKind::kExportDrop);
}

void PrematureCollectionOracle::Judge(const TraceEntry& e, size_t index) {
  if (!full_stream()) return;
  switch (e.kind) {
    case TraceEntry::Kind::kStepEnd:
      DanglingLiveProxy(e, index);
      StepOver(e.thread);
      return;
    case TraceEntry::Kind::kStepSkipped:
    case TraceEntry::Kind::kThreadStop:
    case TraceEntry::Kind::kThreadEnd:
      StepOver(e.thread);
      return;
    case TraceEntry::Kind::kEvent:
      break;
    default:
      return;
  }
  const core::Event& ev = e.event;
  if (ev.kind == core::EventKind::kVmDestroyBegin || ev.kind == core::EventKind::kTerminate) {
    std::erase_if(held_back_, [&](HeldBack& h) {
      if (std::find(h.closers.begin(), h.closers.end(), e.thread) == h.closers.end()) return false;
      bool excused = false;
      for (std::vector<core::VmIndex>& all_of : h.excuses) {
        std::erase(all_of, ev.vm);
        excused = excused || all_of.empty();
      }
      return excused;
    });
    return;
  }
  if (ev.kind == core::EventKind::kExportDrop) {
    UnpredictedExportDrop(e, index);
    return;
  }
  if (ev.kind != core::EventKind::kFree && ev.kind != core::EventKind::kFinalize) return;
  ShadowModel& model = shadow();
  const ShadowModel::Object* o = model.Find(ev.obj);
  if (o == nullptr || !o->alive()) return;
  if (model.ValidVm(o->vm) && model.vm(o->vm).destroying) return;  // its heap is going
  // The free is what a held-back export drop of the same object led to: judge the free instead.
  std::erase_if(held_back_,
                [&](const HeldBack& h) { return h.export_drop && h.violation.obj == ev.obj; });
  for (const HeldBack& h : held_back_) {
    if (h.violation.obj == ev.obj) return;  // its Finalize is held back; the Free adds nothing
  }
  core::AllocId root = core::kNoAlloc;
  if (!model.Reachable(ev.obj, Reach::kStrong, {}, &root)) return;

  std::vector<std::vector<core::VmIndex>> excuses = Excuses(model, ev.obj);
  const std::string what = ev.kind == core::EventKind::kFree ? "freed" : "finalized";
  const std::string message =
      "allocation " + AllocName(ev.obj) + " (" + std::string(core::ObjectKindName(o->kind)) +
      ", vm" + std::to_string(o->vm) + ") " + what + " while reachable from " + AllocName(root) +
      " (" + model.DescribeHolders(root) + ") @" + ev.site;
  if (excuses.empty()) {
    Report(ViolationKind::kPrematureCollection, e.thread, ev.site, ev.obj, index, message);
    return;
  }
  HeldBack h;
  h.violation =
      Attributed(ViolationKind::kPrematureCollection, e.thread, ev.site, ev.obj, index, message);
  h.excuses = std::move(excuses);
  h.closers.push_back(e.thread);
  for (uint32_t t = 0; t < model.num_threads(); ++t) {
    if (model.thread(t).in_flight && t != e.thread) h.closers.push_back(t);
  }
  held_back_.push_back(std::move(h));
}

void PrematureCollectionOracle::UnpredictedExportDrop(const TraceEntry& e, size_t index) {
  // DESIGN §3: an export entry lives while a proxy in its destination uses it (a proxy uses the
  // entry whose id its Export named: one per object and destination in the core, one per proxy
  // in Comlink); the release of the last one (delivered to the owner), or the owner or the
  // destination closing, drops it. A drop while a live proxy of that object in that destination is
  // neither released nor invalidated is one the spec does not predict (an entry counted one release
  // short), whether or not the object is freed by it. A closing VM drops its exports before it
  // reports Terminate or VmDestroyBegin: such a drop is held back until the dropping thread's step
  // ends.
  const core::Event& ev = e.event;
  ShadowModel& model = shadow();
  const ShadowModel::Object* o = model.Find(ev.obj);
  if (o == nullptr || !model.ValidVm(ev.vm)) return;
  const core::VmIndex owner = ev.vm;
  const auto dest = static_cast<core::VmIndex>(ev.value);
  if (!model.ValidVm(dest) || model.vm(owner).closed || model.vm(dest).closed) return;
  core::AllocId user = core::kNoAlloc;
  for (core::AllocId p : o->proxies) {
    const ShadowModel::Object* po = model.Find(p);
    if (po != nullptr && po->alive() && po->proxy_active && po->proxy_target == ev.obj &&
        po->proxy_owner == owner && po->vm == dest && po->proxy_export == ev.aux) {
      user = p;
      break;
    }
  }
  if (user == core::kNoAlloc) return;
  HeldBack h;
  h.violation =
      Attributed(ViolationKind::kPrematureCollection, e.thread, ev.site, ev.obj, index,
                 "vm" + std::to_string(owner) + " dropped its export of " + AllocName(ev.obj) +
                     " to vm" + std::to_string(dest) + " while proxy " + AllocName(user) +
                     " there still uses it (not released, not invalidated) @" + ev.site);
  h.excuses = {{owner}, {dest}};
  h.closers.push_back(e.thread);
  h.export_drop = true;
  held_back_.push_back(std::move(h));
}

void PrematureCollectionOracle::DanglingLiveProxy(const TraceEntry& e, size_t index) {
  // A proxy that answers "the owner has no export for me" while the spec says its export lives:
  // it is neither released nor invalidated, and its owner is not closed — the owner let go of
  // the object while this proxy still reached it (coincident's shared heap: another worker's
  // release deleted the entry both workers' proxies used). The object may not be freed yet (its
  // owner has not collected), but what the proxy reaches is gone.
  if (e.error != core::StatusName(core::Status::kDanglingProxy)) return;
  if (e.thread >= shadow().num_threads()) return;
  const ShadowModel::ThreadPos& pos = shadow().thread(e.thread);
  if (!pos.in_flight || !pos.obj_bound) return;
  const core::AllocId proxy = pos.obj_value.obj;
  const ShadowModel::Object* p = shadow().Find(proxy);
  if (p == nullptr || !p->alive() || !p->proxy_active || !shadow().ValidVm(p->proxy_owner)) return;
  if (shadow().vm(p->proxy_owner).closed) return;
  Report(ViolationKind::kPrematureCollection, e.thread, "", p->proxy_target, index,
         "allocation " + AllocName(p->proxy_target) + " let go by its owner vm" +
             std::to_string(p->proxy_owner) + " while proxy " + AllocName(proxy) +
             " still reaches it: " + std::string(OpName(pos.op)) + " answered dangling-proxy");
}

std::vector<std::vector<core::VmIndex>> PrematureCollectionOracle::Excuses(ShadowModel& model,
                                                                           core::AllocId obj) {
  // Each VM whose loss alone makes `obj` unreachable is an excuse of its own. Failing those, the
  // proxies of several closing VMs may together be all that reach it (a worker terminated while
  // another thread destroys a second VM holding a proxy to the same object): then one excuse
  // names them all, shrunk to the VMs that are needed, and every one of them must close.
  const std::vector<core::VmIndex> vms = model.ProxyVmsReaching(obj);
  std::vector<std::vector<core::VmIndex>> excuses;
  for (core::VmIndex vm : vms) {
    if (!model.Reachable(obj, Reach::kStrong, std::span(&vm, 1))) excuses.push_back({vm});
  }
  if (!excuses.empty() || vms.size() < 2 || model.Reachable(obj, Reach::kStrong, vms)) {
    return excuses;
  }
  std::vector<core::VmIndex> needed = vms;
  for (core::VmIndex vm : vms) {
    std::vector<core::VmIndex> without = needed;
    std::erase(without, vm);
    if (!model.Reachable(obj, Reach::kStrong, without)) needed = std::move(without);
  }
  excuses.push_back(std::move(needed));
  return excuses;
}

void PrematureCollectionOracle::StepOver(uint32_t thread) {
  if (held_back_.empty()) return;
  std::vector<HeldBack> keep;
  for (HeldBack& h : held_back_) {
    if (thread != UINT32_MAX) std::erase(h.closers, thread);
    if (thread == UINT32_MAX || h.closers.empty()) {
      Report(std::move(h.violation));
    } else {
      keep.push_back(std::move(h));
    }
  }
  held_back_ = std::move(keep);
}

void PrematureCollectionOracle::Finish(Target&, const Execution&) {
  StepOver(UINT32_MAX);
}

std::vector<Violation> PrematureCollectionOracle::Violations() const {
  // An execution that never got to teardown (a deadlock) still shows what was held back.
  std::vector<Violation> out = ShadowOracle::Violations();
  for (const HeldBack& h : held_back_)
    out.push_back(h.violation);
  return out;
}

}  // namespace gcs
