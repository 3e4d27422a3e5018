// gcstress generator — shapes: multi-step, multi-thread productions that write the lifetime
// patterns behind real bugs (../shared/SEED_BUGS.md) into generated scenarios.
//
// A uniform mix of ops almost never lines up "T1 holds the lock, makes an object, T2 clones it
// without the lock, T1 drops it": each part is likely, their conjunction across two threads is
// not. A shape writes such a conjunction in one go, at the current end of each thread involved,
// so the parts sit near each other in every thread and the scheduler only has to interleave
// them. Shapes name no fault and assume nothing about the target beyond the ops' documented
// meaning: they are the patterns the documented bugs share, and they are just as meaningful on
// a fixed target (where they must pass).
//
// Each shape is led by an op the top loop drew by weight (shapes.def), and writes only usable ops
// (positive weight, supported by the target). One missing essential op and the shape is not used; a
// missing optional op only leaves its step out.
#include <algorithm>

#include "harness/generator/generation.h"

namespace gcs::generator_detail {
namespace {

// SharedExport: both exports to one VM instead of two.
constexpr uint32_t kSameVmTwicePercent = 25;

}  // namespace

bool Generation::Shape(Op op, uint32_t t) {
  using Production = bool (Generation::*)(uint32_t);
  static constexpr Production kProductions[] = {
#define GCS_SHAPE(Name, name, Lead, percent, pattern) &Generation::Name,
#include "harness/generator/shapes.def"
#undef GCS_SHAPE
  };
  for (const ShapeInfo& info : kShapeTable) {
    const auto i = static_cast<size_t>(info.shape);
    if (info.lead != op || !options_.shapes.test(i)) continue;
    if (!Chance(info.percent) || !(this->*kProductions[i])(t)) return false;
    ++record_.shapes_written[i];
    return true;
  }
  return false;
}

// PyO3 #4105: the owner holds the lock, makes an object and drops it while another
// thread, without the lock, clones it (and drops the clone, and maybe attaches afterwards).
//   t: attach; new x; [use x]; ...          drop x; detach
//   o:                         clone x -> c; [drop c]; [attach; detach]
bool Generation::LockedBlock(uint32_t t) {
  if (!Usable(Op::kAttach) || !Usable(Op::kDetach) || !Usable(Op::kNew) || !Usable(Op::kClone) ||
      !Usable(Op::kDrop) || model_[t].attached) {
    return false;
  }
  auto other =
      PickOtherThread(t, [&](uint32_t o) -> uint64_t { return model_[o].attached ? 1 : 4; });
  if (!other) return false;
  EmitPlain(t, Op::kAttach);
  const VarId x = EmitNew(t, Chance(35) ? ObjType::kSubclass : ObjType::kObject);
  if (Chance(50) && Usable(Op::kUse)) EmitUse(t, x);
  const VarId c = EmitClone(*other, x);
  if (c != kNoVar && Chance(70)) EmitDrop(*other, c);
  if (!model_[*other].attached && Chance(40) && EmitPlain(*other, Op::kAttach)) {
    EmitPlain(*other, Op::kDetach);
  }
  EmitDrop(t, x);
  EmitPlain(t, Op::kDetach);
  return true;
}

// PyO3 #4105 from the other side: a detached clone and drop of another thread's recent object,
// then an attach, which applies whatever the pool holds.
//   t: clone x -> c; drop c; attach; detach
bool Generation::DetachedBorrow(uint32_t t) {
  if (!Usable(Op::kDrop) || !Usable(Op::kAttach) || model_[t].attached) return false;
  const VarId x = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
    return v.binder != t && !v.proxy && !v.sealed ? Recency(v) * (v.live ? 3 : 1) : 0;
  });
  const VarId c = EmitClone(t, x);
  if (c == kNoVar) return false;
  EmitDrop(t, c);
  if (EmitPlain(t, Op::kAttach)) EmitPlain(t, Op::kDetach);
  return true;
}

