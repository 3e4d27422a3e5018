// gcstress tests — VM construction, switching, destruction, and vm-switch-stale-current.
#include "core/vm.h"

#include <gtest/gtest.h>

#include "tests/core/runtime_fixture.h"

namespace gcs::core::testing {
namespace {

class VmTest : public RuntimeFixture {
 protected:
  // Type objects registered in VM `vm`'s table, with their owners.
  std::vector<std::pair<AllocId, VmIndex>> TypesOf(VmIndex vm) {
    std::vector<std::pair<AllocId, VmIndex>> out;
    for (const Event& e : log.Of(EventKind::kTypeRegister)) {
      if (e.vm != vm) continue;
      VmIndex owner = kNoVm;
      for (const Event& a : log.Of(EventKind::kAlloc)) {
        if (a.obj == e.obj) owner = a.vm;
      }
      out.emplace_back(e.obj, owner);
    }
    return out;
  }
};

TEST_F(VmTest, ConstructionRegistersEveryBuiltinTypeInTheNewVm) {
  Start();
  auto types = TypesOf(0);
  ASSERT_EQ(types.size(), static_cast<size_t>(kObjectKindCount));
  for (auto [id, owner] : types) {
    EXPECT_EQ(owner, 0);
    EXPECT_EQ(rt->Inspect(id)->kind, ObjectKind::kType);
  }
  EXPECT_EQ(hooks.Reached("vm.construct"), kObjectKindCount);
}

TEST_F(VmTest, SwitchCreatesTheVmUnderTheRightCurrentVm) {
  Start();
  ASSERT_EQ(rt->SwitchVm(*t1, 1), Status::kOk);
  EXPECT_EQ(t1->current_vm, 1);
  for (auto [id, owner] : TypesOf(1))
    EXPECT_EQ(owner, 1) << id;
  for (const Event& e : log.events()) {
    if (e.kind == EventKind::kAlloc && e.thread == t1->index) {
      EXPECT_EQ(e.current_vm, 1);
    }
  }
  Handle a = NewObject(*t1);
  EXPECT_EQ(a.vm, 1);
  ASSERT_EQ(rt->SwitchVm(*t1, 0), Status::kOk);  // switching to an existing VM
  EXPECT_EQ(NewObject(*t1).vm, 0);
  EXPECT_EQ(TypesOf(1).size(), static_cast<size_t>(kObjectKindCount));  // not built twice
}

TEST_F(VmTest, SwitchIsRefusedWhileAttachedOrOutOfRange) {
  Start();
  ASSERT_EQ(rt->Attach(*t1), Status::kOk);
  EXPECT_EQ(rt->SwitchVm(*t1, 1), Status::kAlreadyAttached);
  ASSERT_EQ(rt->Detach(*t1), Status::kOk);
  EXPECT_EQ(rt->SwitchVm(*t1, kMaxVms), Status::kTooManyVms);
  EXPECT_EQ(rt->CreateVm(*setup, 0, false), Status::kVmExists);
}

TEST_F(VmTest, DestroyFreesTheHeapWithCurrentSetToTheVm) {
  Start();
  ASSERT_EQ(rt->SwitchVm(*t1, 1), Status::kOk);
  Handle a = NewObject(*t1);
  Handle b = NewObject(*t1);
  ASSERT_EQ(rt->SetField(*t1, a, 0, b), Status::kOk);
  ASSERT_EQ(rt->SwitchVm(*t1, 0), Status::kOk);
  ASSERT_EQ(rt->DestroyVm(*t1, 1), Status::kOk);
  EXPECT_EQ(t1->current_vm, 0);  // restored
  EXPECT_FALSE(Alive(a.id));
  EXPECT_FALSE(Alive(b.id));
  for (const Event& e : log.events()) {
    if (e.kind == EventKind::kFree && (e.obj == a.id || e.obj == b.id)) {
      EXPECT_EQ(e.current_vm, 1);
    }
  }
  EXPECT_EQ(log.Count(EventKind::kFinalize, a.id), 1);
  EXPECT_EQ(rt->Drop(*t1, a), Status::kVmDestroyed);  // a stale handle is refused
  EXPECT_EQ(rt->SwitchVm(*t1, 1), Status::kVmDestroyed);
  EXPECT_EQ(rt->DestroyVm(*t1, 1), Status::kVmDestroyed);
  EXPECT_TRUE(log.DoubleFrees().empty());
}

// SEED_BUGS.md #5, by hand: init (current = vm0), switch to vm1, destroy vm0, use vm1.
void RunStaleCurrentSequence(Runtime& rt, ThreadState& t) {
  ASSERT_EQ(rt.SwitchVm(t, 1), Status::kOk);
  ASSERT_TRUE(rt.New(t, ObjectKind::kPlain).ok());
  ASSERT_EQ(rt.DestroyVm(t, 0), Status::kOk);
  ASSERT_TRUE(rt.New(t, ObjectKind::kPlain).ok());
}

TEST_F(VmTest, FixedCoreKeepsVm1IndependentOfVm0) {
  Start();
  RunStaleCurrentSequence(*rt, *t1);
  for (auto [id, owner] : TypesOf(1)) {
    EXPECT_EQ(owner, 1);
    EXPECT_TRUE(Alive(id));
  }
  EXPECT_TRUE(log.DoubleFrees().empty());
}

TEST_F(VmTest, FaultVmSwitchStaleCurrentBuildsVm1sTypesInVm0) {
  Start(With(Fault::kVmSwitchStaleCurrent));
  std::vector<AllocId> freed;
  std::vector<AllocId> touched_after_free;
  log.SetOnEvent([&](const Event& e) {
    if (e.kind == EventKind::kFree) freed.push_back(e.obj);
    if ((e.kind == EventKind::kIncref || e.kind == EventKind::kDecref) &&
        std::find(freed.begin(), freed.end(), e.obj) != freed.end()) {
      touched_after_free.push_back(e.obj);
    }
  });
  RunStaleCurrentSequence(*rt, *t1);
  auto types = TypesOf(1);
  ASSERT_EQ(types.size(), static_cast<size_t>(kObjectKindCount));
  for (auto [id, owner] : types)
    EXPECT_EQ(owner, 0) << "type " << id << " of vm1";
  // Destroying vm0 freed vm1's types; vm1's next allocation increfs a freed type object.
  const AllocId plain_type = types[0].first;
  EXPECT_FALSE(Alive(plain_type));
  EXPECT_NE(std::find(touched_after_free.begin(), touched_after_free.end(), plain_type),
            touched_after_free.end());
}

}  // namespace
}  // namespace gcs::core::testing
