// gcstress tests — export tables, proxies, release delivery, and proxy-shared-table.
#include "core/proxy_table.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class ProxyTest : public RuntimeFixture {
 protected:
  void StartWithWorkers(FaultSet faults = {}) {
    Start(faults);
    ASSERT_EQ(rt->CreateVm(*setup, 1, true), Status::kOk);
    ASSERT_EQ(rt->CreateVm(*setup, 2, true), Status::kOk);
    w1 = &rt->AddThread(1);
    w2 = &rt->AddThread(2);
  }
  ThreadState* w1 = nullptr;
  ThreadState* w2 = nullptr;
};

TEST_F(ProxyTest, ExportCreatesAProxyInTheDestinationAndHoldsTheObject) {
  StartWithWorkers();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  EXPECT_EQ(p.vm, 1);
  EXPECT_EQ(rt->Inspect(p.id)->kind, ObjectKind::kProxy);
  EXPECT_EQ(rt->Inspect(p.id)->vm, 1);
  EXPECT_EQ(Refcount(doc.id), 2);  // the handle and the export entry
  EXPECT_EQ(rt->Use(*w1, p), Status::kOk);
  auto uses = log.Of(EventKind::kUse);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].obj, doc.id);
  EXPECT_EQ(uses[0].other, p.id);
  EXPECT_EQ(rt->Export(*t1, doc, 0).status(), Status::kSameVm);
  EXPECT_EQ(rt->Export(*t1, doc, 9).status(), Status::kNoSuchVm);
}

TEST_F(ProxyTest, ReleaseIsDeliveredAtTheOwnersNextSafePoint) {
  StartWithWorkers();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  ASSERT_EQ(rt->Drop(*t1, doc), Status::kOk);  // queued in VM 0's pool
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_TRUE(Alive(doc.id));  // the export entry holds it
  ASSERT_EQ(rt->Release(*w1, p), Status::kOk);
  EXPECT_EQ(rt->Release(*w1, p), Status::kProxyReleased);
  EXPECT_EQ(rt->Use(*w1, p), Status::kProxyReleased);
  EXPECT_TRUE(Alive(doc.id));  // the message is not delivered yet
  EXPECT_EQ(log.Count(EventKind::kMessageSend), 1);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_GE(hooks.Reached("mailbox.deliver"), 1);
  EXPECT_FALSE(Alive(doc.id));
  EXPECT_EQ(log.Count(EventKind::kExportDrop, doc.id), 1);
}

TEST_F(ProxyTest, ACollectedProxyReleasesThroughTheRegistry) {
  StartWithWorkers();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  ASSERT_EQ(rt->Drop(*t1, doc), Status::kOk);
  ASSERT_EQ(rt->Drop(*w1, p), Status::kOk);  // queued in VM 1's pool
  ASSERT_EQ(rt->SafePoint(*w1), Status::kOk);  // pool → proxy freed → registry callback → release
  EXPECT_FALSE(Alive(p.id));
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);  // owner delivers
  EXPECT_FALSE(Alive(doc.id));
  // The endpoint the registry held went with the last proxy into VM 0.
  EXPECT_TRUE(LiveInstances().empty());
}

TEST_F(ProxyTest, TwoProxiesInOneWorkerShareACountedEntry) {
  StartWithWorkers();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  Handle q = rt->Export(*t1, doc, 1).value();
  ASSERT_EQ(rt->Drop(*t1, doc), Status::kOk);
  ASSERT_EQ(rt->Release(*w1, p), Status::kOk);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_TRUE(Alive(doc.id));
  EXPECT_EQ(rt->Use(*w1, q), Status::kOk);
  ASSERT_EQ(rt->Release(*w1, q), Status::kOk);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  EXPECT_FALSE(Alive(doc.id));
}

TEST_F(ProxyTest, ReExportAfterReleaseGetsAFreshEntry) {
  StartWithWorkers();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  ASSERT_EQ(rt->Release(*w1, p), Status::kOk);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);
  Handle q = rt->Export(*t1, doc, 1).value();
  EXPECT_EQ(rt->Use(*w1, q), Status::kOk);
}

// SEED_BUGS.md #3, by hand: W1 and W2 both get `doc`; main lets go of its own handle; W1's proxy
// is collected and its release delivered; W2 still holds a proxy to doc.
void RunSharedTableSequence(Runtime& rt, ThreadState& main, ThreadState& w1, ThreadState& w2,
                            AllocId* doc_id, Status* w2_use) {
  Handle doc = rt.New(main, ObjectKind::kPlain).value();
  *doc_id = doc.id;
  Handle p1 = rt.Export(main, doc, 1).value();
  Handle p2 = rt.Export(main, doc, 2).value();
  ASSERT_EQ(rt.Drop(main, doc), Status::kOk);
  ASSERT_EQ(rt.SafePoint(main), Status::kOk);
  ASSERT_EQ(rt.Drop(w1, p1), Status::kOk);
  ASSERT_EQ(rt.Collect(w1, 1).status(), Status::kOk);  // P1 collected, release sent
  ASSERT_EQ(rt.SafePoint(main), Status::kOk);          // release delivered
  *w2_use = rt.Use(w2, p2);
}

TEST_F(ProxyTest, FixedCoreKeepsDocAliveForTheOtherWorker) {
  StartWithWorkers();
  AllocId doc = 0;
  Status use = Status::kEmptyHandle;
  RunSharedTableSequence(*rt, *t1, *w1, *w2, &doc, &use);
  EXPECT_TRUE(Alive(doc));
  EXPECT_EQ(use, Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kFree, doc), 0);
}

TEST_F(ProxyTest, FaultProxySharedTableFreesDocWhileW2StillHoldsAProxy) {
  StartWithWorkers(With(Fault::kProxySharedTable));
  AllocId doc = 0;
  Status use = Status::kOk;
  RunSharedTableSequence(*rt, *t1, *w1, *w2, &doc, &use);
  EXPECT_FALSE(Alive(doc));
  EXPECT_EQ(log.Count(EventKind::kFree, doc), 1);  // premature: P2 is alive and unreleased
  EXPECT_EQ(use, Status::kDanglingProxy);
}

TEST(ExportTablesTest, PerDestinationTablesAreIndependent) {
  Allocator alloc(true);
  Object* doc = alloc.New(ObjectKind::kPlain, 0);
  ExportTables t(/*shared_table=*/false);
  auto a = t.Add(1, doc);
  auto b = t.Add(2, doc);
  EXPECT_TRUE(a.new_entry);
  EXPECT_TRUE(b.new_entry);
  EXPECT_TRUE(t.Release(1, a.id).has_value());
  EXPECT_TRUE(t.Lookup(2, b.id).has_value());
  EXPECT_FALSE(t.Lookup(1, a.id).has_value());
  EXPECT_EQ(t.DropTable(2).size(), 1u);
  EXPECT_TRUE(t.DropAll().empty());
}

TEST(ExportTablesTest, SharedTableHandsOutOneIdAndAnyReleaseDeletes) {
  Allocator alloc(true);
  Object* doc = alloc.New(ObjectKind::kPlain, 0);
  ExportTables t(/*shared_table=*/true);
  auto a = t.Add(1, doc);
  auto b = t.Add(2, doc);
  EXPECT_EQ(a.id, b.id);
  EXPECT_FALSE(b.new_entry);
  EXPECT_TRUE(t.Release(1, a.id).has_value());
  EXPECT_FALSE(t.Lookup(2, b.id).has_value());
}

}  // namespace
}  // namespace gcs::core::testing
