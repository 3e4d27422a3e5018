// gcstress oracles — WrongVmOracle.
#include "harness/oracles/wrong_vm.h"

#include <string>

namespace gcs {
namespace {

std::string VmName(core::VmIndex vm) {
  return "vm" + std::to_string(vm);
}

}  // namespace

EntryInterest WrongVmOracle::Interest() const {
  using K = core::EventKind;
  return EntryInterest()
      .Event(K::kVmCreateBegin)
      .Event(K::kVmCreateEnd)
      .Event(K::kAlloc)
      .Event(K::kTypeRegister)
      .Event(K::kEdgeSet)
      .Event(K::kRegistryRegister)
      .Event(K::kVmDestroyBegin)
      .Event(K::kVmDestroyEnd)
      .Event(K::kFinalize);
}

void WrongVmOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind != TraceEntry::Kind::kEvent) return;
  const core::Event& ev = e.event;
  const uint32_t t = ev.thread < shadow().num_threads() ? ev.thread : shadow().num_threads();
  if (t >= constructing_.size()) {
    constructing_.resize(t + 1, core::kNoVm);
    destroying_.resize(t + 1, core::kNoVm);
  }
  auto owner = [&](core::AllocId id) {
    const ShadowModel::Object* o = shadow().Find(id);
    return o != nullptr && o->state != ShadowModel::State::kUnknown ? o->vm : core::kNoVm;
  };
  auto report = [&](core::AllocId id, const std::string& what) {
    Report(ViolationKind::kWrongVm, e.thread, ev.site, id, index, what + " @" + ev.site);
  };
  switch (ev.kind) {
    case core::EventKind::kVmCreateBegin:
      constructing_[t] = ev.vm;
      return;
    case core::EventKind::kVmCreateEnd:
      constructing_[t] = core::kNoVm;
      return;
    case core::EventKind::kAlloc: {
      if (shadow().ValidVm(ev.vm) && (shadow().vm(ev.vm).destroyed ||
                                      (shadow().vm(ev.vm).destroying && destroying_[t] != ev.vm))) {
        // A destroyed VM has no heap: nothing may be made in it once its destruction began
        // (a VM published before its construction finished can be destroyed under it).
        report(ev.obj, "allocation " + AllocName(ev.obj) + " made in " + VmName(ev.vm) +
                           " after its destruction began");
        return;
      }
      const core::VmIndex building = constructing_[t];
      if (building != core::kNoVm && ev.vm != building) {
        report(ev.obj, "allocation " + AllocName(ev.obj) + " made while constructing " +
                           VmName(building) + " is owned by " + VmName(ev.vm));
        return;
      }
      const core::VmIndex type_vm = owner(ev.other);
      if (ev.other != core::kNoAlloc && type_vm != core::kNoVm && type_vm != ev.vm) {
        report(ev.obj, "allocation " + AllocName(ev.obj) + " of " + VmName(ev.vm) +
                           " has type object " + AllocName(ev.other) + " of " + VmName(type_vm));
      }
      return;
    }
    case core::EventKind::kTypeRegister: {
      const core::VmIndex vm = owner(ev.obj);
      if (vm != core::kNoVm && vm != ev.vm) {
        report(ev.obj, "type object " + AllocName(ev.obj) + " of " + VmName(vm) +
                           " entered in the type table of " + VmName(ev.vm));
      }
      return;
    }
    case core::EventKind::kEdgeSet:
    case core::EventKind::kRegistryRegister: {
      const core::VmIndex a = owner(ev.obj), b = owner(ev.other);
      if (ev.other == core::kNoAlloc || a == core::kNoVm || b == core::kNoVm || a == b) return;
      const std::string what =
          ev.kind == core::EventKind::kEdgeSet ? " references " : "'s registry entry holds ";
      report(ev.obj, "allocation " + AllocName(ev.obj) + " of " + VmName(a) + what +
                         AllocName(ev.other) + " of " + VmName(b) + " (not through a proxy)");
      return;
    }
    case core::EventKind::kVmDestroyBegin:
      destroying_[t] = ev.vm;
      return;
    case core::EventKind::kVmDestroyEnd:
      destroying_[t] = core::kNoVm;
      return;
    case core::EventKind::kFinalize:
      // DESIGN §3: destroying a VM finalizes and frees its heap with current = that VM.
      if (destroying_[t] == ev.vm && ev.current_vm != core::kNoVm && ev.current_vm != ev.vm) {
        report(ev.obj, "allocation " + AllocName(ev.obj) + " of " + VmName(ev.vm) +
                           " finalized by its VM's destruction while the thread's current VM is " +
                           VmName(ev.current_vm));
      }
      return;
    default:
      return;
  }
}

}  // namespace gcs
