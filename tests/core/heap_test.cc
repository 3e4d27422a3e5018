// gcstress tests — Allocator ids and quarantine; the heap list.
#include "core/heap.h"

#include <gtest/gtest.h>

namespace gcs::core {
namespace {

TEST(AllocatorTest, IdsAreSequentialAndNeverReused) {
  Allocator a(/*quarantine=*/true);
  Object* x = a.New(ObjectKind::kPlain, 0);
  Object* y = a.New(ObjectKind::kPlain, 0);
  EXPECT_EQ(x->id, 1u);
  EXPECT_EQ(y->id, 2u);
  a.Release(x);
  Object* z = a.New(ObjectKind::kPlain, 0);
  EXPECT_EQ(z->id, 3u);
  EXPECT_EQ(a.allocated(), 3u);
  EXPECT_EQ(a.Find(1), nullptr);
  EXPECT_EQ(a.Find(2), y);
  EXPECT_EQ(a.LiveIds(), (std::vector<AllocId>{2, 3}));
  EXPECT_EQ(a.LiveCount(), 2u);
}

TEST(AllocatorTest, QuarantinePoisonsButKeepsTheIdentity) {
  Allocator a(/*quarantine=*/true);
  Object* x = a.New(ObjectKind::kSubclass, 3);
  Object* y = a.New(ObjectKind::kPlain, 3);
  x->fields[0] = y;
  a.Release(x);
  // Quarantined memory is still ours: the faulty paths read it deterministically.
  EXPECT_EQ(x->id, 1u);
  EXPECT_EQ(x->vm, 3);
  EXPECT_EQ(x->flags, kFlagFreed);
  EXPECT_EQ(x->fields[0], nullptr);
  a.Release(x);  // a second release is reported by the caller, not repeated here
  EXPECT_EQ(a.Find(1), nullptr);
  EXPECT_EQ(a.LiveCount(), 1u);  // y; the second release of x did not count again
}

TEST(HeapTest, KeepsAllocationOrderAcrossRemovals) {
  Allocator a(true);
  Heap h;
  Object* o[4];
  for (auto& p : o) {
    p = a.New(ObjectKind::kPlain, 0);
    h.Insert(p);
  }
  EXPECT_EQ(h.size(), 4u);
  h.Remove(o[0]);
  h.Remove(o[2]);
  h.Remove(o[2]);  // not in the heap any more: no effect
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.first(), o[1]);
  EXPECT_EQ(o[1]->heap_next, o[3]);
  EXPECT_EQ(o[3]->heap_next, nullptr);
  EXPECT_FALSE(h.Contains(o[0]));
  EXPECT_TRUE(h.Contains(o[3]));
  h.Remove(o[3]);
  h.Remove(o[1]);
  EXPECT_EQ(h.first(), nullptr);
  EXPECT_EQ(h.size(), 0u);
}

}  // namespace
}  // namespace gcs::core
