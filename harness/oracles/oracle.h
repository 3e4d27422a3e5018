// gcstress oracles — Oracle: judges one execution from its trace and the target's final state.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "harness/engine/engine.h"
#include "harness/scenario/violation.h"

namespace gcs {

// How the executions an oracle judges are run.
struct OracleOptions {
  // Free mode (EngineOptions::free_mode): the scenario threads ran truly in parallel, so the
  // trace is one linearization of concurrent events (not the order they happened in) and the
  // target may not be queried while they run. Only order-independent checks run: a second free
  // or finalizer, VM ownership, clean errors, and what is alive after teardown. Pass it whenever
  // the engine runs in free mode: the ordered checks would report artifacts of the linearization.
  bool free_mode = false;
};

class ShadowModel;

// Told of every violation as an oracle finds it, during the execution (in free mode under the
// recorder's lock). The isolation layer keeps the most severe in the progress page, so that a
// process that dies later in the execution still gets the oracles' verdict (isolation/
// post_mortem.h): what they found came first.
class ViolationSink {
 public:
  virtual ~ViolationSink() = default;
  virtual void OnViolation(const Violation& violation) = 0;
};

// The trace entries an oracle looks at: entry kinds, and of kEvent entries the event kinds.
// OracleSet hands each oracle only the entries it names (in order, with their trace indices);
// leaving the others out must not change its verdict. An event kind the target made up (beyond
// core/events.def) reaches every oracle.
class EntryInterest {
 public:
  static EntryInterest All();
  EntryInterest& Entry(TraceEntry::Kind kind);
  EntryInterest& Event(core::EventKind kind);
  EntryInterest& AllEvents();
  bool Wants(const TraceEntry& entry) const;

 private:
  uint32_t entries_ = 0;  // bit per TraceEntry::Kind other than kEvent
  uint64_t events_ = 0;   // bit per core::EventKind
};

// Oracles find bugs only by what the target does — its events, its step results, its answers
// to Inspect/LiveObjects — never by knowing which fault is switched on. One Oracle object is
// reused across executions: Begin resets it.
//
// Contract: Begin(scenario, target) before each execution; then OnEntry for every trace entry in
// order (ExecutionObserver; in free mode under the recorder's lock); then, if the execution was
// torn down, AfterTeardown; then Violations/Result. OnEntry runs on the hot path: O(1) amortized
// per entry. An OracleSet calls JudgeEntry instead, for the entries Interest() names only.
class Oracle : public ExecutionObserver {
 public:
  virtual std::string_view Name() const = 0;
  virtual void Begin(const Scenario& scenario, Target& target) = 0;
  virtual EntryInterest Interest() const { return EntryInterest::All(); }
  // The model this oracle judges against, if it may be shared with others of a set: OracleSet
  // has it take every entry once, after every oracle has judged the entry. nullptr: none.
  virtual ShadowModel* SharedModel() { return nullptr; }
  // Entry `index` of the trace, one Interest() names; SharedModel() reflects every entry before it.
  virtual void JudgeEntry(size_t index, const TraceEntry& entry) {
    (void)index;
    OnEntry(entry);
  }
  // Every violation found in the current execution, in the order found (bounded per oracle).
  virtual std::vector<Violation> Violations() const = 0;
  // The first violation found in the current execution (lowest trace_index), if any.
  std::optional<Violation> Result() const;

  // Where violations go as they are found (nullptr: nowhere); set between executions.
  void SetSink(ViolationSink* sink) { sink_ = sink; }

 protected:
  ViolationSink* sink() const { return sink_; }

 private:
  ViolationSink* sink_ = nullptr;
};

// The default oracle set for a target (oracle_set.cc): every oracle when the target
// reports a full event stream; otherwise those that judge only what is reported (a missing event
// must never look like a bug). The oracles of one set share one ShadowModel.
std::vector<std::unique_ptr<Oracle>> MakeOracles(const Target& target,
                                                 const OracleOptions& options = {});

}  // namespace gcs
