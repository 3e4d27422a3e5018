// gcstress tests — the Runtime API contract: bad use is an error value; real parallel use is safe.
#include "core/runtime.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>
#include <vector>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class RuntimeTest : public RuntimeFixture {};

TEST_F(RuntimeTest, BadUseReturnsErrorValues) {
  Start();
  Handle empty;
  EXPECT_EQ(rt->Drop(*t1, empty), Status::kEmptyHandle);
  EXPECT_EQ(rt->Clone(*t1, empty).status(), Status::kEmptyHandle);
  EXPECT_EQ(rt->Use(*t1, empty), Status::kEmptyHandle);
  EXPECT_EQ(rt->SetField(*t1, empty, 0, empty), Status::kEmptyHandle);
  EXPECT_EQ(rt->Release(*t1, empty), Status::kEmptyHandle);
  EXPECT_EQ(rt->Detach(*t1), Status::kNotAttached);
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  EXPECT_EQ(rt->Attach(*t1), Status::kAlreadyAttached);
  Handle a = NewObject(*t1);
  EXPECT_EQ(rt->SetField(*t1, a, kMaxFields, a), Status::kFieldIndex);
  EXPECT_EQ(rt->SetField(*t1, a, -1, a), Status::kFieldIndex);
  EXPECT_EQ(rt->ClearField(*t1, a, 7), Status::kFieldIndex);
  EXPECT_EQ(rt->Release(*t1, a), Status::kNotAProxy);
  EXPECT_EQ(rt->Collect(*t1, 42).status(), Status::kNoSuchVm);
  EXPECT_EQ(rt->Collect(*t1, kMaxVms + 3).status(), Status::kNoSuchVm);
  ASSERT_EQ(rt->Detach(*t1), Status::kOk);
  EXPECT_EQ(rt->Unregister(*t1, RegistryHandle{0, 0}), Status::kUnknownToken);
  EXPECT_EQ(rt->DestroyVm(*t1, 33), Status::kNoSuchVm);
}

TEST_F(RuntimeTest, ADestroyedVmRefusesEverything) {
  Start();
  ASSERT_EQ(rt->SwitchVm(*t1, 1), Status::kOk);
  Handle a = NewObject(*t1);
  WeakHandle w = rt->MakeWeak(*t1, a).value();
  ASSERT_EQ(rt->DestroyVm(*t2, 1), Status::kOk);
  EXPECT_EQ(rt->New(*t1, ObjectKind::kPlain).status(), Status::kVmDestroyed);
  EXPECT_EQ(rt->Attach(*t1), Status::kVmDestroyed);
  EXPECT_EQ(rt->Use(*t1, a), Status::kVmDestroyed);
  EXPECT_EQ(rt->Clone(*t1, a).status(), Status::kVmDestroyed);
  EXPECT_EQ(rt->Upgrade(*t1, w).status(), Status::kVmDestroyed);
  EXPECT_EQ(rt->Collect(*t1, 1).status(), Status::kVmDestroyed);
  EXPECT_EQ(rt->SafePoint(*t1), Status::kVmDestroyed);
}

TEST_F(RuntimeTest, AThreadAttachedElsewhereCannotTouchAnotherVm) {
  Start();
  ASSERT_EQ(rt->SwitchVm(*t2, 1), Status::kOk);
  Handle other = NewObject(*t2);
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);  // VM 0
  EXPECT_EQ(rt->Use(*t1, other), Status::kAttachedElsewhere);
  EXPECT_EQ(rt->Clone(*t1, other).status(), Status::kCloneWhileDetached);
  EXPECT_EQ(rt->Drop(*t1, other), Status::kOk);  // queued in VM 1's pool
  Handle mine = NewObject(*t1);
  EXPECT_EQ(rt->SetField(*t1, mine, 0, other), Status::kCrossVmReference);
  rt->ThreadExit(*t1);
}

TEST_F(RuntimeTest, EventsCarryTheActingThreadAndItsCurrentVm) {
  Start();
  Handle a = NewObject(*t2);
  auto allocs = log.Of(EventKind::kAlloc);
  ASSERT_FALSE(allocs.empty());
  EXPECT_EQ(allocs.back().obj, a.id);
  EXPECT_EQ(allocs.back().thread, t2->index);
  EXPECT_EQ(allocs.back().current_vm, 0);
  EXPECT_STREQ(allocs.back().site, "lifecycle.allocate");
}

TEST_F(RuntimeTest, QuiesceReclaimsEverythingAfterAllHandlesAreGone) {
  Start();
  ASSERT_EQ(rt->CreateVm(*setup, 1, true), Status::kOk);
  ThreadState& w = rt->AddThread(1);
  Handle a = NewObject(*t1);
  Handle b = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, b), Status::kOk);
  ASSERT_EQ(rt->SetField(*t1, b, 0, a), Status::kOk);
  Handle p = rt->Export(*t1, a, 1).value();
  ASSERT_TRUE(rt->Register(*t1, b, Handle{}).ok());
  for (Handle h : {a, b})
    ASSERT_EQ(rt->Drop(*t1, h), Status::kOk);
  ASSERT_EQ(rt->Drop(w, p), Status::kOk);
  rt->Quiesce(*setup);
  EXPECT_TRUE(LiveInstances().empty());
  EXPECT_EQ(log.Count(EventKind::kRegistryCallback), 2);  // b's, and the proxy's release
  EXPECT_TRUE(log.DoubleFrees().empty());
}

