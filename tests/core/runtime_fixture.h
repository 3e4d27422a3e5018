// gcstress tests — RuntimeFixture: a core Runtime with VM 0, threads and an event log; Comlink.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/runtime.h"
#include "tests/core/event_log.h"
#include "tests/core/scripted_hooks.h"

namespace gcs::core::testing {

class RuntimeFixture : public ::testing::Test {
 protected:
  // Builds the runtime: VM 0 ("main"), threads t1, t2 (current VM 0) and a setup thread.
  void Start(FaultSet faults = {}, bool scripted = true) {
    RuntimeOptions options;
    options.faults = faults;
    options.observer = &log;
    options.hooks = scripted ? &hooks : nullptr;
    options.quarantine = true;  // faulty paths touch freed memory: keep it ours
    rt = std::make_unique<Runtime>(options);
    setup = &rt->AddThread(0);
    t1 = &rt->AddThread(0);
    t2 = &rt->AddThread(0);
    ASSERT_EQ(rt->CreateVm(*setup, 0, false), Status::kOk);
  }
  static FaultSet With(Fault f) { return FaultSet().Enable(f); }

  Handle NewObject(ThreadState& ts, ObjectKind kind = ObjectKind::kPlain) {
    auto r = rt->New(ts, kind);
    EXPECT_TRUE(r.ok()) << StatusName(r.status());
    return r.ok() ? r.value() : Handle{};
  }
  bool Alive(AllocId id) const { return rt->Inspect(id).has_value(); }
  int64_t Refcount(AllocId id) const {
    auto info = rt->Inspect(id);
    return info ? info->refcount : -1;
  }
  // Live objects that are not type objects.
  std::vector<AllocId> LiveInstances() const {
    std::vector<AllocId> out;
    for (AllocId id : rt->LiveObjects()) {
      if (rt->Inspect(id)->kind != ObjectKind::kType) out.push_back(id);
    }
    return out;
  }

  EventLog log;
  ScriptedHooks hooks;
  std::unique_ptr<Runtime> rt;
  ThreadState* setup = nullptr;
  ThreadState* t1 = nullptr;
  ThreadState* t2 = nullptr;
};

// The Comlink shape: worker W (VM 1) exposes `api`; main (VM 0) holds a proxy to it.
class ComlinkFixture : public RuntimeFixture {
 protected:
  void StartComlink(FaultSet faults = {}) {
    Start(faults);
    ASSERT_EQ(rt->CreateVm(*setup, 1, true), Status::kOk);
    w = &rt->AddThread(1);
    api = rt->New(*w, ObjectKind::kPlain).value();
    remote = rt->Export(*w, api, 0).value();
  }
  ThreadState* w = nullptr;
  Handle api, remote;
};

}  // namespace gcs::core::testing
