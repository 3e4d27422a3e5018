// gcstress tests — calls through proxies: listeners, promises, replies.
#include "core/pending_call.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class PendingCallTest : public ComlinkFixture {};

TEST_F(PendingCallTest, AReplySettlesTheCallAndFreesItsRecords) {
  StartComlink();
  Handle wp = NewObject(*t1);
  CallId id = rt->Call(*t1, remote, wp).value();
  EXPECT_EQ(rt->PendingCalls(0), 1u);
  auto begin = log.Of(EventKind::kCallBegin);
  ASSERT_EQ(begin.size(), 1u);
  const AllocId promise = begin[0].obj;
  EXPECT_TRUE(Alive(promise));
  EXPECT_EQ(Refcount(wp.id), 2);              // the promise holds the calling object
  ASSERT_EQ(rt->SafePoint(*w), Status::kOk);  // the worker serves the call, replies
  EXPECT_EQ(log.Count(EventKind::kCallServe, api.id), 1);
  ASSERT_EQ(rt->SafePoint(*t1), Status::kOk);  // main receives the reply
  auto settle = log.Of(EventKind::kCallSettle);
  ASSERT_EQ(settle.size(), 1u);
  EXPECT_EQ(settle[0].aux, static_cast<int64_t>(id));
  EXPECT_EQ(settle[0].value, 0);  // resolved
  EXPECT_EQ(rt->PendingCalls(0), 0u);
  EXPECT_FALSE(Alive(promise));
  EXPECT_EQ(Refcount(wp.id), 1);
}

TEST_F(PendingCallTest, CallsNeedALiveProxyAndALocalCaller) {
  StartComlink();
  Handle plain = NewObject(*t1);
  EXPECT_EQ(rt->Call(*t1, plain, Handle{}).status(), Status::kNotAProxy);
  EXPECT_EQ(rt->Call(*t1, remote, api).status(), Status::kCrossVmReference);
  ASSERT_EQ(rt->Release(*t1, remote), Status::kOk);
  EXPECT_EQ(rt->Call(*t1, remote, Handle{}).status(), Status::kProxyReleased);
}

// Releasing the last proxy into a VM frees the endpoint and with it the listeners: the calls
// still pending on it are rejected there, and a later termination finds nothing to settle.
TEST_F(PendingCallTest, ReleasingTheLastProxyRejectsItsPendingCalls) {
  StartComlink();
  Handle wp = NewObject(*t1);
  CallId id = rt->Call(*t1, remote, wp).value();
  ASSERT_EQ(rt->Release(*t1, remote), Status::kOk);
  EXPECT_EQ(rt->PendingCalls(0), 0u);
  auto settle = log.Of(EventKind::kCallSettle);
  ASSERT_EQ(settle.size(), 1u);
  EXPECT_EQ(settle[0].aux, static_cast<int64_t>(id));
  EXPECT_EQ(settle[0].value, 1);
  ASSERT_EQ(rt->Terminate(*t1, 1), Status::kOk);
  EXPECT_EQ(log.Count(EventKind::kCallSettle), 1);
  ASSERT_EQ(rt->Drop(*t1, wp), Status::kOk);
  ASSERT_EQ(rt->Drop(*t1, remote), Status::kOk);
  rt->Quiesce(*setup);
  EXPECT_TRUE(LiveInstances().empty());
  EXPECT_TRUE(log.DoubleFrees().empty());
}

TEST(PendingCallsUnitTest, TakeAllToKeepsTheOthersInOrder) {
  PendingCalls calls;
  for (VmIndex callee : {1, 2, 1, 3})
    calls.Add(PendingCall{calls.NextId(), callee});
  auto to1 = calls.TakeAllTo(1);
  ASSERT_EQ(to1.size(), 2u);
  EXPECT_EQ(to1[0].id, 1u);
  EXPECT_EQ(to1[1].id, 3u);
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls.Take(2).has_value());
  EXPECT_FALSE(calls.Take(2).has_value());
}

}  // namespace
}  // namespace gcs::core::testing
