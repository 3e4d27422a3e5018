// gcstress isolation — ProgressPage: where a running execution stands, in memory its watcher can
// read even after the process running it died.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/schedule.h"

// Why a page. A child process that segfaults, aborts or is SIGKILLed by the watchdog takes its
// heap with it: whatever it knew about the execution it was running is gone. So it keeps that
// knowledge, as it goes, in a mapping shared with its parent (MAP_SHARED|MAP_ANONYMOUS, made
// before fork): the parent reads the page of a dead child and knows the iteration, the seed, the
// exact schedule decisions taken so far, where each thread was, and what killed it. In-process
// (--no-fork) the same page, privately mapped, is what the watchdog thread reads.
//
// Layout of one mapping (RegionBytes() long; only the pages written are ever touched):
//
//   Header            control words from the parent (stop_at, halt); the execution's position
//                     (iteration, seed, state, progress, running thread, strategy spec); the first
//                     fatal event (sanitizer summary line, signal, backtrace) and where it struck
//   ThreadSlot[256]   per scenario thread: OS tid, state (not started, in a step, between steps,
//                     finished) and its current step
//   DecisionWord[]    the execution's schedule decisions in the order taken, as RecordingStrategy
//                     records them; capacity = what is left of the mapping
//
// Writers. Everything but stop_at and halt is written by the process running the executions —
// in deterministic mode by the one running thread, in free mode under the engine's recorder
// lock, the fatal-event fields by a signal handler or sanitizer hook that claims them once.
// stop_at and halt are written only by the watcher. Fields a watcher reads while executions run
// (progress, state, iteration, thread slots, the control words) are relaxed atomics: a watcher
// needs a recent value, never a consistent snapshot. The decision log and the fatal-event fields
// are read only once the writer is dead or stopped.

namespace gcs::isolation {

// Where an execution is. kIdle between executions.
enum class ExecState : uint32_t { kIdle, kSetup, kSteps, kTeardown, kJudge };
// "idle", "setup", "step", "teardown", "judge" — also the `phase` of death verdicts.
std::string_view ExecStateName(ExecState state);

enum class ThreadState : uint32_t { kNotStarted, kInStep, kBetweenSteps, kFinished };

inline constexpr uint32_t kNoThreadIndex = ~uint32_t{0};
inline constexpr uint64_t kNoIteration = ~uint64_t{0};

struct ThreadSlot {
  std::atomic<uint32_t> state{0};
  std::atomic<uint32_t> step{0};
  std::atomic<int32_t> tid{0};
  uint32_t unused = 0;
};

// The first fatal event of the process: a sanitizer report or a fatal signal, whichever came
// first, and where the execution stood when it struck.
struct FatalEvent {
  std::atomic<uint32_t> claimed{0};  // 0 free, 1 being written, 2 complete
  int32_t signal = 0;                // a fatal signal's number; 0 for a sanitizer report
  uint32_t exec_state = 0;           // ExecState at that moment
  uint32_t thread = kNoThreadIndex;  // the scenario thread whose OS thread it struck, if any
  uint32_t thread_state = 0;         // that thread's ThreadState and step then
  uint32_t step = 0;
  uint32_t running = kNoThreadIndex;  // deterministic mode: the thread holding the baton
  uint32_t backtrace_depth = 0;
  uintptr_t backtrace[48] = {};
};

// The most severe violation the oracles had found in the running execution so far, kept as they
// find them (ExecutionMonitor::OnViolation). If the process then dies in the same execution — a
// target touching the memory whose early free the oracles just reported — that finding is the
// verdict when it is more severe than the death's (PostMortem). Written by the executing process
// only.
struct OracleFinding {
  static constexpr size_t kMaxText = 512;
  std::atomic<uint32_t> state{0};  // 0 none in this execution, 1 being written, 2 complete
  uint32_t kind = 0;               // ViolationKind
  uint32_t thread = 0;
  uint32_t step = 0;
  uint64_t obj = 0;
  uint64_t trace_index = 0;
  uint32_t op_length = 0, phase_length = 0, site_length = 0, message_length = 0;
  char op[64] = {};
  char phase[32] = {};
  char site[128] = {};
  char message[kMaxText] = {};
};

struct ProgressPage {
  static constexpr uint64_t kMagic = 0x6763737061676531;  // "gcspage1"
  static constexpr uint32_t kMaxThreads = 256;
  static constexpr size_t kMaxSpec = 192;
  static constexpr size_t kMaxSummary = 512;
  static constexpr size_t kMaxScenarioName = 128;

