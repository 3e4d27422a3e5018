// gcstress tests — worker termination, VM destruction, and terminate-keeps-listeners.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class WorkerTest : public ComlinkFixture {};

TEST_F(WorkerTest, TerminateRejectsPendingCallsAndInvalidatesProxies) {
  StartComlink();
  Handle wp = NewObject(*t1);
  ASSERT_TRUE(rt->Call(*t1, remote, wp).ok());
  ASSERT_EQ(rt->Terminate(*t1, 1), Status::kOk);
  EXPECT_TRUE(rt->IsTerminated(1));
  EXPECT_FALSE(rt->VmAlive(1));
  auto settle = log.Of(EventKind::kCallSettle);
  ASSERT_EQ(settle.size(), 1u);
  EXPECT_EQ(settle[0].value, 1);  // rejected
  EXPECT_EQ(rt->PendingCalls(0), 0u);
  // The clean error, not a crash: the proxy's owner is gone.
  EXPECT_EQ(rt->Use(*t1, remote), Status::kTargetTerminated);
  EXPECT_EQ(rt->Call(*t1, remote, Handle{}).status(), Status::kTargetTerminated);
  EXPECT_EQ(log.Count(EventKind::kProxyInvalidate, remote.id), 1);
  EXPECT_FALSE(Alive(api.id));  // the worker's heap is gone
  // Operations on the terminated VM answer with an error.
  EXPECT_EQ(rt->New(*w, ObjectKind::kPlain).status(), Status::kTerminated);
  EXPECT_EQ(rt->Terminate(*t1, 1), Status::kTerminated);
  EXPECT_EQ(rt->Drop(*w, api), Status::kTerminated);
}

TEST_F(WorkerTest, TerminateWithNoPendingCallLeavesNothingBehind) {
  StartComlink();
  ASSERT_EQ(rt->Terminate(*t1, 1), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, remote), Status::kOk);
  rt->Quiesce(*t1);
  EXPECT_TRUE(LiveInstances().empty());
}

TEST_F(WorkerTest, OnlyWorkersCanBeTerminatedAndNotFromInside) {
  StartComlink();
  EXPECT_EQ(rt->Terminate(*t1, 0), Status::kNotAWorker);
  EXPECT_EQ(rt->Terminate(*t1, 5), Status::kNoSuchVm);
  ASSERT_EQ(rt->Attach(*w), Status::kOk);
  EXPECT_EQ(rt->Terminate(*w, 1), Status::kBusy);
  ASSERT_EQ(rt->Detach(*w), Status::kOk);
  // Attached to any VM, not just the one being closed: waiting while inside a VM could deadlock
  // against a thread closing that one (two threads destroying each other's VM).
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  EXPECT_EQ(rt->Terminate(*t1, 1), Status::kBusy);
  EXPECT_EQ(rt->DestroyVm(*t1, 1), Status::kBusy);
  ASSERT_EQ(rt->Detach(*t1), Status::kOk);
  EXPECT_TRUE(rt->VmAlive(1));
}

// Terminate must wait for a thread inside the VM to leave. The scripted hooks abort on any wait,
// so this uses real threads and free-running locks.
TEST(WorkerFreeTest, TerminateWaitsForAThreadInsideTheVm) {
  RuntimeOptions options;
  Runtime free_rt(options);
  ThreadState& s = free_rt.AddThread(0);
  ASSERT_EQ(free_rt.CreateVm(s, 0, false), Status::kOk);
  ASSERT_EQ(free_rt.CreateVm(s, 1, true), Status::kOk);
  ThreadState& wt = free_rt.AddThread(1);
  ASSERT_EQ(free_rt.Attach(wt), Status::kOk);
  std::atomic<bool> done{false};
  std::thread killer([&] {
    EXPECT_EQ(free_rt.Terminate(s, 1), Status::kOk);
    done = true;
  });
  for (int i = 0; i < 1000 && !done; ++i)
    std::this_thread::yield();
  EXPECT_FALSE(done.load());  // still inside: terminate waits
  ASSERT_EQ(free_rt.Detach(wt), Status::kOk);
  killer.join();
  EXPECT_TRUE(done.load());
  EXPECT_EQ(free_rt.Attach(wt), Status::kTerminated);
}

TEST_F(WorkerTest, DestroyVmDropsExportsHeldForIt) {
  StartComlink();
  Handle doc = NewObject(*t1);
  Handle p = rt->Export(*t1, doc, 1).value();
  ASSERT_EQ(rt->Drop(*t1, doc), Status::kOk);
  ASSERT_EQ(rt->DestroyVm(*t1, 1), Status::kOk);
  EXPECT_FALSE(rt->IsTerminated(1));
  EXPECT_FALSE(Alive(p.id));
  rt->Quiesce(*t1);
  EXPECT_FALSE(Alive(doc.id));
  EXPECT_EQ(rt->Use(*t1, remote), Status::kTargetTerminated);
}

// SEED_BUGS.md #4, by hand: main makes wp, which holds the remote proxy, calls through it,
// terminates the worker, and lets go of everything.
void RunTerminateSequence(Runtime& rt, ThreadState& main, const Handle& remote,
                          std::vector<AllocId>* ours) {
  Handle wp = rt.New(main, ObjectKind::kPlain).value();
  ASSERT_EQ(rt.SetField(main, wp, 0, remote), Status::kOk);
  ASSERT_TRUE(rt.Call(main, remote, wp).ok());
  ASSERT_EQ(rt.Terminate(main, 1), Status::kOk);
  ASSERT_EQ(rt.Drop(main, wp), Status::kOk);
  ASSERT_EQ(rt.Drop(main, remote), Status::kOk);
  rt.Quiesce(main);
  *ours = {wp.id, remote.id};
}

TEST_F(WorkerTest, FixedCoreCollectsInstancePromiseAndProxyAfterTerminate) {
  StartComlink();
  std::vector<AllocId> ours;
  RunTerminateSequence(*rt, *t1, remote, &ours);
  for (AllocId id : ours)
    EXPECT_FALSE(Alive(id)) << id;
  EXPECT_TRUE(LiveInstances().empty());
}

TEST_F(WorkerTest, FaultTerminateKeepsListenersLeaksInstancePromiseAndProxy) {
  StartComlink(With(Fault::kTerminateKeepsListeners));
  std::vector<AllocId> ours;
  RunTerminateSequence(*rt, *t1, remote, &ours);
  for (AllocId id : ours)
    EXPECT_TRUE(Alive(id)) << id;
  // registry → endpoint → listener → promise → wp → proxy, never collected.
  std::vector<ObjectKind> kinds;
  for (AllocId id : LiveInstances())
    kinds.push_back(rt->Inspect(id)->kind);
  EXPECT_EQ(kinds,
            (std::vector<ObjectKind>{ObjectKind::kEndpoint, ObjectKind::kProxy, ObjectKind::kPlain,
                                     ObjectKind::kPromise, ObjectKind::kListener}));
  EXPECT_EQ(log.Count(EventKind::kCallSettle), 0);  // the promise never settles
}

}  // namespace
}  // namespace gcs::core::testing