// PyO3 #4627 / CPython gh-125859: a cycle of two or more objects — through a
// subclass's base field, or between two objects — loses its handles and is collected while
// another thread enumerates the same VM.
//   t: new a; new b; set a[base] = a, a[own] = b  |  set a[f] = b, b[g] = a; drop b; drop a; gc
//   o: enumerate [vm]; [enumerate [vm]]
bool Generation::GarbageCycle(uint32_t t) {
  if (!Usable(Op::kNew) || !Usable(Op::kSet) || !Usable(Op::kDrop) || !Usable(Op::kGc)) {
    return false;
  }
  const int16_t vm = model_[t].vm;
  const bool subclass = Chance(60);
  const VarId a = EmitNew(t, subclass ? ObjType::kSubclass : ObjType::kObject);
  const VarId b = EmitNew(t, Chance(30) ? ObjType::kSubclass : ObjType::kObject);
  if (a == kNoVar || b == kNoVar) return true;
  if (subclass && Chance(60)) {
    // A subclass's fields 0-1 belong to its base: the cycle is only seen through the chained
    // traverse (PyO3 call_super_traverse).
    EmitSet(t, a, static_cast<int8_t>(Below(2)), a);
    EmitSet(t, a, static_cast<int8_t>(2 + Below(2)), b);
  } else {
    EmitSet(t, a, static_cast<int8_t>(Below(kMaxFields)), b);
    EmitSet(t, b, static_cast<int8_t>(Below(kMaxFields)), a);
  }
  if (Chance(50)) {
    EmitDrop(t, b);
    EmitDrop(t, a);
  } else {
    EmitDrop(t, a);
    EmitDrop(t, b);
  }
  auto other =
      PickOtherThread(t, [&](uint32_t o) -> uint64_t { return model_[o].vm == vm ? 4 : 1; });
  if (other && Usable(Op::kEnumerate)) {
    const int16_t named = model_[*other].vm == vm ? int16_t{-1} : vm;
    EmitVmOp(*other, Op::kEnumerate, named);
    if (Chance(50)) EmitVmOp(*other, Op::kEnumerate, named);
  }
  EmitVmOp(t, Op::kGc, -1);
  return true;
}

// Weak references to garbage: CPython clears the weak references to everything it found
// unreachable before the world restarts for the finalizers (handle_weakrefs), so no other thread
// can upgrade one back to life. A cycle with one or two weak refs to a member loses its handles;
// one thread collects while another upgrades the weak refs.
//   t: new a; new b; set a[f] = b; set b[g] = a; weak a -> w; [weak a|b -> w2]; drop a; drop b
//   c: gc                                                (c: t, or another thread of the VM)
//   u: upgrade w -> x; [use x]; [upgrade w2]; [drop x]   (u: another thread of the VM)
bool Generation::WeakToGarbage(uint32_t t) {
  if (!Usable(Op::kNew) || !Usable(Op::kSet) || !Usable(Op::kDrop) || !Usable(Op::kGc) ||
      !Usable(Op::kWeak) || !Usable(Op::kUpgrade)) {
    return false;
  }
  const int16_t vm = model_[t].vm;
  auto upgrader =
      PickOtherThread(t, [&](uint32_t o) -> uint64_t { return model_[o].vm == vm ? 1 : 0; });
  if (!upgrader) return false;
  const VarId a = EmitNew(t, Chance(30) ? ObjType::kSubclass : ObjType::kObject);
  const VarId b = EmitNew(t, ObjType::kObject);
  if (a == kNoVar || b == kNoVar) return true;
  EmitSet(t, a, static_cast<int8_t>(Below(kMaxFields)), b);
  EmitSet(t, b, static_cast<int8_t>(Below(kMaxFields)), a);
  const VarId w = EmitWeak(t, a);
  const VarId w2 = Chance(40) ? EmitWeak(t, Chance(50) ? a : b) : kNoVar;
  EmitDrop(t, a);
  EmitDrop(t, b);
  auto collector = Chance(50)
                       ? PickOtherThread(t,
                                         [&](uint32_t o) -> uint64_t {
                                           return o != *upgrader && model_[o].vm == vm ? 1 : 0;
                                         })
                       : std::nullopt;
  EmitVmOp(collector ? *collector : t, Op::kGc, -1);
  const VarId x = EmitUpgrade(*upgrader, w);
  if (x != kNoVar && Chance(50)) EmitUse(*upgrader, x);
  if (w2 != kNoVar) EmitUpgrade(*upgrader, w2);
  if (x != kNoVar && Chance(50)) EmitDrop(*upgrader, x);
  return true;
}

