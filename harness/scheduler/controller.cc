// gcstress scheduler — Controller: the thread pool, the decision at every hook, and teardown.
#include "harness/scheduler/controller.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "core/check.h"

namespace gcs::sched {

// A pool thread or fiber. Worker w runs thread index w of every execution; it waits for the
// baton both between executions (in WorkerLoop) and while parked inside a hook (in
// ParkUntilDispatched). The controller passes it the baton exactly when it makes this thread the
// running one (or, for an OS thread, at shutdown), so one slot serves both places.
struct Controller::Worker {
  // Written only by this worker's own thread (points is also read by watchdogs).
  Controller* controller = nullptr;
  ThreadIndex index = 0;
  bool holds_baton = false;         // this thread is the running one
  uint64_t position = 0;            // while holding the baton: next schedule position
  std::atomic<uint64_t> points{0};  // hooks passed, over the controller's lifetime
  HandoffSlot slot;                 // kOsThreads: its own 128-byte block (alignas)
  std::thread thread;               // kOsThreads
  std::unique_ptr<Fiber> fiber;     // kFibers
};

thread_local Controller::Worker* Controller::current_worker_ = nullptr;

const char* OutcomeName(ExecutionResult::Outcome outcome) {
  switch (outcome) {
    case ExecutionResult::Outcome::kCompleted:
      return "completed";
    case ExecutionResult::Outcome::kDeadlock:
      return "deadlock";
    case ExecutionResult::Outcome::kAborted:
      return "aborted";
  }
  return "?";
}

const char* ThreadingName(Threading threading) {
  return threading == Threading::kFibers ? "fibers" : "os-threads";
}

Controller::Controller(Threading threading) : threading_(threading) {}

Controller::~Controller() {
  GCS_CHECK_MSG(!in_run_.load(), "Controller destroyed during Run");
  ClearPool();
}

void Controller::ClearPool() {
  const uint32_t size = pool_size_.load();
  if (threading_ == Threading::kOsThreads) {
    // Every worker is idle in WorkerLoop's Await; the grant publishes shutdown_ to it.
    shutdown_ = true;
    for (uint32_t i = 0; i < size; ++i)
      workers_[i]->slot.Grant();
    for (uint32_t i = 0; i < size; ++i)
      workers_[i]->thread.join();
  }
  // A fiber between executions is suspended in WorkerLoop with nothing on its stack to destroy,
  // so it is simply dropped.
  pool_size_.store(0);
  for (uint32_t i = 0; i < size; ++i)
    workers_[i].reset();
  caller_fiber_.reset();
}

void Controller::EnsurePool(uint32_t n) {
  if (threading_ == Threading::kFibers) {
    // A fiber runs only on the thread it was made on; a Run from another thread gets a new pool.
    if (caller_fiber_ != nullptr && fiber_thread_ != std::this_thread::get_id()) ClearPool();
    if (caller_fiber_ == nullptr) {
      caller_fiber_ = std::make_unique<Fiber>();
      fiber_thread_ = std::this_thread::get_id();
    }
  }
  for (uint32_t i = pool_size_.load(std::memory_order_relaxed); i < n; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->controller = this;
    worker->index = i;
    Worker* raw = worker.get();
    workers_[i] = std::move(worker);
    if (threading_ == Threading::kOsThreads) {
      raw->thread = std::thread([this, raw] { WorkerLoop(*raw, raw->slot.Await()); });
    } else {
      raw->fiber = std::make_unique<Fiber>(kFiberStackBytes, &Controller::FiberEntry, raw);
    }
    pool_size_.store(i + 1, std::memory_order_release);  // publishes workers_[i] to Progress()
  }
}

void Controller::FiberEntry(void* worker) {
  auto& self = *static_cast<Worker*>(worker);
  Controller& controller = *self.controller;
  // Arrived by the first switch to this fiber: take the grant that caused it.
  GCS_CHECK(controller.granted_ && controller.grant_to_ == &self);
  controller.granted_ = false;
  current_worker_ = &self;
  controller.WorkerLoop(self, controller.grant_position_);
}

uint64_t Controller::Progress() const {
  // Each counter only grows, so a sum of later readings is never below a sum of earlier ones.
  uint64_t total = 0;
  const uint32_t size = pool_size_.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < size; ++i)
    total += workers_[i]->points.load(std::memory_order_relaxed);
  return total;
}

void Controller::WorkerLoop(Worker& worker, uint64_t first_position) {
  current_worker_ = &worker;
  for (uint64_t position = first_position; !shutdown_; position = AwaitBaton(&worker)) {
    worker.position = position;
    worker.holds_baton = true;
    RunBody(worker);
    // RunBody passed the baton on; from here until the next grant this thread must not touch
    // any controller state.
  }
}

