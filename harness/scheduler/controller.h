// gcstress scheduler — Controller: runs a program's threads one at a time under a Strategy.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "core/sched_hooks.h"
#include "harness/scheduler/fiber.h"
#include "harness/scheduler/handoff.h"
#include "harness/scheduler/recording_strategy.h"
#include "harness/scheduler/schedule.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// The deterministic executor.
//
// Exactly one thread of the program runs at any moment; the others are parked. A running thread
// gives up control only at a hook — Point, Wait, or the end of its body — and there the
// controller picks who runs next (asking the strategy iff two or more threads are runnable) and
// passes the baton. Every decision therefore depends only on the strategy, its seed and what the
// bodies do; how a thread is parked and resumed can delay a handoff but never change it.
//
// Two ways to give each program thread a context of its own (Threading), with the same decisions,
// the same schedule and the same trace:
//   kOsThreads  each runs on a real OS thread from a pool, parked on its HandoffSlot: thread-local
//               state in a real target (CPython's thread states) behaves as in production.
//   kFibers     each runs on a Fiber — a stack of its own — on the thread that called Run, and a
//               handoff is a user-space context switch instead of a futex wake, a futex wait and
//               a reschedule (DESIGN §9's handoff rate, and the fuzzer's cases per second, are
//               mostly that cost). For targets that keep no per-thread state.
//
// Thread states, within one execution:
//
//   disabled  not started and not yet allowed to: start_enabled[t] was false and nobody has
//             called Enable(t). Never scheduled. A thread still disabled when the execution ends
//             simply never ran — that is not a deadlock.
//   runnable  may be chosen at the next decision: either not started yet (its body begins when
//             chosen) or parked inside Point / a Wait that was signalled.
//   running   the one thread executing; it alone touches the controller's state. (Stored as a
//             runnable thread named by running_: it is still a candidate at its own points.)
//   blocked   parked in Wait(resource) until some thread calls Signal(resource).
//   finished  its body returned (or unwound).
//
//   disabled --Enable--> runnable <--decision--> running --Wait--> blocked --Signal--> runnable
//                                                running --body returns--> finished
//
// A decision happens at the start (which enabled thread runs first: current == kNoThread, site
// "start") and at every hook: in Point the running thread stays runnable; in Wait it is blocked;
// at the end of a body it is finished. If no thread is runnable then: all started
// threads finished -> kCompleted; some are blocked -> kDeadlock (live threads, none can run).
//
// Teardown. On deadlock, Abort() or a body throwing, the execution is torn down: every body still
// parked is resumed, one at a time in index order, and ExecutionAborted is thrown out of the
// Point/Wait it was parked in, so its stack unwinds through the body's own destructors. While
// tearing down, hooks called during that unwinding (a destructor doing a Point) return at once
// instead of throwing again. Run returns only when every body is back in the pool. A body must
// let ExecutionAborted propagate (catching it and calling hooks again just gets it thrown again).
class ExecutionAborted {};

struct BlockedThread {
  ThreadIndex thread = 0;
  core::ResourceId resource = 0;

  friend bool operator==(const BlockedThread&, const BlockedThread&) = default;
};

struct ExecutionResult {
  enum class Outcome { kCompleted, kDeadlock, kAborted };

  Outcome outcome = Outcome::kCompleted;
  Schedule schedule;                   // seed, strategy spec, every decision taken
  std::vector<BlockedThread> blocked;  // for kDeadlock: who waits on what, sorted by thread
  uint64_t points = 0;                 // schedule points passed (Point and Wait calls)
  bool strategy_exhausted = false;     // the strategy's EndExecution() returned false
};

// "completed", "deadlock", "aborted".
const char* OutcomeName(ExecutionResult::Outcome outcome);

// Sees every decision as it is made (for traces and timelines). Called by the running thread at
// each Point ("site" as given), Wait (site "wait") and body end (site "finish"), and by the Run
// caller for the first thread (site "start", from == kNoThread), with `to` the thread that runs
// next (== from when it keeps running). Not called when nobody is runnable.
class DecisionListener {
 public:
  virtual ~DecisionListener() = default;
  virtual void OnDecision(uint64_t point, const char* site, ThreadIndex from, ThreadIndex to) = 0;
};

enum class Threading : uint8_t { kOsThreads, kFibers };

// "os-threads", "fibers".
const char* ThreadingName(Threading threading);

class Controller final : public core::SchedHooks {
 public:
  // Upper bound on threads per execution (the pool never grows beyond it).
  static constexpr uint32_t kMaxThreads = 256;
  // A fiber's stack: what a thread gets by default on Linux (ulimit -s), mapped lazily.
  static constexpr size_t kFiberStackBytes = size_t{8} << 20;

  explicit Controller(Threading threading = Threading::kOsThreads);
  ~Controller() override;  // stops and joins the pool
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Runs body(t) for t in [0, n) on pool threads, one at a time, under `strategy`. Threads whose
  // start_enabled[t] is false do not start until some body calls Enable(t) (a worker being
  // spawned); an empty span means all start enabled. Which enabled thread starts first is the
  // first decision (current == kNoThread, site "start"). Calls
  // strategy.BeginExecution(seed, n) before and EndExecution() after. A body that throws
  // anything but ExecutionAborted aborts the execution and, once every body is back, the
  // exception is rethrown from here. Not reentrant; not callable from a body.
  ExecutionResult Run(uint32_t n, std::span<const bool> start_enabled, Strategy& strategy,
                      uint64_t seed, const std::function<void(ThreadIndex)>& body);

