// gcstress scheduler — benchmark: controlled handoffs/s against a raw spin-then-futex ping-pong.
//
// DESIGN.md §9: the Controller's handoffs per second must be at least 50% of a raw ping-pong over
// the same HandoffSlot, measured in the same run. Both count one handoff each time control passes
// from one thread to the other; both use wall-clock time, since the measuring thread spends most
// of it waiting. The controller runs both ways (/0 os-threads: that comparison; /1 fibers: what
// a target without per-thread state, the core, gets).
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "harness/scheduler/controller.h"
#include "harness/scheduler/handoff.h"
#include "harness/scheduler/round_robin.h"

namespace gcs::sched {
namespace {

// Handoffs per benchmark iteration: large enough that the per-execution setup of the controller
// is amortised the way it is in a real run of a scenario with a few thousand points.
constexpr int kHandoffsPerIteration = 10000;

void SetRate(benchmark::State& state) {
  state.counters["handoffs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kHandoffsPerIteration, benchmark::Counter::kIsRate);
}

// Two threads pass a token back and forth with nothing else to do: the ceiling.
void BM_RawPingPong(benchmark::State& state) {
  HandoffSlot mine;
  HandoffSlot partners;
  std::atomic<bool> stop{false};
  std::thread partner([&] {
    for (;;) {
      partners.Await();
      if (stop.load(std::memory_order_relaxed)) return;
      mine.Grant();
    }
  });
  for (auto _ : state) {
    for (int i = 0; i < kHandoffsPerIteration / 2; ++i) {
      partners.Grant();
      mine.Await();
    }
  }
  stop.store(true, std::memory_order_relaxed);
  partners.Grant();
  partner.join();
  SetRate(state);
}
BENCHMARK(BM_RawPingPong)->UseRealTime();

// Two threads under round-robin, each doing Point() in a loop: every point is a decision (two
// runnable threads) and a handoff. Each iteration is one execution, setup and recording included.
void BM_ControllerHandoff(benchmark::State& state) {
  const auto threading = static_cast<Threading>(state.range(0));
  state.SetLabel(ThreadingName(threading));
  Controller controller{threading};
  RoundRobinStrategy round_robin;
  const std::function<void(ThreadIndex)> body = [&](ThreadIndex) {
    for (int i = 0; i < kHandoffsPerIteration / 2; ++i)
      controller.Point("bench");
  };
  uint64_t seed = 0;
  for (auto _ : state) {
    const ExecutionResult r = controller.Run(2, {}, round_robin, seed++, body);
    benchmark::DoNotOptimize(r.points);
  }
  SetRate(state);
}
BENCHMARK(BM_ControllerHandoff)->Arg(0)->Arg(1)->UseRealTime();

// One thread: a point with nobody else runnable decides nothing and hands off nothing — the cost
// every schedule point adds to single-threaded steps (§9: >= 2M steps/s on the core target).
void BM_ControllerPointNoHandoff(benchmark::State& state) {
  const auto threading = static_cast<Threading>(state.range(0));
  state.SetLabel(ThreadingName(threading));
  Controller controller{threading};
  RoundRobinStrategy round_robin;
  const std::function<void(ThreadIndex)> body = [&](ThreadIndex) {
    for (int i = 0; i < kHandoffsPerIteration; ++i)
      controller.Point("bench");
  };
  for (auto _ : state)
    controller.Run(1, {}, round_robin, 0, body);
  state.counters["points/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kHandoffsPerIteration, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ControllerPointNoHandoff)->Arg(0)->Arg(1)->UseRealTime();

}  // namespace
}  // namespace gcs::sched

BENCHMARK_MAIN();