ExecutionResult Controller::Run(uint32_t n, std::span<const bool> start_enabled, Strategy& strategy,
                                uint64_t seed, const std::function<void(ThreadIndex)>& body) {
  GCS_CHECK_MSG(current_worker_ == nullptr, "Controller::Run called from inside a body");
  GCS_CHECK_MSG(!in_run_.exchange(true), "Controller::Run is not reentrant");
  GCS_CHECK(n <= kMaxThreads);
  GCS_CHECK(start_enabled.empty() || start_enabled.size() == n);
  EnsurePool(n);

  recording_.Rebind(strategy);
  recording_.BeginExecution(seed, n);
  threads_.assign(n, ThreadSlot{});
  runnable_.clear();
  runnable_.reserve(n);
  for (ThreadIndex t = 0; t < n; ++t) {
    if (start_enabled.empty() || start_enabled[t]) SetState(t, ThreadState::kRunnable);
  }
  body_ = &body;
  aborting_ = false;
  outcome_ = ExecutionResult::Outcome::kCompleted;
  blocked_.clear();
  failure_ = nullptr;
  progress_at_start_ = Progress();

  // The caller holds the baton until the first Dispatch, so it may decide like a running thread;
  // the baton comes back, with the final schedule position, from whoever ends the execution.
  uint64_t position = 0;
  const ThreadIndex first = Decide(kNoThread, /*from_runnable=*/false, "start", position);
  if (first != kNoThread) {
    Dispatch(first, position);
    position = AwaitBaton(nullptr);
  }

  ExecutionResult result;
  result.outcome = outcome_;
  result.blocked = std::move(blocked_);
  result.points = Progress() - progress_at_start_;
  recording_.OnExecutionPoints(result.points);
  result.strategy_exhausted = !recording_.EndExecution();
  result.schedule = recording_.TakeSchedule();
  GCS_CHECK(result.schedule.decisions.size() == position);
  body_ = nullptr;
  blocked_.clear();
  std::exception_ptr failure = std::exchange(failure_, nullptr);
  in_run_.store(false);
  if (failure) std::rethrow_exception(failure);
  return result;
}

void Controller::RunBody(Worker& worker) {
  const ThreadIndex thread = worker.index;
  try {
    (*body_)(thread);
  } catch (const ExecutionAborted&) {
    // Normal teardown; or the body threw it itself, which we take as an Abort().
    if (!aborting_) StartTeardown(ExecutionResult::Outcome::kAborted);
  } catch (...) {
    if (!failure_) failure_ = std::current_exception();
    if (!aborting_) StartTeardown(ExecutionResult::Outcome::kAborted);
  }
  SetState(thread, ThreadState::kFinished);
  if (aborting_) return ContinueTeardown(worker.position);

  const ThreadIndex next = Decide(thread, /*from_runnable=*/false, "finish", worker.position);
  if (next != kNoThread) return Dispatch(next, worker.position);
  for (const ThreadSlot& slot : threads_) {
    if (slot.state == ThreadState::kBlocked) {
      RecordDeadlock();
      return ContinueTeardown(worker.position);
    }
  }
  PassBaton(nullptr, worker.position);  // every started thread finished: complete
}

Controller::Worker& Controller::CheckRunning() const {
  Worker* worker = current_worker_;
  GCS_CHECK_MSG(worker != nullptr && worker->controller == this && worker->holds_baton,
                "scheduler hook called by a thread this controller is not running");
  return *worker;
}

void Controller::SetState(ThreadIndex thread, ThreadState state) {
  // runnable_ changes only here, on the rare events (start, block, wake, enable, finish), so
  // between them every decision reads it without writing anything.
  ThreadSlot& slot = threads_[thread];
  const bool was = slot.state == ThreadState::kRunnable;
  const bool is = state == ThreadState::kRunnable;
  slot.state = state;
  if (was == is) return;
  const auto at = std::lower_bound(runnable_.begin(), runnable_.end(), thread);
  if (is) {
    runnable_.insert(at, thread);
  } else {
    GCS_CHECK(at != runnable_.end() && *at == thread);
    runnable_.erase(at);
  }
}

ThreadIndex Controller::Decide(ThreadIndex from, bool from_runnable, const char* site,
                               uint64_t& position) {
  GCS_CHECK(!from_runnable || threads_[from].state == ThreadState::kRunnable);
  if (runnable_.empty()) return kNoThread;
  ThreadIndex next = runnable_.front();
  if (runnable_.size() >= 2) {
    const uint32_t lane = from == kNoThread ? 0 : from;  // the deciding thread's own log
    next = recording_.NextThreadAt(position++, lane, runnable_, from, from_runnable);
  }
  if (listener_ != nullptr) {
    listener_->OnDecision(Progress() - progress_at_start_, site, from, next);
  }
  return next;
}

void Controller::Dispatch(ThreadIndex thread, uint64_t position) {
  ThreadSlot& slot = threads_[thread];
  GCS_CHECK(slot.state == ThreadState::kRunnable ||
            (aborting_ && slot.started && slot.state == ThreadState::kBlocked));
  if (!slot.started) slot.started = true;  // written once: keep the line clean on later switches
  PassBaton(workers_[thread].get(), position);
}

