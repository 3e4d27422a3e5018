// gcstress scheduler — FreeRunner: a mutex/condvar pool, a spin start barrier, seeded yields.
#include "harness/scheduler/free_runner.h"

#include <sched.h>

#include <utility>

#include "core/check.h"

namespace gcs::sched {

namespace {
constexpr uint64_t kYieldStream = 3;
}  // namespace

thread_local FreeRunner::Worker* FreeRunner::current_worker_ = nullptr;

FreeRunner::~FreeRunner() {
  GCS_CHECK_MSG(!in_run_.load(), "FreeRunner destroyed during Run");
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
  }
  wake_workers_.notify_all();
  for (auto& worker : workers_)
    worker->thread.join();
}

void FreeRunner::EnsurePool(uint32_t n) {
  std::lock_guard lock(mu_);
  while (workers_.size() < n) {
    auto worker = std::make_unique<Worker>();
    worker->runner = this;
    worker->index = static_cast<ThreadIndex>(workers_.size());
    worker->generation_done = generation_;
    Worker* raw = worker.get();
    worker->thread = std::thread([this, raw] { WorkerLoop(*raw); });
    workers_.push_back(std::move(worker));
  }
}

FreeRunResult FreeRunner::Run(uint32_t n, std::span<const bool> start_enabled, uint64_t seed,
                              uint32_t yield_per_mille,
                              const std::function<void(ThreadIndex)>& body) {
  GCS_CHECK_MSG(current_worker_ == nullptr, "FreeRunner::Run called from inside a body");
  GCS_CHECK_MSG(!in_run_.exchange(true), "FreeRunner::Run is not reentrant");
  GCS_CHECK(n <= kMaxThreads);
  GCS_CHECK(start_enabled.empty() || start_enabled.size() == n);
  GCS_CHECK(yield_per_mille <= 1000);
  EnsurePool(n);

  std::unique_lock lock(mu_);
  body_ = &body;
  yield_per_mille_ = yield_per_mille;
  num_threads_ = n;
  failure_ = nullptr;
  uint32_t enabled = 0;
  for (ThreadIndex t = 0; t < n; ++t) {
    Worker& w = *workers_[t];
    w.enabled = start_enabled.empty() || start_enabled[t];
    w.in_barrier = w.enabled;
    w.yields_rng.Seed(DeriveSeed(DeriveSeed(seed, kYieldStream), t));
    w.points = 0;
    w.yields = 0;
    enabled += w.enabled ? 1 : 0;
  }
  for (size_t t = n; t < workers_.size(); ++t)
    workers_[t]->enabled = false;
  outstanding_ = enabled;
  barrier_size_ = enabled;
  barrier_arrived_.store(0, std::memory_order_relaxed);
  ++generation_;
  wake_workers_.notify_all();
  all_done_.wait(lock, [&] { return outstanding_ == 0; });

  FreeRunResult result;
  for (ThreadIndex t = 0; t < n; ++t) {
    result.points += workers_[t]->points;
    result.yields += workers_[t]->yields;
    workers_[t]->enabled = false;  // never-enabled threads skip this generation for good
  }
  body_ = nullptr;
  std::exception_ptr failure = std::exchange(failure_, nullptr);
  lock.unlock();
  in_run_.store(false);
  if (failure) std::rethrow_exception(failure);
  return result;
}

void FreeRunner::WorkerLoop(Worker& worker) {
  current_worker_ = &worker;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_workers_.wait(lock, [&] {
      return shutdown_ || (worker.enabled && worker.generation_done != generation_);
    });
    if (shutdown_) return;
    worker.generation_done = generation_;
    lock.unlock();
    RunBody(worker);
    lock.lock();
    if (--outstanding_ == 0) all_done_.notify_one();
  }
}

void FreeRunner::RunBody(Worker& worker) {
  if (worker.in_barrier) {
    // Release the initial threads together: each arrives, then spins (yielding, since there may
    // be more threads than cores) until all have, so their bodies start as close as possible.
    barrier_arrived_.fetch_add(1, std::memory_order_acq_rel);
    while (barrier_arrived_.load(std::memory_order_acquire) < barrier_size_)
      sched_yield();
  }
  try {
    (*body_)(worker.index);
  } catch (...) {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = std::current_exception();
  }
}

const FreeRunner::Worker& FreeRunner::CheckInBody() const {
  const Worker* worker = current_worker_;
  GCS_CHECK_MSG(worker != nullptr && worker->runner == this,
                "free-mode hook called outside one of this runner's bodies");
  return *worker;
}

void FreeRunner::Point(const char* /*site*/) {
  CheckInBody();
  Worker& worker = *current_worker_;
  ++worker.points;
  if (yield_per_mille_ != 0 && worker.yields_rng.Below(1000) < yield_per_mille_) {
    ++worker.yields;
    sched_yield();
  }
}

void FreeRunner::Wait(core::ResourceId /*resource*/) {
  CheckInBody();
  sched_yield();
}

void FreeRunner::Signal(core::ResourceId /*resource*/) {
  CheckInBody();
}

void FreeRunner::Enable(ThreadIndex thread) {
  CheckInBody();
  {
    std::lock_guard lock(mu_);
    GCS_CHECK_MSG(thread < num_threads_, "Enable of a thread outside the execution");
    Worker& target = *workers_[thread];
    if (target.enabled) return;
    target.enabled = true;
    target.in_barrier = false;
    ++outstanding_;
  }
  wake_workers_.notify_all();
}

ThreadIndex FreeRunner::Current() const {
  return CheckInBody().index;
}

}  // namespace gcs::sched
