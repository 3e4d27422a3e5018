// gcstress core — object memory and the per-VM heap list.
#include "core/heap.h"

#include "core/check.h"

namespace gcs::core {

Allocator::~Allocator() {
  for (Object* o : quarantined_)
    delete o;
  for (Object* o : by_id_)
    delete o;  // objects never freed (a VM leaked them): ours to reclaim
}

Object* Allocator::New(ObjectKind kind, VmIndex vm) {
  auto* o = new Object;
  o->kind = kind;
  o->vm = vm;
  std::lock_guard<std::mutex> guard(mu_);
  // The id is assigned under the table lock so ids and table order agree even in free mode.
  o->id = next_id_.fetch_add(1, std::memory_order_relaxed);
  // A first table with room for a typical execution's objects, rather than regrowing 1, 2, 4...
  if (by_id_.capacity() == 0) by_id_.reserve(kInitialTable);
  if (by_id_.size() <= o->id) by_id_.resize(o->id + 1, nullptr);
  by_id_[o->id] = o;
  ++live_;
  return o;
}

void Allocator::Release(Object* o) {
  const AllocId id = o->id;
  const bool already_freed = (o->flags & kFlagFreed) != 0;
  // Poison: what a scribbling allocator would leave. The id and VM survive for event reports.
  o->flags = kFlagFreed;
  o->type = nullptr;
  o->fields.fill(nullptr);
  o->slots.clear();
  o->gc_link = nullptr;
  o->first_weak = 0;
  std::lock_guard<std::mutex> guard(mu_);
  if (id < by_id_.size() && by_id_[id] == o) {
    by_id_[id] = nullptr;
    --live_;
  }
  if (quarantine_) {
    if (!already_freed) quarantined_.push_back(o);
  } else {
    delete o;  // a second Release of the same object is a real double free, for ASan to see
  }
}

Object* Allocator::Find(AllocId id) const {
  std::lock_guard<std::mutex> guard(mu_);
  return id < by_id_.size() ? by_id_[id] : nullptr;
}

std::vector<AllocId> Allocator::LiveIds() const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<AllocId> ids;
  ids.reserve(live_);  // exactly the live ones: one allocation, not one per doubling
  for (size_t i = 1; i < by_id_.size(); ++i) {
    if (by_id_[i] != nullptr) ids.push_back(i);
  }
  return ids;
}

size_t Allocator::LiveCount() const {
  std::lock_guard<std::mutex> guard(mu_);
  return live_;
}

void Heap::Insert(Object* o) {
  GCS_CHECK(o->heap_prev == nullptr && o->heap_next == nullptr && head_ != o);
  o->heap_prev = tail_;
  if (tail_ != nullptr) {
    tail_->heap_next = o;
  } else {
    head_ = o;
  }
  tail_ = o;
  ++size_;
}

void Heap::Remove(Object* o) {
  if (!Contains(o)) return;
  if (o->heap_prev != nullptr) {
    o->heap_prev->heap_next = o->heap_next;
  } else {
    head_ = o->heap_next;
  }
  if (o->heap_next != nullptr) {
    o->heap_next->heap_prev = o->heap_prev;
  } else {
    tail_ = o->heap_prev;
  }
  o->heap_prev = o->heap_next = nullptr;
  --size_;
}

}  // namespace gcs::core