// Several threads really in parallel: attach/detach, clone/drop, collect, enumerate, weak refs
// and proxies across three VMs. Run under the tsan and asan presets. The fixed core must neither
// race, nor double-free, nor leak.
TEST(RuntimeParallelTest, FixedCoreIsSafeUnderRealParallelism) {
  EventLog log;
  RuntimeOptions options;
  options.observer = &log;
  Runtime rt(options);
  ThreadState& setup = rt.AddThread(0);
  ASSERT_EQ(rt.CreateVm(setup, 0, false), Status::kOk);
  ASSERT_EQ(rt.CreateVm(setup, 1, true), Status::kOk);
  ASSERT_EQ(rt.CreateVm(setup, 2, true), Status::kOk);
  constexpr int kThreads = 4;
  const VmIndex home[kThreads] = {0, 0, 1, 2};
  std::vector<ThreadState*> states;
  for (int t = 0; t < kThreads; ++t)
    states.push_back(&rt.AddThread(home[t]));

  auto body = [&](int t) {
    ThreadState& ts = *states[static_cast<size_t>(t)];
    std::mt19937 rng(static_cast<uint32_t>(1234 + t));
    std::vector<Handle> mine;     // strong handles to objects of ts's VM
    std::vector<Handle> proxies;  // proxies held in ts's VM
    std::vector<WeakHandle> weak;
    for (int i = 0; i < 3000; ++i) {
      const int op = static_cast<int>(rng() % 12);
      const bool have = !mine.empty();
      Handle pick = have ? mine[rng() % mine.size()] : Handle{};
      switch (op) {
        case 0:
        case 1: {
          auto r = rt.New(ts, (rng() & 1) ? ObjectKind::kPlain : ObjectKind::kSubclass);
          ASSERT_TRUE(r.ok());
          mine.push_back(r.value());
          break;
        }
        case 2:
          if (ts.attached_vm == kNoVm) {
            ASSERT_EQ(rt.Attach(ts), Status::kOk);
          } else {
            ASSERT_EQ(rt.Detach(ts), Status::kOk);
          }
          break;
        case 3:
          if (have) {
            auto c = rt.Clone(ts, pick);
            if (ts.attached_vm == ts.current_vm) {
              ASSERT_TRUE(c.ok());
              mine.push_back(c.value());
            } else {
              ASSERT_EQ(c.status(), Status::kCloneWhileDetached);
            }
          }
          break;
        case 4:
          if (have) {
            const size_t k = rng() % mine.size();
            ASSERT_EQ(rt.Drop(ts, mine[k]), Status::kOk);
            mine.erase(mine.begin() + static_cast<long>(k));
          }
          break;
        case 5:
          if (have) {
            ASSERT_EQ(rt.SetField(ts, pick, static_cast<int>(rng() % kMaxFields),
                                  mine[rng() % mine.size()]),
                      Status::kOk);
          }
          break;
        case 6:
          ASSERT_TRUE(rt.Collect(ts, ts.current_vm).ok());
          break;
        case 7:
          ASSERT_TRUE(rt.Enumerate(ts, ts.current_vm).ok());
          break;
        case 8:
          if (have) weak.push_back(rt.MakeWeak(ts, pick).value());
          if (!weak.empty()) {
            auto up = rt.Upgrade(ts, weak[rng() % weak.size()]);
            ASSERT_TRUE(up.ok());
            if (!up.value().empty()) mine.push_back(up.value());
          }
          break;
        case 9:
          if (have) {
            VmIndex dest = static_cast<VmIndex>(rng() % 3);
            if (dest == ts.current_vm) dest = static_cast<VmIndex>((dest + 1) % 3);
            auto p = rt.Export(ts, pick, dest);
            ASSERT_TRUE(p.ok()) << StatusName(p.status());
            // The proxy lives in `dest`; hand it to nobody, just drop it (queued there).
            ASSERT_EQ(rt.Drop(ts, p.value()), Status::kOk);
          }
          break;
        case 10:
          if (have && rng() % 4 == 0) {
            VmIndex dest = ts.current_vm == 0 ? 1 : 0;
            auto p = rt.Export(ts, pick, dest);
            ASSERT_TRUE(p.ok());
            ASSERT_EQ(rt.Release(ts, p.value()), ts.attached_vm == kNoVm || ts.attached_vm == dest
                                                     ? Status::kOk
                                                     : Status::kAttachedElsewhere);
            ASSERT_EQ(rt.Drop(ts, p.value()), Status::kOk);
          }
          break;
        case 11:
          ASSERT_EQ(rt.SafePoint(ts), Status::kOk);
          break;
      }
    }
    for (Handle h : mine)
      ASSERT_EQ(rt.Drop(ts, h), Status::kOk);
    rt.ThreadExit(ts);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back(body, t);
  for (auto& th : threads)
    th.join();

  rt.Quiesce(setup, 16);
  for (AllocId id : rt.LiveObjects()) {
    EXPECT_EQ(rt.Inspect(id)->kind, ObjectKind::kType) << "leaked allocation " << id;
  }
  EXPECT_TRUE(log.DoubleFrees().empty());
  EXPECT_GT(log.Count(EventKind::kCollectEnd), 0);
  EXPECT_GT(log.Count(EventKind::kMessageDeliver), 0);
}

}  // namespace
}  // namespace gcs::core::testing
