// gcstress core — VM construction and heap teardown.
#include "core/vm.h"

#include <vector>

#include "core/check.h"
#include "core/lifecycle.h"

namespace gcs::core {

void ConstructVm(Env& env, ThreadState& ts, Vm& vm) {
  env.Emit(&ts, {.kind = EventKind::kVmCreateBegin, .vm = vm.index, .site = "vm.construct"});
  for (int k = 0; k < kObjectKindCount; ++k) {
    GCS_SCHED_POINT(env.hooks, "vm.construct");
    // PocketPy allocates through pk_current_vm: the type object belongs to whatever VM the thread
    // currently names. The fixed switch sets current before constructing; the fault does not.
    Vm* home = ts.current_vm == vm.index ? &vm : env.vm(ts.current_vm);
    GCS_CHECK(home != nullptr);
    const bool shared = home != &vm;
    if (shared) home->LockInside(env.hooks);
    Object* type = Allocate(env, &ts, *home, ObjectKind::kType);
    if (shared) home->UnlockInside(env.hooks);
    vm.types[static_cast<size_t>(k)] = type;  // the allocation's reference now belongs to the table
    env.Emit(&ts, {.kind = EventKind::kTypeRegister,
                   .vm = vm.index,
                   .obj = type->id,
                   .value = k,
                   .site = "vm.construct"});
  }
  env.Emit(&ts, {.kind = EventKind::kVmCreateEnd, .vm = vm.index, .site = "vm.construct"});
}

size_t FreeHeap(Env& env, ThreadState& ts, Vm& vm) {
  std::vector<Object*> objects;
  for (Object* o = vm.heap.first(); o != nullptr; o = o->heap_next)
    objects.push_back(o);
  for (Object* o : objects)
    Finalize(env, &ts, o, "vm.destroy");
  for (Object* o : objects) {
    if (o->first_weak != 0) {
      const int n = vm.weak.ClearAll(o);
      env.Emit(&ts, {.kind = EventKind::kWeakClear,
                     .vm = vm.index,
                     .obj = o->id,
                     .value = n,
                     .site = "vm.destroy"});
    }
  }
  // The registries die with the VM: unfired entries never fire; their held values are in this
  // heap (the core refuses cross-VM held values), so they go with it.
  vm.user_registry.UnregisterIf([](const FinalizationRegistry::Entry&) { return true; });
  vm.user_registry.TakePending();
  vm.proxy_registry.UnregisterIf([](const FinalizationRegistry::Entry&) { return true; });
  vm.proxy_registry.TakePending();
  // References into other heaps are released properly; this heap's objects are freed outright.
  // Decide what is external before any memory goes.
  std::vector<Object*> external;
  for (Object* o : objects) {
    if (o->type != nullptr && o->type->vm != vm.index) external.push_back(o->type);
    for (Object* f : o->fields) {
      if (f != nullptr && f->vm != vm.index) external.push_back(f);
    }
  }
  for (size_t k = 0; k < vm.types.size(); ++k) {
    Object* type = vm.types[k];
    vm.types[k] = nullptr;
    // A type object allocated in another VM (vm-switch-stale-current) is released like any other
    // external reference — its memory may already be gone with that VM.
    if (type != nullptr && type->vm != vm.index) external.push_back(type);
  }
  for (Object* o : objects) {
    vm.heap.Remove(o);
    env.Emit(&ts, {.kind = EventKind::kFree, .vm = vm.index, .obj = o->id, .site = "vm.destroy"});
    env.allocator.Release(o);
  }
  for (Object* e : external)
    Decref(env, &ts, e, "vm.destroy");
  vm.endpoints.fill(nullptr);
  return objects.size();
}

}  // namespace gcs::core