// A collection with another thread enumerating the same VM, over whatever garbage there is.
//   t: gc
//   o: enumerate [vm]
bool Generation::CollectWhileEnumerating(uint32_t t) {
  if (!Usable(Op::kEnumerate)) return false;
  const int16_t vm = model_[t].vm;
  auto other =
      PickOtherThread(t, [&](uint32_t o) -> uint64_t { return model_[o].vm == vm ? 4 : 1; });
  if (!other || !EmitVmOp(t, Op::kGc, -1)) return false;
  EmitVmOp(*other, Op::kEnumerate, model_[*other].vm == vm ? int16_t{-1} : vm);
  return true;
}

// pyscript #2185 / coincident #48: the same object exported to two VMs;
// the owner lets its own handle go; one side's proxy is dropped and collected (or released)
// while the other side keeps using its proxy; the owner reaches a safe point.
//   t:  [new x]; export x to d1 -> p1; export x to d2 -> p2; drop x; ...; yield
//   o1: drop p1; gc [d1]   |   release p1
//   o2: use p2; use p2
bool Generation::SharedExport(uint32_t t) {
  if (!Usable(Op::kExport) || !Usable(Op::kDrop)) return false;
  const int16_t vm = model_[t].vm;
  auto dest = [&](int16_t not_this) -> std::optional<int16_t> {
    auto d = Draw(vms_.size(), [&](size_t v) -> uint64_t {
      const auto index = static_cast<int16_t>(v);
      if (index == vm || index == not_this) return 0;
      return IsWorkerVm(index) ? 4 : 1;
    });
    if (!d) return std::nullopt;
    return static_cast<int16_t>(*d);
  };
  const std::optional<int16_t> d1 = dest(-1);
  const std::optional<int16_t> d2 = !d1                           ? std::nullopt
                                    : Chance(kSameVmTwicePercent) ? d1
                                                                  : dest(*d1);
  if (!d2) return false;
  VarId x = kNoVar;
  if (Chance(50)) {
    x = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
      return v.binder == t && v.vm == vm && v.live && !v.proxy && !v.sealed ? Recency(v) : 0;
    });
  }
  if (x == kNoVar) x = EmitNew(t, ObjType::kObject);
  // Now and then both exports go to one VM: two proxies of one object there (coincident #48's
  // repeated export of the same object to one worker).
  const VarId p1 = EmitExport(t, x, *d1);
  const VarId p2 = EmitExport(t, x, *d2);
  if (p1 == kNoVar || p2 == kNoVar) return true;
  EmitDrop(t, x);
  // Each side is best played by the thread living in that VM (a worker's own thread).
  auto side = [&](int16_t d, std::optional<uint32_t> avoid) -> std::optional<uint32_t> {
    if (auto w = WorkerOf(d); w && *w != t && Room(*w) && w != avoid) return w;
    return PickOtherThread(t, [&](uint32_t o) -> uint64_t {
      return std::optional<uint32_t>(o) == avoid ? 1 : model_[o].vm == d ? 6 : 2;
    });
  };
  const std::optional<uint32_t> s1 = side(*d1, std::nullopt);
  const std::optional<uint32_t> s2 = side(*d2, s1);
  if (s1) {
    if (Chance(70) || !Usable(Op::kRelease)) {
      if (EmitDrop(*s1, p1)) EmitVmOp(*s1, Op::kGc, model_[*s1].vm == *d1 ? int16_t{-1} : *d1);
    } else {
      EmitRelease(*s1, p1);
    }
  }
  if (s2 && EmitUse(*s2, p2)) EmitUse(*s2, p2);
  EmitPlain(t, Op::kYield);
  return true;
}