  uint64_t magic = kMagic;
  // --- written by the watcher: start no iteration above stop_at; start none at all if halt.
  std::atomic<uint64_t> stop_at{kNoIteration};
  std::atomic<uint32_t> halt{0};
  // --- the scenario whose executions the process runs: the serial number its watcher gave it
  // (0: none yet) and its name, set before the first of them. A process that serves many
  // scenarios in turn (fork mode's batch children) names each as it starts on it, so that a death
  // is attributed to the scenario the process was really running.
  std::atomic<uint64_t> scenario{0};
  std::atomic<uint32_t> scenario_name_length{0};
  char scenario_name[kMaxScenarioName] = {};
  // --- the execution.
  std::atomic<uint64_t> iteration{kNoIteration};
  std::atomic<uint64_t> seed{0};
  std::atomic<uint32_t> state{0};                 // ExecState
  std::atomic<uint64_t> progress{0};              // monotone: trace entries + decisions
  std::atomic<uint32_t> running{kNoThreadIndex};  // deterministic mode: who runs
  std::atomic<uint32_t> num_threads{0};
  // decisions and spec_length are stored with release after the log entry or spec bytes they
  // publish, and loaded with acquire, so an in-process watchdog reading them reads those bytes
  // after they were written.
  std::atomic<uint64_t> decisions{0};  // entries in the log (may exceed capacity)
  std::atomic<uint32_t> spec_length{0};
  char spec[kMaxSpec] = {};  // the strategy spec after BeginExecution
  // --- sanitizer reports seen by this process (ever), and the first one's summary line.
  std::atomic<uint32_t> reports{0};
  std::atomic<uint32_t> summary_length{0};
  char summary[kMaxSummary] = {};
  FatalEvent fatal;
  OracleFinding finding;
  ThreadSlot threads[kMaxThreads];
};

// One mapping: a ProgressPage and its decision log.
class PageRegion {
 public:
  static constexpr size_t kDefaultBytes = size_t{16} << 20;  // ~1M decisions

  // shared: MAP_SHARED (made before fork, seen by parent and child); else private.
  static Expected<PageRegion> Create(bool shared, size_t bytes = kDefaultBytes);
  PageRegion(PageRegion&& other) noexcept;
  PageRegion& operator=(PageRegion&& other) noexcept;
  PageRegion(const PageRegion&) = delete;
  PageRegion& operator=(const PageRegion&) = delete;
  ~PageRegion();

  ProgressPage& page() const { return *page_; }
  size_t DecisionCapacity() const { return capacity_; }

  // The whole page back to its initial state (the watcher, before it starts a child).
  void Reset();

  // --- the writer's side: the scenario its next executions are of (its serial and name) ...
  void SetScenario(uint64_t serial, std::string_view name);
  // ... and per execution.
  // A new execution: state kSetup, no decisions, every thread slot cleared.
  void BeginExecution(uint64_t seed, uint32_t num_threads);
  void SetSpec(std::string_view spec);
  void AppendDecision(const sched::Decision& decision);
  // Keeps `v` as the execution's finding if none is kept yet or it is more severe (a lower kind).
  void NoteFinding(const Violation& v);

  // --- the reader's side.
  // The schedule recorded so far; false if more decisions were taken than fit (then `out` holds
  // the ones that did).
  bool ReadSchedule(sched::Schedule* out) const;
  std::string Spec() const;
  std::string Summary() const;
  std::string ScenarioName() const;
  // The execution's finding, if one was kept (complete).
  std::optional<Violation> Finding() const;

 private:
  PageRegion(ProgressPage* page, size_t bytes);
  struct DecisionWord {
    uint64_t kind;
    uint64_t value;
  };
  DecisionWord* log() const;

  ProgressPage* page_ = nullptr;
  size_t bytes_ = 0;
  size_t capacity_ = 0;
};

// Copies `text` into a fixed field, truncating; returns the length stored. Async-signal-safe.
uint32_t CopyBounded(char* field, size_t capacity, const char* text, size_t length);

}  // namespace gcs::isolation
