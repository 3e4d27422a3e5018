// gcstress oracles — OracleSet and MakeOracles: the verdict among several violations.
#include "harness/oracles/oracle_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "harness/generator/generator.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"
#include "oracle_test_support.h"
#include "tests/harness/described_violations.h"
#include "tests/harness/fault_sets.h"

namespace gcs::testing {
namespace {

using K = core::EventKind;

std::vector<std::string> Names(const OracleSet& set) {
  std::vector<std::string> out;
  for (const auto& o : set.oracles())
    out.emplace_back(o->Name());
  return out;
}

TEST(OracleSetTest, MakeOraclesGivesEveryOracleForAFullStreamAndAProbeSafeSubsetOtherwise) {
  ScriptedTarget full(true), probes(false);
  EXPECT_EQ(Names(OracleSet(full)),
            (std::vector<std::string>{"double-free", "use-after-free", "premature-collection",
                                      "leak", "refcount", "finalizer", "wrong-vm", "clean-error"}));
  EXPECT_EQ(Names(OracleSet(probes)),
            (std::vector<std::string>{"double-free", "use-after-free", "leak", "finalizer",
                                      "wrong-vm", "clean-error"}));
  // Free mode: only what does not depend on the trace order.
  EXPECT_EQ(
      Names(OracleSet(full, OracleOptions{.free_mode = true})),
      (std::vector<std::string>{"double-free", "leak", "finalizer", "wrong-vm", "clean-error"}));
}

TEST(OracleSetTest, ADoubleFreeIsFoundEvenWithoutAllocationEvents) {
  const Scenario& s = OracleTestScenario();
  TraceBuilder t(s);
  t.Begin(kT1, 16).Free(kT1, 5).Free(kT1, 5).End(kT1, 16);
  ScriptedTarget probes(false);
  OracleSet set(probes);
  set.Begin(s, probes);
  t.Feed(set, probes);
  ASSERT_TRUE(set.Verdict().has_value());
  EXPECT_EQ(set.Verdict()->kind, ViolationKind::kDoubleFree);
}

TEST(OracleSetTest, TheVerdictIsTheMostSevereThenTheEarliest) {
  // A leak at teardown, a use-after-free, and two double frees: double-free wins, the first.
  const Scenario& s = OracleTestScenario();
  TraceBuilder t(s);
  t.Begin(kT1, 1).Alloc(kT1, 1).End(kT1, 1, "a", 1);
  t.Begin(kT1, 2).Alloc(kT1, 2).End(kT1, 2, "b", 2);
  t.Begin(kT1, 4).End(kT1, 4).Discard(kT1, "a", 1).Free(kT1, 1).Discard(kT1, "b", 2).Free(kT1, 2);
  t.Begin(kT1, 9).Ev(kT1, K::kUse, 0, 1, 0, 0, 0, "runtime.use").End(kT1, 9);
  const size_t first_double = t.size() + 1;
  t.Begin(kT1, 16).Free(kT1, 2).Free(kT1, 1).End(kT1, 16);
  t.Teardown();
  ScriptedTarget target;
  OracleSet set(target);
  set.Begin(s, target);
  t.Feed(set, target, {7});
  const std::vector<Violation> all = set.All();
  std::vector<ViolationKind> kinds = Kinds(all);
  EXPECT_EQ(kinds,
            (std::vector<ViolationKind>{ViolationKind::kUseAfterFree, ViolationKind::kDoubleFree,
                                        ViolationKind::kDoubleFree, ViolationKind::kLeak}));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](auto& a, auto& b) { return a.trace_index < b.trace_index; }));
  ASSERT_TRUE(set.Verdict().has_value());
  EXPECT_EQ(set.Verdict()->kind, ViolationKind::kDoubleFree);
  EXPECT_EQ(set.Verdict()->trace_index, first_double);
  EXPECT_EQ(set.Verdict()->obj, 2u);
  // A fresh execution starts clean.
  set.Begin(s, target);
  EXPECT_FALSE(set.Verdict().has_value());
}

