// gcstress core — allocation, refcounting and deallocation of core objects.
#include "core/lifecycle.h"

#include <array>
#include <memory_resource>

#include "core/check.h"
#include "core/vm.h"

namespace gcs::core {
namespace {

// Decref's worklist and Dealloc's references: on the stack while they fit (every decref that
// freed something, and every free, allocated one of each: a sixth of a fuzz case's mallocs, each
// a quarantined free under ASan), on the heap past that.
using ObjectList = std::pmr::vector<Object*>;
inline constexpr size_t kInlineObjects = 16;

void Dealloc(Env& env, const ThreadState* ts, Object* o, ObjectList& dead);

// Drops one reference; an object reaching zero joins `dead` instead of recursing, so long chains
// cannot overflow the stack.
void DecrefInto(Env& env, const ThreadState* ts, Object* o, const char* site, ObjectList& dead) {
  const int64_t rc = o->refcount.fetch_sub(1, std::memory_order_acq_rel) - 1;
  env.Emit(ts, {.kind = EventKind::kDecref, .vm = o->vm, .obj = o->id, .value = rc, .site = site});
  if (rc == 0) dead.push_back(o);
}

void Dealloc(Env& env, const ThreadState* ts, Object* o, ObjectList& dead) {
  Vm* vm = env.vm(o->vm);
  GCS_CHECK(vm != nullptr);
  Finalize(env, ts, o, "lifecycle.dealloc");
  if (o->first_weak != 0) {
    const int n = vm->weak.ClearAll(o);
    env.Emit(ts, {.kind = EventKind::kWeakClear,
                  .vm = o->vm,
                  .obj = o->id,
                  .value = n,
                  .site = "lifecycle.dealloc"});
  }
  if ((o->flags & kFlagRegistryTarget) != 0) {
    vm->user_registry.OnTargetFreed(o);
    vm->proxy_registry.OnTargetFreed(o);
  }
  if (o->kind == ObjectKind::kEndpoint) {
    if (o->proxy.owner < kMaxVms && vm->endpoints[o->proxy.owner] == o) {
      vm->endpoints[o->proxy.owner] = nullptr;
    }
    // The endpoint's listeners go with it (below), so its pending calls can never be settled by
    // a reply: reject them now (Comlink #601) rather than leave records naming freed objects.
    for (const PendingCall& call : vm->calls.TakeAllOn(o)) {
      env.Emit(ts, {.kind = EventKind::kCallSettle,
                    .vm = o->vm,
                    .obj = call.promise_id,
                    .value = 1,
                    .aux = static_cast<int64_t>(call.id),
                    .site = "lifecycle.dealloc"});
    }
  }
  // Collect the references before the memory goes; release them after reporting the free.
  std::array<Object*, kInlineObjects> room;
  std::pmr::monotonic_buffer_resource arena(room.data(), sizeof room);
  ObjectList refs(&arena);
  refs.reserve(room.size());
  for (int i = 0; i < kMaxFields; ++i) {
    Object* f = o->fields[static_cast<size_t>(i)];
    if (f == nullptr) continue;
    env.Emit(ts, {.kind = EventKind::kEdgeClear,
                  .vm = o->vm,
                  .obj = o->id,
                  .other = f->id,
                  .value = i,
                  .site = "lifecycle.dealloc"});
    refs.push_back(f);
  }
  for (Object* s : o->slots) {
    if (s == nullptr) continue;
    env.Emit(ts, {.kind = EventKind::kEdgeClear,
                  .vm = o->vm,
                  .obj = o->id,
                  .other = s->id,
                  .value = -1,
                  .site = "lifecycle.dealloc"});
    refs.push_back(s);
  }
  if (o->type != nullptr) refs.push_back(o->type);
  vm->heap.Remove(o);
  env.Emit(ts, {.kind = EventKind::kFree, .vm = o->vm, .obj = o->id, .site = "lifecycle.dealloc"});
  env.allocator.Release(o);
  for (Object* r : refs)
    DecrefInto(env, ts, r, "lifecycle.dealloc", dead);
}

}  // namespace

Object* Allocate(Env& env, const ThreadState* ts, Vm& owner, ObjectKind kind) {
  Object* o = env.allocator.New(kind, owner.index);
  Object* type = owner.types[static_cast<size_t>(kind)];
  env.Emit(ts, {.kind = EventKind::kAlloc,
                .vm = owner.index,
                .obj = o->id,
                .other = type != nullptr ? type->id : kNoAlloc,
                .value = static_cast<int64_t>(kind),
                .site = "lifecycle.allocate"});
  if (type != nullptr) {
    Incref(env, ts, type, "lifecycle.allocate");
    o->type = type;
  }
  owner.heap.Insert(o);
  return o;
}

void Incref(Env& env, const ThreadState* ts, Object* o, const char* site) {
  const int64_t rc = o->refcount.fetch_add(1, std::memory_order_relaxed) + 1;
  env.Emit(ts, {.kind = EventKind::kIncref, .vm = o->vm, .obj = o->id, .value = rc, .site = site});
}

void Decref(Env& env, const ThreadState* ts, Object* o, const char* site) {
  std::array<Object*, kInlineObjects> room;
  std::pmr::monotonic_buffer_resource arena(room.data(), sizeof room);
  ObjectList dead(&arena);
  dead.reserve(room.size());
  DecrefInto(env, ts, o, site, dead);
  while (!dead.empty()) {
    Object* d = dead.back();
    dead.pop_back();
    Dealloc(env, ts, d, dead);
  }
}

void SetEdge(Env& env, const ThreadState* ts, Object* o, int index, Object* to, const char* site) {
  GCS_CHECK(index >= 0 && index < kMaxFields);
  Incref(env, ts, to, site);
  Object* old = o->fields[static_cast<size_t>(index)];
  o->fields[static_cast<size_t>(index)] = to;
  env.Emit(ts, {.kind = EventKind::kEdgeSet,
                .vm = o->vm,
                .obj = o->id,
                .other = to->id,
                .value = index,
                .site = site});
  if (old != nullptr) {
    env.Emit(ts, {.kind = EventKind::kEdgeClear,
                  .vm = o->vm,
                  .obj = o->id,
                  .other = old->id,
                  .value = index,
                  .site = site});
    Decref(env, ts, old, site);
  }
}

void ClearEdge(Env& env, const ThreadState* ts, Object* o, int index, const char* site) {
  GCS_CHECK(index >= 0 && index < kMaxFields);
  Object* old = o->fields[static_cast<size_t>(index)];
  if (old == nullptr) return;
  o->fields[static_cast<size_t>(index)] = nullptr;
  env.Emit(ts, {.kind = EventKind::kEdgeClear,
                .vm = o->vm,
                .obj = o->id,
                .other = old->id,
                .value = index,
                .site = site});
  Decref(env, ts, old, site);
}

void Finalize(Env& env, const ThreadState* ts, Object* o, const char* site) {
  if ((o->flags & kFlagFinalizedByGc) != 0) return;
  env.Emit(ts, {.kind = EventKind::kFinalize, .vm = o->vm, .obj = o->id, .site = site});
}

}  // namespace gcs::core
