// gcstress scheduler — FreeRunner: free mode, real parallel threads with optional random yields.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/sched_hooks.h"
#include "harness/scheduler/prng.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

struct FreeRunResult {
  uint64_t points = 0;  // Point calls, all threads
  uint64_t yields = 0;  // of which yielded the CPU
};

// `--strategy free`: the threads really run in parallel, so TSan sees real races, and it is the
// "loop until it fails" baseline the deterministic strategies have to beat. Nothing here is
// reproducible — the OS decides the interleaving — except each thread's yield decisions, which
// come from a PRNG seeded from (seed, thread) so that the perturbation itself is repeatable.
//
// The threads come from a pool reused across executions (creating OS threads per execution would
// dominate short scenarios and make the baseline look worse than it is). The threads enabled at
// the start are released together by a start barrier, to maximise overlap; a thread enabled later
// by Enable(t) starts at once on its own.
class FreeRunner final : public core::SchedHooks {
 public:
  // Upper bound on threads per execution, as for the Controller.
  static constexpr uint32_t kMaxThreads = 256;

  FreeRunner() = default;
  ~FreeRunner() override;  // stops and joins the pool
  FreeRunner(const FreeRunner&) = delete;
  FreeRunner& operator=(const FreeRunner&) = delete;

  // Runs body(t) for t in [0, n) in parallel and waits for every started body. start_enabled as
  // for Controller::Run (empty = all). Each Point yields with probability yield_per_mille/1000.
  // A body that throws does not stop the others (free threads cannot be interrupted); the first
  // exception is rethrown once all are done. Not reentrant; not callable from a body.
  FreeRunResult Run(uint32_t n, std::span<const bool> start_enabled, uint64_t seed,
                    uint32_t yield_per_mille, const std::function<void(ThreadIndex)>& body);

  // sched_yield() with the configured probability.
  void Point(const char* site) override;
  // Free threads cannot park on our behalf: yield and let the caller re-check its condition.
  void Wait(core::ResourceId resource) override;
  void Signal(core::ResourceId resource) override;

  // Starts a not-yet-started thread of the current execution. No-op if already enabled.
  void Enable(ThreadIndex thread);
  // The calling body's thread index.
  ThreadIndex Current() const;

  size_t PoolSize() const { return workers_.size(); }

 private:
  // 128-byte aligned so that the counters each thread bumps at every Point never share a cache
  // line (pair) with another thread's: free mode should measure the target, not false sharing.
  struct alignas(128) Worker {
    FreeRunner* runner = nullptr;
    ThreadIndex index = 0;
    std::thread thread;
    // Guarded by mu_:
    uint64_t generation_done = 0;  // last execution this worker took part in (or skipped)
    bool enabled = false;          // allowed to run in the current execution
    bool in_barrier = false;       // enabled at the start: waits at the start barrier
    // Written by the worker thread only while its body runs; read by Run after it finished.
    Xoshiro256 yields_rng;
    uint64_t points = 0;
    uint64_t yields = 0;
  };

  void EnsurePool(uint32_t n);
  void WorkerLoop(Worker& worker);
  void RunBody(Worker& worker);
  const Worker& CheckInBody() const;

  static thread_local Worker* current_worker_;

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mu_;
  std::condition_variable wake_workers_;
  std::condition_variable all_done_;
  // Guarded by mu_:
  uint64_t generation_ = 0;
  uint32_t outstanding_ = 0;  // enabled bodies not finished yet
  uint32_t num_threads_ = 0;
  bool shutdown_ = false;
  std::exception_ptr failure_;
  // Set before the start of an execution (published by mu_), read by the bodies.
  const std::function<void(ThreadIndex)>* body_ = nullptr;
  uint32_t yield_per_mille_ = 0;
  uint32_t barrier_size_ = 0;
  std::atomic<uint32_t> barrier_arrived_{0};
  std::atomic<bool> in_run_{false};
};

}  // namespace gcs::sched
