// gcstress tests — the fault table and FaultSet.
#include "core/faults.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gcs::core {
namespace {

TEST(FaultsTest, FiveSeedFaultsWithUniqueNames) {
  ASSERT_EQ(AllFaults().size(), 5u);
  std::set<std::string_view> names;
  for (const FaultInfo& f : AllFaults()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.help.empty());
    EXPECT_EQ(FaultFromName(f.name), f.fault);
    EXPECT_EQ(&GetFaultInfo(f.fault), &f);
  }
  EXPECT_TRUE(names.count("refpool-deferred-incref"));
  EXPECT_TRUE(names.count("vm-switch-stale-current"));
}

TEST(FaultsTest, UnknownNameIsNotAFault) {
  EXPECT_FALSE(FaultFromName("refpool").has_value());
  EXPECT_FALSE(FaultFromName("").has_value());
}

TEST(FaultsTest, FaultSetDefaultsToTheFixedCore) {
  FaultSet set;
  EXPECT_TRUE(set.Empty());
  EXPECT_EQ(set.ToString(), "");
  for (const FaultInfo& f : AllFaults())
    EXPECT_FALSE(set.Has(f.fault));
}

TEST(FaultsTest, FaultSetListsInDeclarationOrder) {
  FaultSet set;
  set.Enable(Fault::kVmSwitchStaleCurrent).Enable(Fault::kRefpoolDeferredIncref);
  EXPECT_TRUE(set.Has(Fault::kRefpoolDeferredIncref));
  EXPECT_FALSE(set.Has(Fault::kGcWorklistRace));
  EXPECT_EQ(set.ToString(), "refpool-deferred-incref,vm-switch-stale-current");
}

}  // namespace
}  // namespace gcs::core
