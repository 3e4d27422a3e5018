// gcstress oracles — the default oracle set for a target.
#include <memory>

#include "harness/oracles/clean_error.h"
#include "harness/oracles/double_free.h"
#include "harness/oracles/finalizer.h"
#include "harness/oracles/leak.h"
#include "harness/oracles/oracle.h"
#include "harness/oracles/premature_collection.h"
#include "harness/oracles/refcount.h"
#include "harness/oracles/use_after_free.h"
#include "harness/oracles/wrong_vm.h"

namespace gcs {

std::vector<std::unique_ptr<Oracle>> MakeOracles(const Target& target,
                                                 const OracleOptions& options) {
  // One model for all: it is the expensive part, and every oracle reads the same state.
  auto shadow = std::make_shared<ShadowModel>();
  const bool full = target.FullEventStream();
  // Order-dependent judgements need the trace order to be the order things happened. In free
  // mode it is one linearization of parallel threads (a drop's pool-queue event can land after
  // the free its pool entry caused), so only order-independent checks run there: a second free,
  // a second finalizer, ownership, clean errors, and what is left after teardown.
  const bool ordered = !options.free_mode;
  std::vector<std::unique_ptr<Oracle>> out;
  out.push_back(std::make_unique<DoubleFreeOracle>(shadow, full, options));
  if (ordered) out.push_back(std::make_unique<UseAfterFreeOracle>(shadow, full, options));
  // Reachability is a claim about every holder: it needs a target that reports them all
  // (ReportsHolders); counts need every reference, the runtime's own too (FullEventStream):
  // without them a missing event would read as a bug.
  const bool holders = target.ReportsHolders();
  if (holders && ordered) {
    out.push_back(std::make_unique<PrematureCollectionOracle>(shadow, holders, options));
  }
  out.push_back(std::make_unique<LeakOracle>(shadow, full, options));
  if (full && ordered) out.push_back(std::make_unique<RefcountOracle>(shadow, full, options));
  out.push_back(std::make_unique<FinalizerOracle>(shadow, full, options));
  out.push_back(std::make_unique<WrongVmOracle>(shadow, full, options));
  out.push_back(std::make_unique<CleanErrorOracle>(shadow, full, options));
  return out;
}

}  // namespace gcs
