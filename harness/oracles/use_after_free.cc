// gcstress oracles — UseAfterFreeOracle.
#include "harness/oracles/use_after_free.h"

#include <string>

namespace gcs {
namespace {

// The ids an event acts on: (obj, other) flags per kind.
struct Acts {
  bool obj;
  bool other;
};

Acts ActsOn(core::EventKind kind) {
  using K = core::EventKind;
  switch (kind) {
    case K::kAlloc:
      return {false, true};  // its type object
    case K::kIncref:
    case K::kDecref:
    case K::kPoolQueue:
    case K::kPoolApply:
    case K::kFinalize:
    case K::kWeakClear:
    case K::kCollectUnreachable:
    case K::kProxyRelease:
    case K::kProxyInvalidate:
    case K::kCallServe:
    case K::kTypeRegister:
      return {true, false};
    case K::kEdgeSet:
    case K::kEdgeClear:
    case K::kUse:
    case K::kRegistryRegister:
    case K::kExport:
    case K::kCallBegin:
      return {true, true};
    case K::kRegistryUnregister:
    case K::kRegistryCallback:
      return {false, true};  // the held value
    case K::kFree:
    case K::kCollectBegin:
    case K::kCollectEnd:
    case K::kEnumerate:
    case K::kExportDrop:  // the decref that follows is the use
    case K::kMessageSend:
    case K::kMessageDeliver:
    case K::kCallSettle:
    case K::kAttach:
    case K::kDetach:
    case K::kVmCreateBegin:
    case K::kVmCreateEnd:
    case K::kVmSwitch:
    case K::kVmDestroyBegin:
    case K::kVmDestroyEnd:
    case K::kTerminate:
      return {false, false};
  }
  return {false, false};
}

}  // namespace

EntryInterest UseAfterFreeOracle::Interest() const {
  // The events that act on an allocation.
  EntryInterest interest;
  for (int k = 0; k < core::kEventKindCount; ++k) {
    const Acts acts = ActsOn(static_cast<core::EventKind>(k));
    if (acts.obj || acts.other) interest.Event(static_cast<core::EventKind>(k));
  }
  return interest;
}

void UseAfterFreeOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind != TraceEntry::Kind::kEvent) return;
  const core::Event& ev = e.event;
  const Acts acts = ActsOn(ev.kind);
  auto check = [&](core::AllocId id) {
    if (!shadow().Freed(id)) return;
    const std::string what = ev.kind == core::EventKind::kIncref
                                 ? "revived by an incref"
                                 : "used by " + std::string(core::EventKindName(ev.kind));
    Report(ViolationKind::kUseAfterFree, e.thread, ev.site, id, index,
           "freed allocation " + AllocName(id) + " " + what + " @" + ev.site);
  };
  if (acts.obj) check(ev.obj);
  if (acts.other) check(ev.other);
}

}  // namespace gcs
