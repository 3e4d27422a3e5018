// gcstress tests — SchedLock: mutual exclusion, and blocking through the hooks.
#include "core/sched_lock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace gcs::core {
namespace {

class CountingHooks : public SchedHooks {
 public:
  void Point(const char*) override {}
  void Wait(ResourceId r) override {
    waits.fetch_add(1);
    last = r;
    std::this_thread::yield();
  }
  void Signal(ResourceId) override { signals.fetch_add(1); }
  std::atomic<int> waits{0};
  std::atomic<int> signals{0};
  std::atomic<ResourceId> last{0};
};

TEST(SchedLockTest, TryLockFailsWhileHeld) {
  SchedLock lock(MakeResource(ResourceKind::kVmLock, 3));
  EXPECT_TRUE(lock.TryLock());
  EXPECT_FALSE(lock.TryLock());
  lock.Unlock(nullptr);
  EXPECT_TRUE(lock.TryLock());
  lock.Unlock(nullptr);
  EXPECT_EQ(ResourceKindOf(lock.resource()), ResourceKind::kVmLock);
  EXPECT_EQ(ResourceIndexOf(lock.resource()), 3u);
}

TEST(SchedLockTest, ContendedAcquisitionWaitsThroughTheHooksAndExcludes) {
  SchedLock lock(MakeResource(ResourceKind::kVmLock, 1));
  CountingHooks hooks;
  int64_t counter = 0;  // deliberately not atomic: the lock must make it exact
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        lock.Lock(&hooks);
        ++counter;
        lock.Unlock(&hooks);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(counter, 80000);
  EXPECT_EQ(hooks.signals.load(), 80000);
  if (hooks.waits.load() > 0) {
    EXPECT_EQ(hooks.last.load(), lock.resource());
  }
}

}  // namespace
}  // namespace gcs::core