// Comlink #655: a worker exports an object to t's VM; t calls
// through the proxy (the pending call capturing one of t's objects), terminates the worker while
// the call may still be pending, and lets go of both.
//   w: new api; export api to t's VM -> r; [drop api]
//   t: new wp; [set wp[f] = r]; call r [from wp]; terminate w; drop wp; drop r
bool Generation::CallThenTerminate(uint32_t t) {
  if (!Usable(Op::kExport) || !Usable(Op::kCall) || !Usable(Op::kNew)) return false;
  const int16_t vm = model_[t].vm;
  auto worker = PickOtherThread(t, [&](uint32_t o) -> uint64_t {
    return threads_[o].worker && threads_[o].vm != vm ? 1 : 0;
  });
  if (!worker) return false;
  const VarId api = EmitNew(*worker, ObjType::kObject);
  const VarId remote = EmitExport(*worker, api, vm);
  if (remote == kNoVar) return false;
  if (Chance(50)) EmitDrop(*worker, api);
  const VarId wp = EmitNew(t, ObjType::kObject);
  if (wp != kNoVar && Chance(50)) EmitSet(t, wp, static_cast<int8_t>(Below(kMaxFields)), remote);
  EmitCall(t, remote, Chance(70) ? wp : kNoVar);
  EmitWorkerOp(t, Op::kTerminate, *worker);
  EmitDrop(t, wp);
  EmitDrop(t, remote);
  return true;
}

// PocketPy #315: switch to a new VM, use it, destroy the VM left
// behind, keep using the new one.
//   t: [new a]; switch_vm vN; new b; destroy_vm <old>; new c; use c
bool Generation::SwitchAndDestroy(uint32_t t) {
  if (model_[t].attached || switch_vms_ >= options_.max_switch_vms || !Usable(Op::kSwitchVm) ||
      !Room(t)) {
    return false;
  }
  if (Chance(50)) EmitNew(t, ObjType::kObject);
  if (!EmitSwitch(t, NewSwitchVm())) return false;
  EmitNew(t, ObjType::kObject);
  EmitVmOp(t, Op::kDestroyVm, model_[t].left_vm);
  EmitUse(t, EmitNew(t, ObjType::kObject));
  return true;
}

// A JS FinalizationRegistry entry around a collection: t registers an object (any handle of its
// VM, a proxy too) and keeps the token; another thread collects that VM; then the entry is
// unregistered, by t or by another thread, maybe after t let its handle go.
//   t: [new x]; register x [held h] as tok; [drop x]; [unregister tok]
//   o: gc [vm]
//   u: [unregister tok]
bool Generation::RegistryAroundCollection(uint32_t t) {
  if (!Usable(Op::kRegister) || !Usable(Op::kUnregister) || !Usable(Op::kGc)) return false;
  const int16_t vm = model_[t].vm;
  auto collector =
      PickOtherThread(t, [&](uint32_t o) -> uint64_t { return model_[o].vm == vm ? 4 : 1; });
  if (!collector) return false;
  // Preferably an object with proxies (or a proxy): its entry then meets the proxy ops.
  VarId x = PickVar(BindKind::kHandle, [&](const VarModel& v) -> uint64_t {
    if (v.sealed || v.vm != vm) return 0;
    return (v.proxy || !v.exported_to.empty() ? 4 : 1) * Lively(v);
  });
  // Once a step is written the shape has happened (Shape's contract: false only if nothing was).
  bool wrote = false;
  if (x == kNoVar || Chance(40)) {
    x = EmitNew(t, ObjType::kObject);
    wrote = x != kNoVar;
  }
  if (x == kNoVar || !Room(t)) return wrote;
  Step step{.op = Op::kRegister, .obj = x};
  if (Chance(30) && Usable(Op::kNew)) {
    const VarId h = EmitNew(t, ObjType::kObject);
    // Only a pristine object may be held (VarModel, "registry discipline"): a fresh one is.
    if (h != kNoVar && h != x && vars_[h].bindings == 1 && vars_[h].from_new) {
      step.held = h;
      vars_[h].sealed = true;
    }
  }
  if (!Room(t)) return true;
  vars_[x].registered = true;
  step.as = BindTarget(BindKind::kToken, t, false, "tok");
  vars_[step.as].vm = vm;
  Emit(t, step);
  EmitVmOp(*collector, Op::kGc, model_[*collector].vm == vm ? int16_t{-1} : vm);
  if (Chance(40)) EmitDrop(t, x);
  const Step unregister{.op = Op::kUnregister, .token = step.as};
  auto u = Chance(50) ? PickOtherThread(t, [](uint32_t) -> uint64_t { return 1; })
                      : std::optional<uint32_t>(t);
  Emit(u ? *u : t, unregister);
  return true;
}

}  // namespace gcs::generator_detail
