// gcstress runner — batches of iterations run by a child process in fork mode, and the messages
// it and its parent exchange.
// Defined in harness/runner/child_executor.cc, beside the parent's side (ChildExecutor).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/isolation/child_process.h"
#include "harness/isolation/progress_page.h"
#include "harness/isolation/wire.h"
#include "harness/runner/batch_executor.h"
#include "harness/runner/executor.h"
#include "harness/runner/run_config.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"

namespace gcs {

// Child -> parent. Payloads start with the iteration (u64) unless said otherwise.
enum class BatchMessage : uint8_t {
  kPass,        // the iteration passed
  kFailure,     // it failed, with a signature this child had not sent yet: + Violation, Execution
  kViolation,   // it failed again with a signature sent before: + kind (u8), signature (str)
  kError,       // the harness failed in it: + message (str); the child stops
  kExhausted,   // no iteration: the exploring strategy has nothing left
  kCalibrated,  // no iteration: the frozen spec (str)
  kReported,    // a sanitizer report came during it: + Execution; the child stops, the parent
                // classifies the report from the page and the stderr it captured
  kReplayed,    // ReExecution (isolated_replay.h): + verdict flag, Violation, Execution,
                // diverged_at flag and value
  kLeaked,      // the batch-end LeakSanitizer check found a leak in iterations [begin, after)
                // (+ after: the iteration after the last one run); the child stops
  kIdle,        // no iteration: the batch ended without a reason to end the child, which waits
                // for its next batch
};

// Parent -> child (ServeBatches).
enum class BatchCommand : uint8_t {
  // + the scenario's serial (u64), its JSON text (str: "" if the child holds that serial
  // already), the Batch (PutBatch)
  kRun,
};

// Encoding of a Batch (kRun payload after the scenario).
void PutBatch(isolation::WireWriter& w, const Batch& batch);
bool GetBatch(isolation::WireReader& r, Batch* out);

// The child's side of a run: builds its own target (factory), executor and page monitor, runs
// `batch` of `scenario` (numbered `serial` by the parent) with RunBatch (batch_loop.h) and sends
// one message per iteration (the BatchEvents it reports, on the wire). It
// stops early, between iterations, when the page's stop_at or halt tells it to (a hunt obeys
// stop_at only), and after a kError or kReported; a batch that ran to its end or stopped checks
// for leaks. Then, unless it must end (it sent kError, kReported or kLeaked: a fresh child
// follows), it sends kIdle and waits for the next batch (BatchCommand::kRun) — of the scenario it
// holds, or of one sent as JSON, read with `load_options` — and runs it the same way on the same
// target and executor, until the parent closes the channel: a fork per batch would cost more
// than a short batch (a generated search's 20 iterations) takes to run. Every batch runs exactly
// as it would in a child of its own, so nothing a run reports depends on which child ran what.
// It names each scenario on the page as it starts on it (PageRegion::SetScenario). `region` is
// the page shared with the parent. Returns the exit status (0).
int ServeBatches(isolation::MessageSink& sink, isolation::CommandSource& commands,
                 isolation::PageRegion& region, const RunConfig& config,
                 const TargetFactory& factory, bool free_mode, const LoadOptions& load_options,
                 uint64_t serial, const Scenario& scenario, const Batch& batch);

// Encoding of a Failure's verdict and execution (kFailure payload after the iteration).
void PutFailure(isolation::WireWriter& w, const Violation& violation, const Execution& execution);
// Decodes it into `out` (iteration set by the caller); false if malformed.
bool GetFailure(isolation::WireReader& r, Failure* out);

}  // namespace gcs
