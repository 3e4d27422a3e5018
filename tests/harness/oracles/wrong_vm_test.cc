// gcstress oracles — WrongVmOracle on hand-built traces.
#include "harness/oracles/wrong_vm.h"

#include <gtest/gtest.h>

#include "oracle_test_support.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;
using core::ObjectKind;

std::vector<Violation> Judged(const TraceBuilder& t) {
  return JudgedBy<WrongVmOracle>(t);
}

// t1 constructs vm3; the type object is allocated in `home`.
TraceBuilder Construct(core::VmIndex home, uint32_t other_thread_alloc = UINT32_MAX) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 16).Ev(kT1, K::kVmCreateBegin, 3, 0, 0, 0, 0, "vm.construct");
  if (other_thread_alloc != UINT32_MAX) t.Alloc(other_thread_alloc, 9, 0);
  t.Alloc(kT1, 1, home, ObjectKind::kType).Ev(kT1, K::kTypeRegister, 3, 1, 0, 0, 0, "vm.construct");
  t.Ev(kT1, K::kVmCreateEnd, 3, 0, 0, 0, 0, "vm.construct").End(kT1, 16);
  return t;
}

TEST(WrongVmOracleTest, AVmsConstructorAllocatingInAnotherVmFires) {
  EXPECT_TRUE(Judged(Construct(3)).empty());
  const auto v = Judged(Construct(0));
  ASSERT_EQ(v.size(), 1u) << "the allocation and the registration name one object";
  EXPECT_EQ(v[0].kind, ViolationKind::kWrongVm);
  EXPECT_EQ(v[0].Signature(), "wrong-vm/yield/step/lifecycle.allocate");
  EXPECT_NE(v[0].message.find("while constructing vm3"), std::string::npos) << v[0].message;
  EXPECT_TRUE(Judged(Construct(3, kT2)).empty()) << "another thread allocating meanwhile";
}

TEST(WrongVmOracleTest, AFinalizerRunOutsideItsObjectsVmFires) {
  // t1 destroys vm3, whose heap holds #1: its finalizer must run with current = vm3.
  auto build = [](core::VmIndex current) {
    TraceBuilder t(OracleTestScenario());
    t.Begin(kT1, 16).Ev(kT1, K::kVmCreateBegin, 3, 0, 0, 0, 0, "vm.construct");
    t.Ev(kT1, K::kVmCreateEnd, 3, 0, 0, 0, 0, "vm.construct").Alloc(kT1, 1, 3).Current(3);
    t.Ev(kT1, K::kVmDestroyBegin, 3, 0, 0, 0, 0, "vm.destroy");
    t.Ev(kT1, K::kFinalize, 3, 1, 0, 0, 0, "vm.destroy").Current(current);
    t.Free(kT1, 1, 3, "vm.destroy").Ev(kT1, K::kVmDestroyEnd, 3, 0, 0, 1).End(kT1, 16);
    return t;
  };
  EXPECT_TRUE(Judged(build(3)).empty());
  const auto v = Judged(build(0));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].Signature(), "wrong-vm/yield/step/vm.destroy");
  EXPECT_NE(v[0].message.find(
                "#1 of vm3 finalized by its VM's destruction while the thread's current VM is vm0"),
            std::string::npos)
      << v[0].message;
}

TEST(WrongVmOracleTest, AnAllocationInAVmWhoseDestructionBeganFires) {
  // t1 destroys vm3; t2 allocates #2 in it before the destruction began, or after it.
  auto build = [](bool after) {
    TraceBuilder t(OracleTestScenario());
    t.Begin(kT1, 16).Ev(kT1, K::kVmCreateBegin, 3, 0, 0, 0, 0, "vm.construct");
    t.Ev(kT1, K::kVmCreateEnd, 3, 0, 0, 0, 0, "vm.construct");
    if (!after) t.Alloc(kT2, 2, 3);
    t.Ev(kT1, K::kVmDestroyBegin, 3, 0, 0, 0, 0, "vm.destroy");
    if (after) t.Alloc(kT2, 2, 3);
    t.Ev(kT1, K::kVmDestroyEnd, 3, 0, 0, 1).End(kT1, 16);
    return t;
  };
  EXPECT_TRUE(Judged(build(false)).empty());
  const auto v = Judged(build(true));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].obj, 2u);
  EXPECT_NE(v[0].message.find("#2 made in vm3 after its destruction began"), std::string::npos)
      << v[0].message;
}

TEST(WrongVmOracleTest, ATypeOrATypeTableEntryFromAnotherVmFires) {
  TraceBuilder t(OracleTestScenario());
  t.Alloc(kTeardown, 1, 0, ObjectKind::kType);
  t.Begin(kT1, 1).Alloc(kT1, 2, 0, ObjectKind::kPlain, 1).End(kT1, 1, "a", 2);
  EXPECT_TRUE(Judged(t).empty());
  t.Begin(kW2, 0).Alloc(kW2, 3, 2, ObjectKind::kPlain, 1).End(kW2, 0, "q", 3);
  ASSERT_EQ(Judged(t).size(), 1u);
  EXPECT_NE(Judged(t)[0].message.find("has type object #1 of vm0"), std::string::npos);
  t.Ev(kW1, K::kTypeRegister, 1, 1);
  EXPECT_EQ(Judged(t).size(), 2u);
}

TEST(WrongVmOracleTest, ReferencesAcrossVmsFireUnlessThroughAProxy) {
  TraceBuilder t(OracleTestScenario());
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 8).Export(kT1, 1, 2, 0, 1, 1).End(kT1, 8, "p", 2);  // a proxy of #1 in vm1
  t.Begin(kW2, 0).Alloc(kW2, 3, 1).End(kW2, 0, "q", 3);
  t.Edge(kW2, 3, 0, 2, 1);  // vm1 object -> vm1 proxy: fine
  EXPECT_TRUE(Judged(t).empty());
  t.Edge(kW2, 3, 1, 1, 1);  // vm1 object -> vm0 object
  const auto v = Judged(t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].obj, 3u);
  EXPECT_NE(v[0].message.find("not through a proxy"), std::string::npos);
}

}  // namespace
}  // namespace gcs::testing
