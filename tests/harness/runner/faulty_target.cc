// gcstress tests — FaultyTarget: each misbehaviour in its own never-inlined function, so that the
// site of its verdict names it.
#include "tests/harness/runner/faulty_target.h"

#include <atomic>
#include <chrono>
#include <climits>

#include "core/check.h"

namespace gcs::testing {
namespace {

// Written by every gc of kRace from several threads at once, without synchronization: the race.
// The harness orders whole steps (its trace has a lock), so TSan sees the race only when two gc
// steps overlap in time. Race() makes them: the gcs meet in pairs first, through relaxed atomics
// only, which order nothing for TSan.
int shared_counter = 0;
std::atomic<int> race_arrivals{0};

[[gnu::noinline]] void Segfault() {
  volatile int* volatile p = nullptr;
  *p = 1;
}

[[gnu::noinline]] void BreakCheck() {
  volatile bool holds = false;
  GCS_CHECK_MSG(holds, "the faulty target's check");
}

// Never set. Volatile, so every pass of the loop below reads it: a side effect. Anything less
// and clang may prove it constant (it never is written) and the loop endless without side
// effects, which it may assume ends, and deletes: then "hang" returns at once.
volatile bool stop_spinning = false;

[[gnu::noinline]] void SpinForever() {
  while (!stop_spinning) {
  }
}

[[gnu::noinline]] void FreeTwice() {
  int* volatile p = new int(1);
  delete p;
  delete p;
}

// Where each leaked block's only pointer goes before the next overwrites it: LeakSanitizer scans
// stacks conservatively, so a stale copy might keep the last block alive, never all of them.
int* volatile leaked = nullptr;

[[gnu::noinline]] void Leak() {
  for (int i = 0; i < 64; ++i)
    leaked = new int[16];
  leaked = nullptr;
}

[[gnu::noinline]] int Overflow() {
  volatile int big = INT_MAX;
  return big + 1;
}

[[gnu::noinline]] void Race() {
  // The first of a pair waits (at most 100 ms) for the second; the second goes on at once.
  const int me = race_arrivals.fetch_add(1, std::memory_order_relaxed);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  while (race_arrivals.load(std::memory_order_relaxed) < (me | 1) + 1 &&
         std::chrono::steady_clock::now() < give_up) {
  }
  shared_counter = shared_counter + 1;
}

}  // namespace

std::string WindowScenario() {
  std::string pad;
  for (int i = 0; i < 6; ++i)
    pad += R"({"op": "yield"}, )";
  return R"({"format": 1, "name": "window", "threads": {
    "t1": [)" +
         pad + R"({"op": "attach"}, {"op": "detach"}, )" + pad + R"({"op": "yield"}],
    "t2": [)" +
         pad + R"({"op": "yield"}, {"op": "gc"}, )" + pad + R"({"op": "yield"}]}})";
}

void FaultyTarget::Begin(const TargetExecution&) {
  attached_ = 0;
  logged_ = false;
  if (log_ != nullptr) {
    std::lock_guard<std::mutex> guard(log_->mu);
    execution_ = log_->executions++;
  }
}

void FaultyTarget::Misbehave() {
  switch (behavior_) {
    case Behavior::kNone:
      if (log_ != nullptr && !logged_) {
        std::lock_guard<std::mutex> guard(log_->mu);
        log_->hits.push_back(execution_);
        logged_ = true;
      }
      return;
    case Behavior::kSegfault:
      Segfault();
      return;
    case Behavior::kCheck:
      BreakCheck();
      return;
    case Behavior::kHang:
      SpinForever();
      return;
    case Behavior::kDoubleFree:
      FreeTwice();
      return;
    case Behavior::kLeak:
      Leak();
      return;
    case Behavior::kOverflow:
      (void)Overflow();
      return;
    case Behavior::kRace:
      Race();
      return;
  }
}

StepResult FaultyTarget::Apply(const StepRequest& request) {
  switch (request.step->op) {
    case Op::kAttach:
      attached_.fetch_add(1, std::memory_order_relaxed);
      break;
    case Op::kDetach:
      attached_.fetch_sub(1, std::memory_order_relaxed);
      break;
    case Op::kGc:
      if (attached_.load(std::memory_order_relaxed) > 0) Misbehave();
      break;
    default:
      break;
  }
  return {};
}

TargetFactory FaultyTarget::Factory(Behavior behavior, std::shared_ptr<Log> log) {
  return [behavior, log]() -> Expected<std::unique_ptr<Target>> {
    return std::unique_ptr<Target>(std::make_unique<FaultyTarget>(behavior, log));
  };
}

}  // namespace gcs::testing
