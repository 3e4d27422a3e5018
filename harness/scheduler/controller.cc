// gcstress scheduler — Controller: the thread pool, the decision at every hook, and teardown.
#include "harness/scheduler/controller.h"

#include <array>
#include <thread>
#include <utility>

#include "core/check.h"

namespace gcs::sched {

// A pool thread. Worker w runs thread index w of every execution; it waits on `slot` both
// between executions (in WorkerLoop) and while parked inside a hook (in ParkUntilDispatched).
// The controller grants the slot exactly when it makes this thread the running one (or at
// shutdown), so one slot serves both places.
struct Controller::Worker {
  Controller* controller = nullptr;
  ThreadIndex index = 0;
  HandoffSlot slot;
  std::thread thread;
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

Controller::Controller() = default;

Controller::~Controller() {
  GCS_CHECK_MSG(!in_run_.load(), "Controller destroyed during Run");
  // Every worker is idle in WorkerLoop's Await; the grant publishes shutdown_ to it.
  shutdown_ = true;
  for (auto& worker : workers_)
    worker->slot.Grant();
  for (auto& worker : workers_)
    worker->thread.join();
}

void Controller::EnsurePool(uint32_t n) {
  while (workers_.size() < n) {
    auto worker = std::make_unique<Worker>();
    worker->controller = this;
    worker->index = static_cast<ThreadIndex>(workers_.size());
    Worker* raw = worker.get();
    worker->thread = std::thread([this, raw] { WorkerLoop(*raw); });
    workers_.push_back(std::move(worker));
  }
}

void Controller::WorkerLoop(Worker& worker) {
  current_worker_ = &worker;
  for (;;) {
    worker.slot.Await();
    if (shutdown_) return;
    RunBody(worker.index);
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

  recording_.emplace(strategy);
  recording_->BeginExecution(seed, n);
  threads_.assign(n, ThreadSlot{});
  for (ThreadIndex t = 0; t < n; ++t) {
    const bool enabled = start_enabled.empty() || start_enabled[t];
    threads_[t].state = enabled ? ThreadState::kRunnable : ThreadState::kDisabled;
  }
  body_ = &body;
  aborting_ = false;
  outcome_ = ExecutionResult::Outcome::kCompleted;
  blocked_.clear();
  failure_ = nullptr;
  progress_at_start_ = Progress();

  // The caller holds the baton until the first Dispatch, so it may decide like a running thread.
  const ThreadIndex first = Decide(kNoThread, /*from_runnable=*/false, "start");
  if (first != kNoThread) {
    Dispatch(first);
    caller_.Await();  // granted by whichever thread ends the execution
  }

  ExecutionResult result;
  result.outcome = outcome_;
  result.blocked = std::move(blocked_);
  result.points = Progress() - progress_at_start_;
  result.strategy_exhausted = !recording_->EndExecution();
  result.schedule = recording_->TakeSchedule();
  recording_.reset();
  body_ = nullptr;
  running_ = kNoThread;
  blocked_.clear();
  std::exception_ptr failure = std::exchange(failure_, nullptr);
  in_run_.store(false);
  if (failure) std::rethrow_exception(failure);
  return result;
}

void Controller::RunBody(ThreadIndex thread) {
  try {
    (*body_)(thread);
  } catch (const ExecutionAborted&) {
    // Normal teardown; or the body threw it itself, which we take as an Abort().
    if (!aborting_) StartTeardown(ExecutionResult::Outcome::kAborted);
  } catch (...) {
    if (!failure_) failure_ = std::current_exception();
    if (!aborting_) StartTeardown(ExecutionResult::Outcome::kAborted);
  }
  threads_[thread].state = ThreadState::kFinished;
  if (aborting_) return ContinueTeardown();

  const ThreadIndex next = Decide(thread, /*from_runnable=*/false, "finish");
  if (next != kNoThread) return Dispatch(next);
  for (const ThreadSlot& slot : threads_) {
    if (slot.state == ThreadState::kBlocked) {
      RecordDeadlock();
      return ContinueTeardown();
    }
  }
  caller_.Grant();  // every started thread finished: the execution is complete
}

ThreadIndex Controller::CheckRunning() const {
  const Worker* worker = current_worker_;
  GCS_CHECK_MSG(worker != nullptr && worker->controller == this && worker->index == running_,
                "scheduler hook called by a thread this controller is not running");
  return running_;
}

void Controller::CountPoint() {
  // Only the running thread writes, so load+store is enough (no locked RMW); relaxed because the
  // watchdog only needs to see it move.
  progress_.store(progress_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

ThreadIndex Controller::Decide(ThreadIndex from, bool from_runnable, const char* site) {
  // On the stack, not a member: a shared scratch buffer would be one more cache line to move
  // between cores at every handoff.
  std::array<ThreadIndex, kMaxThreads> runnable;  // uninitialised: only [0, count) is read
  size_t count = 0;
  const auto n = static_cast<ThreadIndex>(threads_.size());
  for (ThreadIndex t = 0; t < n; ++t) {
    if (threads_[t].state == ThreadState::kRunnable) runnable[count++] = t;
  }
  GCS_CHECK(!from_runnable || threads_[from].state == ThreadState::kRunnable);
  if (count == 0) return kNoThread;
  ThreadIndex next = runnable[0];
  if (count >= 2) {
    recording_->UseLane(from == kNoThread ? 0 : from);  // the deciding thread's own log
    next = recording_->NextThread(std::span(runnable.data(), count), from, from_runnable);
  }
  if (listener_ != nullptr)
    listener_->OnDecision(Progress() - progress_at_start_, site, from, next);
  return next;
}

void Controller::Dispatch(ThreadIndex thread) {
  ThreadSlot& slot = threads_[thread];
  GCS_CHECK(slot.state == ThreadState::kRunnable ||
            (aborting_ && slot.started && slot.state == ThreadState::kBlocked));
  if (!slot.started) slot.started = true;  // written once: keep the line clean on later switches
  running_ = thread;
  workers_[thread]->slot.Grant();  // last access: the granted thread owns the state now
}

void Controller::ParkUntilDispatched() {
  current_worker_->slot.Await();
  // Whoever granted us made us running_; if that was the teardown, unwind.
  if (aborting_) ThrowAbortedUnlessUnwinding();
}

void Controller::ThrowAbortedUnlessUnwinding() {
  // Throwing while an exception is already propagating would call std::terminate; a hook reached
  // from a destructor during unwinding just returns and lets the unwinding finish.
  if (std::uncaught_exceptions() == 0) throw ExecutionAborted{};
}

void Controller::Point(const char* site) {
  const ThreadIndex current = CheckRunning();
  if (aborting_) return ThrowAbortedUnlessUnwinding();
  CountPoint();
  const ThreadIndex next = Decide(current, /*from_runnable=*/true, site);
  if (next == current) return;
  Dispatch(next);  // current stays kRunnable: it is simply no longer running_
  ParkUntilDispatched();
}

void Controller::Wait(core::ResourceId resource) {
  const ThreadIndex current = CheckRunning();
  if (aborting_) return ThrowAbortedUnlessUnwinding();
  CountPoint();
  threads_[current].state = ThreadState::kBlocked;
  threads_[current].waiting_on = resource;
  const ThreadIndex next = Decide(current, /*from_runnable=*/false, "wait");
  if (next != kNoThread) {
    Dispatch(next);
    return ParkUntilDispatched();
  }
  // Nobody can run: a deadlock, reported with the caller among the blocked. The caller unwinds
  // first (it holds the baton; its state stays kBlocked until RunBody marks it finished), then
  // RunBody resumes the other parked bodies.
  RecordDeadlock();
  ThrowAbortedUnlessUnwinding();
}

void Controller::Signal(core::ResourceId resource) {
  CheckRunning();
  for (ThreadSlot& slot : threads_) {
    if (slot.state == ThreadState::kBlocked && slot.waiting_on == resource) {
      slot.state = ThreadState::kRunnable;
    }
  }
}

void Controller::Enable(ThreadIndex thread) {
  CheckRunning();
  GCS_CHECK_MSG(thread < threads_.size(), "Enable of a thread outside the execution");
  if (threads_[thread].state == ThreadState::kDisabled) {
    threads_[thread].state = ThreadState::kRunnable;
  }
}

ThreadIndex Controller::Current() const {
  return CheckRunning();
}

uint64_t Controller::NextU64() {
  recording_->UseLane(CheckRunning());
  return recording_->NextU64();
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

void Controller::ContinueTeardown() {
  // Resume the lowest parked body; it throws out of its hook, unwinds, and comes back through
  // RunBody to here. When none is left, the execution is over.
  const auto n = static_cast<ThreadIndex>(threads_.size());
  for (ThreadIndex t = 0; t < n; ++t) {
    const ThreadSlot& slot = threads_[t];
    if (slot.started && slot.state != ThreadState::kFinished) return Dispatch(t);
  }
  caller_.Grant();
}

}  // namespace gcs::sched
