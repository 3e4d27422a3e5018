// gcstress core — cycle collection by trial deletion, after CPython's Modules/gcmodule.c.
//
// Reference counting frees an object the moment its last reference goes, but a cycle keeps every
// member's count above zero forever. The collector finds such garbage without knowing the roots:
// a tracked object whose count exceeds the references other tracked objects of the same heap hold
// to it must be referenced from outside (a handle, a pool entry, a registry, an export table, the
// collector's own caller) and is therefore alive; so is everything it reaches. The rest is
// unreachable garbage, however cyclic.
//
// Object states during a collection:
//   tracked       every object of the heap but type objects (VM roots until the VM dies)
//   gc_refs       scratch: refcount minus internal references; > 0 means "referenced from outside"
//   reachable     marked from the outside-referenced objects, transitively
//   collecting    unreachable, on the worklist, threaded through the header's `gc_link`, and held
//                 by one extra reference of the collector so that clearing one member can never
//                 free another that the walk has not reached yet
//   finalized     the collector ran the finalizer (dealloc must not run it again)
//   freed         the collector's reference dropped; with the cycle cleared it was the last one
//
// Phases of Collect(), each stating what holds when it returns:
//   1. update_refs + subtract_refs (world stopped: lock held): every tracked object's gc_refs is
//      its count minus the references from other tracked objects of this heap.
//   2. move_unreachable (lock held): `reachable` set on everything reachable from an object with
//      gc_refs > 0. Everything else is linked on the worklist, marked collecting, and increfed.
//   3. handle_weakrefs (lock held): weak references to worklist objects are cleared before any
//      finalizer runs, so no finalizer and no upgrade can reach a half-destroyed object.
//   4. finalize (world restarted): for each worklist object a schedule point, then its finalizer
//      under the lock. Other threads run in between — which is why `gc_link` must stay the
//      collector's alone: the walk reads it without the lock.
//   5. clear (world restarted): each object's references released; no worklist object can die
//      here because the collector still holds one reference to each.
//   6. free (lock held): the collector's references dropped; every cleared object reaches zero
//      and is deallocated (without a second finalizer).
//
// Why resurrection cannot happen here: the core's finalizers run no user code, and weak
// references and registries were cleared or queued in phase 3 before any of them ran.
#include "core/cycle_collector.h"

#include <algorithm>
#include <vector>

#include "core/check.h"
#include "core/lifecycle.h"
#include "core/vm.h"

namespace gcs::core {
namespace {

// Phase 1. Only references within this heap count as internal.
void SubtractInternalRefs(Vm& vm) {
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
    o->gc_refs = o->refcount.load(std::memory_order_relaxed);
    o->flags &= ~kFlagReachable;
  }
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
    if (!IsTracked(o)) continue;
    Traverse(o, [&vm](Object*& r) {
      if (r->vm == vm.index && IsTracked(r)) --r->gc_refs;
    });
  }
}

// Phase 2. Returns the worklist head; objects are linked in heap order.
Object* MoveUnreachable(Env& env, ThreadState& ts, Vm& vm) {
  std::vector<Object*> stack;
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
    if (IsTracked(o) && o->gc_refs > 0 && (o->flags & kFlagReachable) == 0) {
      o->flags |= kFlagReachable;
      stack.push_back(o);
    }
  }
  while (!stack.empty()) {
    Object* o = stack.back();
    stack.pop_back();
    Traverse(o, [&](Object*& r) {
      if (r->vm == vm.index && IsTracked(r) && (r->flags & kFlagReachable) == 0) {
        r->flags |= kFlagReachable;
        stack.push_back(r);
      }
    });
  }
  Object* head = nullptr;
  Object** tail = &head;
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
    if (!IsTracked(o) || (o->flags & kFlagReachable) != 0 || (o->flags & kFlagCollecting) != 0) {
      continue;
    }
    o->flags |= kFlagCollecting;
    o->gc_link = nullptr;
    *tail = o;
    tail = &o->gc_link;
    env.Emit(&ts, {.kind = EventKind::kCollectUnreachable,
                   .vm = vm.index,
                   .obj = o->id,
                   .site = "cycle_collector.move_unreachable"});
    Incref(env, &ts, o, "cycle_collector.move_unreachable");
  }
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next)
    o->flags &= ~kFlagReachable;
  return head;
}

