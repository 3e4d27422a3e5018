// gcstress engine — Trace: every step, core event and schedule decision of one execution.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/observer.h"
#include "harness/scenario/scenario.h"
#include "harness/target/target.h"

namespace gcs {

// One line of the story. Entries are appended in the order things happened; in deterministic
// mode that order is a pure function of (scenario, strategy, seed, target, faults).
struct TraceEntry {
  enum class Kind : uint8_t {
    kDecision,      // the scheduler passed control: thread -> to, at `site`
    kThreadStart,   // a scenario thread's body began
    kStepBegin,     // thread starts step `step`
    kStepEnd,       // ... and finished it: `error` empty (ok) or the target's error name
    kStepSkipped,   // skipped: `error` says why; `var` names the unbound variable, if that was it
    kThreadStop,    // the thread stopped before step `step`: its worker was terminated
    kThreadEnd,     // the body returned
    kEvent,         // a target event (`event`)
    kDiscard,       // the scenario lets go of `var`'s value (drop, rebinding or teardown);
                    // recorded before the target releases it
    kTeardown,      // teardown begins (single-threaded from here on)
    kDiscardError,  // the target refused to release `var`'s value: `error`
  };
  Kind kind = Kind::kEvent;
  uint32_t thread = 0;  // scenario thread index; == threads.size() for teardown
  uint32_t step = 0;    // step index within the thread
  uint32_t to = 0;      // kDecision: the thread that runs next
  VarId var = kNoVar;   // kStepSkipped, kDiscard, kStepEnd (the bound "as" variable)
  const char* site = "";
  std::string_view error;  // kStepEnd, kDiscardError: the target's error name; kStepSkipped: why
  Value value;             // kStepEnd: the value bound; kDiscard: the value let go
  core::Event event;       // kEvent
};

inline constexpr int kTraceEntryKindCount = static_cast<int>(TraceEntry::Kind::kDiscardError) + 1;

struct Trace {
  std::vector<TraceEntry> entries;
};

std::string_view TraceKindName(TraceEntry::Kind kind);

// One line per entry, deterministic: no addresses, no times.
//   d t0 -> t1 @reference_pool.apply
//   t1 step 2 begin: clone obj -> c
//   t1   incref #7 vm0 value=2 @runtime.clone
//   t1 step 2 ok -> c=#7
//   t1 step 3 skipped: c unbound
// `torn_down`: whether the trace has reached its kTeardown entry (at or before this one). The
// runtime's own thread (index threads.size()) is "setup" before it (the target building its VMs)
// and "teardown" from it on.
std::string FormatTraceEntry(const Scenario& scenario, const TraceEntry& entry, bool torn_down);
std::string FormatTrace(const Scenario& scenario, const Trace& trace);
// FormatTraceEntry of every entry, in order.
std::vector<std::string> FormatTraceLines(const Scenario& scenario, const Trace& trace);
// A trace thread's name: the scenario thread's, or "setup"/"teardown" for the runtime's own.
std::string TraceThreadName(const Scenario& scenario, uint32_t thread, bool torn_down);
// One core event on a line: "incref #7 vm0 value=2 @runtime.clone".
std::string FormatEvent(const core::Event& event);

}  // namespace gcs
