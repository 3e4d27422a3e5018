// gcstress oracles — CleanErrorOracle.
#include "harness/oracles/clean_error.h"

#include <string>

namespace gcs {

EntryInterest CleanErrorOracle::Interest() const {
  // A step's end: whether its error was clean.
  return EntryInterest().Entry(TraceEntry::Kind::kStepEnd);
}

void CleanErrorOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind != TraceEntry::Kind::kStepEnd || !e.error.empty()) return;
  if (e.thread >= shadow().num_threads()) return;
  const ShadowModel::ThreadPos& pos = shadow().thread(e.thread);
  if (!pos.in_flight || !pos.obj_bound) return;
  if (pos.op != Op::kUse && pos.op != Op::kCall && pos.op != Op::kRelease) return;
  const core::AllocId proxy = pos.obj_value.obj;
  const ShadowModel::Object* p = shadow().Find(proxy);
  if (p == nullptr || !shadow().ValidVm(p->proxy_owner)) return;  // not a proxy
  const ShadowModel::VmInfo& owner = shadow().vm(p->proxy_owner);
  if (!owner.closed || owner.closed_at >= pos.begin_index) return;
  Report(ViolationKind::kUncleanError, e.thread, "", proxy, index,
         std::string(OpName(pos.op)) + " of proxy " + AllocName(proxy) + " into " +
             (owner.terminated ? "terminated" : "destroyed") + " vm" +
             std::to_string(p->proxy_owner) + " succeeded instead of failing");
}

}  // namespace gcs