// Phase 3.
void HandleWeakrefs(Env& env, ThreadState& ts, Vm& vm, Object* head) {
  for (Object* o = head; o != nullptr; o = o->gc_link) {
    if (o->first_weak == 0) continue;
    const int n = vm.weak.ClearAll(o);
    env.Emit(&ts, {.kind = EventKind::kWeakClear,
                   .vm = vm.index,
                   .obj = o->id,
                   .value = n,
                   .site = "cycle_collector.handle_weakrefs"});
  }
}

// Phases 4 and 5 walk the worklist with the lock released between objects.
template <class Work>
void WalkWorldRestarted(Env& env, Vm& vm, Object* head, const char* site, Work&& work) {
  vm.lock.Unlock(env.hooks);
  for (Object* o = head; o != nullptr;) {
    GCS_SCHED_POINT(env.hooks, site);
    vm.lock.Lock(env.hooks);
    work(o);
    vm.lock.Unlock(env.hooks);
    o = o->gc_link;  // unlocked: while collecting, the link is the collector's own
  }
  vm.lock.Lock(env.hooks);
}

void ClearReferences(Env& env, ThreadState& ts, Object* o) {
  for (int i = 0; i < kMaxFields; ++i)
    ClearEdge(env, &ts, o, i, "cycle_collector.clear");
  std::vector<Object*> slots;
  slots.swap(o->slots);
  for (Object* s : slots) {
    if (s == nullptr) continue;
    env.Emit(&ts, {.kind = EventKind::kEdgeClear,
                   .vm = o->vm,
                   .obj = o->id,
                   .other = s->id,
                   .value = -1,
                   .site = "cycle_collector.clear"});
    Decref(env, &ts, s, "cycle_collector.clear");
  }
}

}  // namespace

size_t Collect(Env& env, ThreadState& ts, Vm& vm) {
  if (vm.collecting) return 0;
  vm.collecting = true;
  env.Emit(&ts, {.kind = EventKind::kCollectBegin,
                 .vm = vm.index,
                 .value = static_cast<int64_t>(vm.heap.size()),
                 .site = "cycle_collector.collect"});
  SubtractInternalRefs(vm);
  Object* head = MoveUnreachable(env, ts, vm);
  HandleWeakrefs(env, ts, vm, head);

  WalkWorldRestarted(env, vm, head, "cycle_collector.finalize", [&](Object* o) {
    Finalize(env, &ts, o, "cycle_collector.finalize");
    o->flags |= kFlagFinalizedByGc;
  });
  WalkWorldRestarted(env, vm, head, "cycle_collector.clear",
                     [&](Object* o) { ClearReferences(env, ts, o); });

  size_t freed = 0;
  for (Object* o = head; o != nullptr;) {
    Object* next = o->gc_link;
    o->gc_link = nullptr;
    o->flags &= ~kFlagCollecting;
    Decref(env, &ts, o, "cycle_collector.free");
    ++freed;
    o = next;
  }
  vm.collecting = false;
  env.Emit(&ts, {.kind = EventKind::kCollectEnd,
                 .vm = vm.index,
                 .value = static_cast<int64_t>(freed),
                 .site = "cycle_collector.collect"});
  return freed;
}

std::vector<AllocId> Enumerate(Env& env, ThreadState& ts, Vm& vm) {
  std::vector<AllocId> ids;
  if (env.faults.Has(Fault::kGcWorklistRace)) {
    // Free-threaded CPython before 3.13.1 (gh-125859): the object list is built through the same
    // header link the collector threads its worklist through, objects being collected included,
    // and unlinked afterwards — cutting a running collection's worklist after its current object.
    Object* list = nullptr;
    for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
      if (!IsTracked(o)) continue;
      o->gc_link = list;
      list = o;
    }
    for (Object* o = list; o != nullptr; o = o->gc_link)
      ids.push_back(o->id);
    for (Object* o = list; o != nullptr;) {
      Object* next = o->gc_link;
      o->gc_link = nullptr;
      o = next;
    }
    std::reverse(ids.begin(), ids.end());
  } else {
    for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next) {
      if (IsTracked(o) && (o->flags & kFlagCollecting) == 0) ids.push_back(o->id);
    }
  }
  env.Emit(&ts, {.kind = EventKind::kEnumerate,
                 .vm = vm.index,
                 .value = static_cast<int64_t>(ids.size()),
                 .site = "cycle_collector.enumerate"});
  return ids;
}

}  // namespace gcs::core