TEST(OracleSetTest, MostSevereIsIndependentOfReportOrder) {
  Violation a{.kind = ViolationKind::kLeak, .message = "a", .trace_index = 3};
  Violation b{.kind = ViolationKind::kLeak, .message = "b", .trace_index = 3};
  Violation c{.kind = ViolationKind::kRefcount, .message = "c", .trace_index = 1};
  std::vector<Violation> v1{a, b, c}, v2{c, b, a};
  EXPECT_EQ(MostSevere(v1)->message, "a");
  EXPECT_EQ(MostSevere(v2)->message, "a");
  EXPECT_FALSE(MostSevere({}).has_value());
}

// An oracle that sees every entry: its inner oracle, with an interest in everything.
class EveryEntry final : public Oracle {
 public:
  explicit EveryEntry(std::unique_ptr<Oracle> inner) : inner_(std::move(inner)) {}
  std::string_view Name() const override { return inner_->Name(); }
  void Begin(const Scenario& scenario, Target& target) override { inner_->Begin(scenario, target); }
  ShadowModel* SharedModel() override { return inner_->SharedModel(); }
  void JudgeEntry(size_t index, const TraceEntry& entry) override {
    inner_->JudgeEntry(index, entry);
  }
  void OnEntry(const TraceEntry& entry) override { inner_->OnEntry(entry); }
  void AfterTeardown(Target& target, const Execution& execution) override {
    inner_->AfterTeardown(target, execution);
  }
  std::vector<Violation> Violations() const override { return inner_->Violations(); }

 private:
  std::unique_ptr<Oracle> inner_;
};

// Hands one execution to two observers.
class Tee final : public ExecutionObserver {
 public:
  Tee(ExecutionObserver& a, ExecutionObserver& b) : a_(a), b_(b) {}
  void OnEntry(const TraceEntry& entry) override {
    a_.OnEntry(entry);
    b_.OnEntry(entry);
  }
  void AfterTeardown(Target& target, const Execution& execution) override {
    a_.AfterTeardown(target, execution);
    b_.AfterTeardown(target, execution);
  }

 private:
  ExecutionObserver& a_;
  ExecutionObserver& b_;
};

TEST(OracleSetTest, DispatchByInterestFindsWhatHandingEveryOracleEveryEntryFinds) {
  CoreTarget target;
  Engine engine(target);
  OracleSet filtered(target);
  std::vector<std::unique_ptr<Oracle>> wrapped;
  for (auto& o : MakeOracles(target))
    wrapped.push_back(std::make_unique<EveryEntry>(std::move(o)));
  OracleSet every(std::move(wrapped));
  Tee both(filtered, every);
  auto random = sched::MakeStrategy("random");
  ASSERT_TRUE(random.ok());

  // Every fault finds something in generated scenarios (not under ASan: FixedCoreThenEachFault).
  const std::vector<std::vector<std::string>> fault_sets = FixedCoreThenEachFault();
  GeneratorOptions options;
  options.supported_ops = target.SupportedOps();
  size_t violations = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Scenario scenario = GenerateScenario(seed, options);
    for (const std::vector<std::string>& faults : fault_sets) {
      filtered.Begin(scenario, target);
      every.Begin(scenario, target);
      engine.Run(scenario, faults, *random.value(), seed, {}, &both);
      const std::vector<std::string> got = DescribedViolations(filtered.All());
      EXPECT_EQ(got, DescribedViolations(every.All()))
          << "seed " << seed << ", faults " << (faults.empty() ? "-" : faults[0]);
      violations += got.size();
    }
  }
  if (!kAddressSanitizer) {
    EXPECT_GT(violations, 0u) << "no fault found anything: nothing compared";
  }
}

}  // namespace
}  // namespace gcs::testing
