// gcstress runner — RunBatch: the iterations of one batch on one Executor, wherever it runs.
// Defined in harness/runner/executor.cc, beside the Executor it drives.
#pragma once

#include <cstdint>

#include "harness/runner/batch_executor.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"

namespace gcs {

// What only the place a batch runs in knows: the stop it was last told, and (fork mode) whether
// the process survived an execution.
class BatchControl {
 public:
  virtual ~BatchControl() = default;
  // True if iteration i must not start (BatchExecutor::SetStop). A hunt finishes what it was
  // asked for unless the run stopped below it: a leak it finds may be the lowest failure.
  virtual bool Stopped(uint64_t i, bool hunt) const = 0;
  // After each execution, before its result is reported (`reported`: not a silent calibration
  // re-run): false if the batch must end here, the control having said why (a child: a sanitizer
  // reported during it, or a hunt found its leak).
  virtual bool Survived(uint64_t i, const Execution& execution, bool reported) = 0;
};

// Runs `batch` of `scenario` on `executor`, reporting every iteration (as `slot`) to `events`
// in order: a violation in full the first time its signature comes up in the batch, by kind and
// signature after that; Exhausted when dfs covered its tree; Calibrated with the frozen spec at
// the end of a calibration that was not stopped. A hunt reports nothing (see Survived). It stops
// between iterations when control.Stopped says so. Returns false if it stopped because it must
// (it reported Errored, or Survived was false): the executor may not run another batch as if
// nothing happened. Ended is the caller's to report.
bool RunBatch(Executor& executor, const Scenario& scenario, const RunConfig& config, bool free_mode,
              const Batch& batch, uint32_t slot, BatchControl& control, BatchEvents& events);

}  // namespace gcs
