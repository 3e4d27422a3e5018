// gcstress oracles — CleanErrorOracle: predicted outcomes and the resurrection rule.
#include "harness/oracles/clean_error.h"

#include <string>

namespace gcs {

EntryInterest CleanErrorOracle::Interest() const {
  // A step's end: its outcome. Uses and served calls: what the program got back.
  return EntryInterest()
      .Entry(TraceEntry::Kind::kStepEnd)
      .Event(core::EventKind::kUse)
      .Event(core::EventKind::kCallServe);
}

void CleanErrorOracle::Judge(const TraceEntry& e, size_t index) {
  if (e.kind == TraceEntry::Kind::kEvent) return JudgeHandedBack(e, index);
  if (e.kind != TraceEntry::Kind::kStepEnd || e.thread >= shadow().num_threads()) return;
  const ShadowModel::ThreadPos& pos = shadow().thread(e.thread);
  if (!pos.in_flight) return;
  if (pos.op == Op::kUse || pos.op == Op::kCall || pos.op == Op::kRelease) {
    JudgeProxyStep(e, index);
  } else if (pos.op == Op::kUpgrade) {
    JudgeUpgrade(e, index);
  } else if (pos.op == Op::kUnregister && e.error == "unknown-token" && pos.token_known &&
             shadow().registry().count(pos.token_key) != 0) {
    // The entry is registered, not fired and not unregistered, before the step and after it.
    Report(ViolationKind::kUncleanError, e.thread, "", shadow().registry().at(pos.token_key).target,
           index,
           "unregister of live registry entry (token " + std::to_string(pos.token_key.token) +
               ", vm" + std::to_string(pos.token_key.vm) + ") failed with unknown-token");
  }
}

void CleanErrorOracle::JudgeProxyStep(const TraceEntry& e, size_t index) {
  const ShadowModel::ThreadPos& pos = shadow().thread(e.thread);
  if (!pos.obj_bound) return;
  const core::AllocId proxy = pos.obj_value.obj;
  const ShadowModel::Object* p = shadow().Find(proxy);
  if (p == nullptr || !shadow().ValidVm(p->proxy_owner)) return;  // not a proxy
  const ShadowModel::VmInfo& owner = shadow().vm(p->proxy_owner);
  const std::string op(OpName(pos.op));
  if (e.error.empty()) {
    if (owner.closed && owner.closed_at < pos.begin_index) {
      Report(ViolationKind::kUncleanError, e.thread, "", proxy, index,
             op + " of proxy " + AllocName(proxy) + " into " +
                 (owner.terminated ? "terminated" : "destroyed") + " vm" +
                 std::to_string(p->proxy_owner) + " succeeded instead of failing");
    } else if (pos.op != Op::kRelease && p->released && p->released_at < pos.begin_index) {
      Report(ViolationKind::kUncleanError, e.thread, "", proxy, index,
             op + " of proxy " + AllocName(proxy) +
                 " succeeded after its release instead of failing with proxy-released");
    }
    return;
  }
  // An error the spec forbids: the proxy is valid, now as when the step began.
  if (e.error != "proxy-released" && e.error != "target-terminated") return;
  if (!p->alive() || !p->proxy_active || p->released || owner.closed) return;
  Report(ViolationKind::kUncleanError, e.thread, "", proxy, index,
         op + " of valid proxy " + AllocName(proxy) + " (owner vm" +
             std::to_string(p->proxy_owner) + " open, not released) failed with " +
             std::string(e.error));
}

void CleanErrorOracle::JudgeUpgrade(const TraceEntry& e, size_t index) {
  const ShadowModel::ThreadPos& pos = shadow().thread(e.thread);
  if (!e.error.empty() || !pos.weak_bound) return;
  const core::AllocId target = pos.weak_value.obj;
  const ShadowModel::Object* t = shadow().Find(target);
  if (t == nullptr) return;
  if (e.value.obj != core::kNoAlloc) {
    if (e.value.obj != target || !t->alive() || !(t->collecting || t->weak_cleared)) return;
    Report(ViolationKind::kResurrection, e.thread, "", target, index,
           "weak upgrade handed back " + AllocName(target) + " after the collector " +
               (t->collecting ? "judged it unreachable" : "cleared its weak references"));
    return;
  }
  // Empty: only a dead (or dying: weak references cleared) target may give that.
  if (!t->alive() || t->collecting || t->weak_cleared) return;
  if (!shadow().Reachable(target, Reach::kStrong)) return;
  Report(ViolationKind::kUncleanError, e.thread, "", target, index,
         "weak upgrade came back empty while " + AllocName(target) + " is alive and reachable (" +
             shadow().DescribeHolders(target) + ")");
}

void CleanErrorOracle::JudgeHandedBack(const TraceEntry& e, size_t index) {
  const core::Event& ev = e.event;
  if (ev.kind != core::EventKind::kUse && ev.kind != core::EventKind::kCallServe) return;
  const ShadowModel::Object* o = shadow().Find(ev.obj);
  if (o == nullptr || !o->alive() || !o->collecting) return;
  Report(ViolationKind::kResurrection, e.thread, ev.site, ev.obj, index,
         AllocName(ev.obj) + " on the collector's worklist " +
             (ev.kind == core::EventKind::kUse ? "used" : "served a call") + " @" + ev.site);
}

}  // namespace gcs