void Controller::PassBaton(Worker* to, uint64_t position) {
  if (Worker* self = current_worker_) self->holds_baton = false;
  if (threading_ == Threading::kFibers) {
    GCS_CHECK(!granted_);
    granted_ = true;
    grant_to_ = to;
    grant_position_ = position;
    return;
  }
  // Last access: the granted thread owns the state now.
  (to != nullptr ? to->slot : caller_).Grant(position);
}

uint64_t Controller::AwaitBaton(Worker* self) {
  if (threading_ == Threading::kOsThreads) return (self != nullptr ? self->slot : caller_).Await();
  GCS_CHECK(granted_);
  Fiber& from = self != nullptr ? *self->fiber : *caller_fiber_;
  Fiber& to = grant_to_ != nullptr ? *grant_to_->fiber : *caller_fiber_;
  if (&from != &to) Fiber::Switch(from, to);
  // Resumed (or never left: the baton came straight back): take our grant.
  GCS_CHECK(granted_ && grant_to_ == self);
  granted_ = false;
  current_worker_ = self;
  return grant_position_;
}

void Controller::ParkUntilDispatched(Worker& worker) {
  worker.position = AwaitBaton(&worker);
  worker.holds_baton = true;
  // If it was the teardown that resumed us, unwind.
  if (aborting_) ThrowAbortedUnlessUnwinding();
}

void Controller::ThrowAbortedUnlessUnwinding() {
  // Throwing while an exception is already propagating would call std::terminate; a hook reached
  // from a destructor during unwinding just returns and lets the unwinding finish.
  if (std::uncaught_exceptions() == 0) throw ExecutionAborted{};
}

void Controller::Point(const char* site) {
  Worker& self = CheckRunning();
  if (aborting_) return ThrowAbortedUnlessUnwinding();
  // Only this thread writes its counter, so load+store is enough (no locked RMW); relaxed because
  // a watchdog only needs to see it move.
  self.points.store(self.points.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  const ThreadIndex next = Decide(self.index, /*from_runnable=*/true, site, self.position);
  if (next == self.index) return;
  Dispatch(next, self.position);  // we stay kRunnable: we just no longer hold the baton
  ParkUntilDispatched(self);
}

void Controller::Wait(core::ResourceId resource) {
  Worker& self = CheckRunning();
  if (aborting_) return ThrowAbortedUnlessUnwinding();
  self.points.store(self.points.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  threads_[self.index].waiting_on = resource;
  SetState(self.index, ThreadState::kBlocked);
  const ThreadIndex next = Decide(self.index, /*from_runnable=*/false, "wait", self.position);
  if (next != kNoThread) {
    Dispatch(next, self.position);
    return ParkUntilDispatched(self);
  }
  // Nobody can run: a deadlock, reported with the caller among the blocked. The caller unwinds
  // first (it holds the baton; its state stays kBlocked until RunBody marks it finished), then
  // RunBody resumes the other parked bodies.
  RecordDeadlock();
  ThrowAbortedUnlessUnwinding();
}

void Controller::Signal(core::ResourceId resource) {
  CheckRunning();
  const auto n = static_cast<ThreadIndex>(threads_.size());
  for (ThreadIndex t = 0; t < n; ++t) {
    if (threads_[t].state == ThreadState::kBlocked && threads_[t].waiting_on == resource) {
      SetState(t, ThreadState::kRunnable);
    }
  }
}

void Controller::Enable(ThreadIndex thread) {
  CheckRunning();
  GCS_CHECK_MSG(thread < threads_.size(), "Enable of a thread outside the execution");
  if (threads_[thread].state == ThreadState::kDisabled) SetState(thread, ThreadState::kRunnable);
}

void Controller::Yielded() {
  Worker& self = CheckRunning();
  recording_.OnYield(self.index);
}

ThreadIndex Controller::Current() const {
  return CheckRunning().index;
}

uint64_t Controller::NextU64() {
  Worker& self = CheckRunning();
  return recording_.NextU64At(self.position++, self.index);
}

void Controller::Abort() {
  CheckRunning();
  if (!aborting_) StartTeardown(ExecutionResult::Outcome::kAborted);
  throw ExecutionAborted{};
}

void Controller::StartTeardown(ExecutionResult::Outcome outcome) {
  outcome_ = outcome;
  aborting_ = true;
}

void Controller::RecordDeadlock() {
  blocked_.clear();
  const auto n = static_cast<ThreadIndex>(threads_.size());
  for (ThreadIndex t = 0; t < n; ++t) {
    if (threads_[t].state == ThreadState::kBlocked) blocked_.push_back({t, threads_[t].waiting_on});
  }
  StartTeardown(ExecutionResult::Outcome::kDeadlock);
}

void Controller::ContinueTeardown(uint64_t position) {
  // Resume the lowest parked body; it throws out of its hook, unwinds, and comes back through
  // RunBody to here. When none is left, the execution is over.
  const auto n = static_cast<ThreadIndex>(threads_.size());
  for (ThreadIndex t = 0; t < n; ++t) {
    const ThreadSlot& slot = threads_[t];
    if (slot.started && slot.state != ThreadState::kFinished) return Dispatch(t, position);
  }
  PassBaton(nullptr, position);
}

}  // namespace gcs::sched
