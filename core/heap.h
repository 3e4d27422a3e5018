// gcstress core — Allocator (ids, memory, quarantine) and Heap (a VM's list of live objects).
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <vector>

#include "core/object.h"

namespace gcs::core {

// Runtime-wide object memory. Every object gets the next allocation id. A released object's
// memory is quarantined — poisoned and kept until the Runtime dies, like ASan's quarantine — so
// that a buggy path touching freed memory (a fault) behaves the same on every run and its events
// still name the right allocation. Under ASan quarantine is off and memory really goes back to
// the allocator, so ASan itself reports the use-after-free or double free.
class Allocator {
 public:
  explicit Allocator(bool quarantine) : quarantine_(quarantine) {}
  ~Allocator();
  Allocator(const Allocator&) = delete;
  Allocator& operator=(const Allocator&) = delete;

  // A new object with refcount 1, the next id, and no VM-list links.
  Object* New(ObjectKind kind, VmIndex vm);
  // Poisons and quarantines (or deletes) `o`. Releasing an already-released, quarantined object
  // poisons again but keeps one quarantine entry (the double free is the caller's to report).
  void Release(Object* o);
  // The live object with this id, or nullptr (freed or never allocated). Never touches freed
  // memory.
  Object* Find(AllocId id) const;
  // Ids of all live objects, ascending.
  std::vector<AllocId> LiveIds() const;
  // How many objects are live (LiveIds().size(), without the vector).
  size_t LiveCount() const;
  AllocId allocated() const { return next_id_.load(std::memory_order_relaxed) - 1; }
  bool quarantine() const { return quarantine_; }

 private:
  static constexpr size_t kInitialTable = 32;  // by_id_'s first capacity
  const bool quarantine_;
  std::atomic<AllocId> next_id_{1};
  mutable std::mutex mu_;       // guards by_id_, live_ and quarantined_
  std::vector<Object*> by_id_;  // index = id; nullptr once freed
  size_t live_ = 0;             // non-null entries of by_id_
  std::vector<Object*> quarantined_;
};

// The intrusive list of a VM's live objects, in allocation order. Guarded by the VM's lock.
class Heap {
 public:
  void Insert(Object* o);
  void Remove(Object* o);
  bool Contains(const Object* o) const { return o->heap_prev != nullptr || head_ == o; }
  Object* first() const { return head_; }
  size_t size() const { return size_; }

 private:
  Object* head_ = nullptr;
  Object* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace gcs::core