  // The hooks, callable only by the running thread of an execution (GCS_CHECK).
  // A schedule point: the strategy may switch to another runnable thread.
  void Point(const char* site) override;
  // Blocks the caller on `resource` and runs someone else; returns once it was signalled and
  // chosen again. With nobody left runnable it is a deadlock: ExecutionAborted is thrown.
  void Wait(core::ResourceId resource) override;
  // Makes every thread blocked on `resource` runnable. Never switches.
  void Signal(core::ResourceId resource) override;

  // Lets a disabled thread start (it becomes runnable; no switch). No-op if already enabled.
  void Enable(ThreadIndex thread);
  // The running thread has run a yield op (a place the program offers to let others run): tells
  // the strategy (Strategy::OnYield). No switch here: the next Point decides.
  void Yielded();
  // The running thread.
  ThreadIndex Current() const;
  // A draw from the strategy, recorded in the schedule like a thread choice.
  uint64_t NextU64();
  // Ends the execution from a body (outcome kAborted): throws ExecutionAborted here, and every
  // other parked body unwinds the same way. Do not call from a destructor.
  [[noreturn]] void Abort();

  // For traces; set between executions. nullptr to stop.
  void SetListener(DecisionListener* listener) { listener_ = listener; }

  // Points passed over the controller's lifetime; monotone, readable from any thread (a
  // watchdog compares two readings to tell a hung body from a slow one).
  uint64_t Progress() const;

  // OS threads or fibers in the pool (grows to the largest n run so far, then stays).
  size_t PoolSize() const { return pool_size_.load(std::memory_order_acquire); }
  Threading threading() const { return threading_; }

 private:
  // The running thread is not a state of its own: it is the runnable thread that holds the baton
  // (Worker::holds_baton), so that a switch between two runnable threads writes no shared field.
  enum class ThreadState : uint8_t { kDisabled, kRunnable, kBlocked, kFinished };

  struct Worker;
  struct ThreadSlot {
    ThreadState state = ThreadState::kDisabled;
    bool started = false;  // its body has begun (so it is parked in a hook unless finished)
    core::ResourceId waiting_on = 0;
  };

  void EnsurePool(uint32_t n);
  void ClearPool();
  static void FiberEntry(void* worker);
  void WorkerLoop(Worker& worker, uint64_t first_position);
  void RunBody(Worker& worker);
  Worker& CheckRunning() const;
  void SetState(ThreadIndex thread, ThreadState state);
  ThreadIndex Decide(ThreadIndex from, bool from_runnable, const char* site, uint64_t& position);
  void Dispatch(ThreadIndex thread, uint64_t position);
  // The baton. PassBaton gives it to a worker (nullptr: the Run caller) with the schedule
  // position; the passing context then calls AwaitBaton on its own slot, which returns the
  // position it is granted next. With fibers, the switch itself happens in AwaitBaton.
  void PassBaton(Worker* to, uint64_t position);
  uint64_t AwaitBaton(Worker* self);
  void ParkUntilDispatched(Worker& worker);
  void StartTeardown(ExecutionResult::Outcome outcome);
  void RecordDeadlock();
  void ContinueTeardown(uint64_t position);
  static void ThrowAbortedUnlessUnwinding();

  // The thread-local identity of a pool thread: which controller and which worker it is.
  static thread_local Worker* current_worker_;

  // What a handoff costs is not instructions but the cache lines the previous thread wrote and
  // the next one reads, each moved between cores. So nothing shared is written at a point: the
  // running thread is known by its own Worker, points are counted per Worker, the recorder
  // writes into the deciding thread's lane, and the schedule position — the one piece of state
  // that must follow control — travels in the HandoffSlot payload. A handoff moves one line, the
  // slot's, as in the raw ping-pong (plus whatever the strategy writes: nothing for round-robin,
  // a generator state for random and pct). The fields below are read at every point but written
  // only per execution or on rare events (block, wake, finish, abort).
  //
  // Execution state. Touched only by the thread holding the baton — the running thread, or the
  // Run() caller between executions; the handoff's release/acquire orders it, no lock needed.
  bool aborting_ = false;
  // Rebound to each Run's strategy, so that its lanes' buffers carry over from execution to
  // execution.
  RecordingStrategy recording_;
  std::vector<ThreadSlot> threads_;
  std::vector<ThreadIndex> runnable_;  // the kRunnable threads, ascending (kept by SetState)
  const std::function<void(ThreadIndex)>* body_ = nullptr;
  ExecutionResult::Outcome outcome_ = ExecutionResult::Outcome::kCompleted;
  std::vector<BlockedThread> blocked_;
  std::exception_ptr failure_;
  DecisionListener* listener_ = nullptr;
  uint64_t progress_at_start_ = 0;

  // The pool. Fixed-size storage so Progress() can read it from any thread while it grows.
  const Threading threading_;
  std::array<std::unique_ptr<Worker>, kMaxThreads> workers_;
  std::atomic<uint32_t> pool_size_{0};
  HandoffSlot caller_;  // kOsThreads: the thread inside Run() waits here for the execution to end
  // kFibers: the Run caller's own context, the thread whose stack the fibers were made on (a
  // fiber is only ever resumed there), and the grant that the next AwaitBaton switches to.
  std::unique_ptr<Fiber> caller_fiber_;
  std::thread::id fiber_thread_;
  Worker* grant_to_ = nullptr;  // nullptr: the Run caller
  uint64_t grant_position_ = 0;
  bool granted_ = false;
  bool shutdown_ = false;
  std::atomic<bool> in_run_{false};
};

}  // namespace gcs::sched
