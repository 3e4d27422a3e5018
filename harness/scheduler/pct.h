// gcstress scheduler — PctStrategy: probabilistic concurrency testing (Burckhardt et al.
// ASPLOS'10).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "harness/scheduler/prng.h"
#include "harness/scheduler/strategy.h"

namespace gcs::sched {

// PCT. The model: every thread has a priority, and the scheduler always runs the highest-priority
// runnable thread — so without change points an execution is fully sequential except where a
// thread blocks, finishes, or a higher-priority thread becomes runnable. Per execution:
//   1. the n threads get distinct random initial priorities d, d+1, ..., d+n-1 (a uniformly
//      random permutation);
//   2. d-1 change points are drawn uniformly (distinct) from the steps 1..k, where a step is a
//      choice point with a running thread (a call to NextThread other than the one picking the
//      first thread, which has nobody to demote) and k estimates how many an execution has;
//   3. when the execution reaches the j-th change point (j = 1..d-1, in step order), the thread
//      that reached it (`current`) drops to priority d-j: below every initial priority and below
//      the threads demoted before it, so the next-highest thread takes over there.
//
// Guarantee (the paper's Theorem): a bug of depth d — one that shows up whenever d specific
// ordering constraints between events hold — is found by a single execution with probability at
// least 1 / (n * k^(d-1)): 1/n to give the right thread the top initial priority, and 1/k for
// each of the d-1 change points to land on the right step. It holds when k bounds the real
// number of steps; it is a lower bound per execution, so the chance to miss a depth-d bug decays
// exponentially with the number of executions.
//
// k: the first execution assumes `initial_steps` (strategies.def); every later execution uses
// the most schedule points an earlier execution passed (OnExecutionPoints: every Point and Wait,
// choice or not), so change points land inside the program instead of past its end. Not the
// choice points the strategy itself sees: their number depends on the schedule — an early
// change point lets one thread finish and leaves the rest without choices — so estimating k
// from them feeds back on itself and can shrink k below the program, after which no change
// point ever reaches its later steps. Spec() names the k in use ("pct:depth=3,steps=57"), so a
// fresh strategy built from an execution's recorded spec with its seed repeats it exactly.
class PctStrategy final : public Strategy {
 public:
  // `yields`: demote a thread at its yield ops too (OnYield), as at a change point.
  PctStrategy(uint32_t depth, uint64_t initial_steps, bool yields);

  std::string Spec() const override;
  void BeginExecution(uint64_t seed, uint32_t num_threads) override;
  ThreadIndex NextThread(std::span<const ThreadIndex> runnable, ThreadIndex current,
                         bool current_runnable) override;
  uint64_t NextU64() override { return draws_.Next(); }
  void OnExecutionPoints(uint64_t points) override { points_ = points; }
  void OnYield(ThreadIndex thread) override;

  uint32_t depth() const { return depth_; }
  // k for the current execution.
  uint64_t step_estimate() const { return step_estimate_; }
  // The current execution's change points: 1-based step numbers, ascending, distinct.
  std::span<const uint64_t> change_points() const { return change_points_; }

 private:
  // Below every thread: the priority the next demotion (change point or yield) gives.
  void Demote(ThreadIndex thread);

  uint32_t depth_;
  bool yields_;
  uint64_t step_estimate_;
  uint64_t max_steps_seen_ = 0;      // over finished executions
  uint64_t steps_ = 0;               // choice points in the current execution
  uint64_t points_ = 0;              // schedule points of the last finished execution
  bool started_ = false;             // an execution has begun (steps_ belongs to it)
  std::vector<int64_t> priorities_;  // by thread; the highest runnable one runs
  int64_t next_low_ = 0;             // the next demotion's priority: below every thread's
  std::vector<uint64_t> change_points_;
  size_t next_change_ = 0;
  Xoshiro256 choices_;
  Xoshiro256 draws_;
};

}  // namespace gcs::sched
