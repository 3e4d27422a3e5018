// gcstress fuzzing — benchmark: what scenario_fuzzer does per input, over its checked-in corpus
// (corpus/scenario_fuzzer/): decode, run once on the core target, judge; cases/s, and the heap
// allocations and bytes per case (under ASan, the fuzz preset's build, every allocation also
// costs a quarantined free and fresh pages, which is where most of a case's time went).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "harness/fuzzing/fuzz_executor.h"
#include "harness/fuzzing/fuzz_input.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/target/target.h"

namespace {

// Every operator new of the process, counted (the benchmark's own few included: they are not in
// the timed loop).
std::atomic<uint64_t> g_allocations{0};
std::atomic<uint64_t> g_bytes{0};

void* Counted(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(n, std::memory_order_relaxed);
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void* CountedAligned(size_t n, std::align_val_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(n, std::memory_order_relaxed);
  const auto a = static_cast<size_t>(align);
  void* p = std::aligned_alloc(a, (std::max<size_t>(n, 1) + a - 1) / a * a);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(size_t n) {
  return Counted(n);
}
void* operator new[](size_t n) {
  return Counted(n);
}
void* operator new(size_t n, std::align_val_t a) {
  return CountedAligned(n, a);
}
void* operator new[](size_t n, std::align_val_t a) {
  return CountedAligned(n, a);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}

namespace gcs {
namespace {

std::vector<std::vector<uint8_t>> ReadCorpus() {
  const std::filesystem::path dir =
      std::filesystem::path(GCS_SOURCE_DIR) / "corpus/scenario_fuzzer";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());  // directory order is not an order
  std::vector<std::vector<uint8_t>> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (out.empty()) {
    std::fprintf(stderr, "fuzz_case_bench: no inputs in %s\n", dir.c_str());
    std::abort();
  }
  return out;
}

// FNV-1a 64, folded over everything a case's outcome is made of.
struct Digest {
  uint64_t h = 0xcbf29ce484222325ULL;
  void Add(const void* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<const uint8_t*>(data)[i];
      h *= 0x100000001b3ULL;
    }
  }
  void Add(const std::string& s) { Add(s.data(), s.size() + 1); }
  void Add(uint64_t v) { Add(&v, sizeof v); }
};

// What the fuzzer makes of the corpus and of `extra` inputs of pseudo-random bytes: each case's
// scenario (its canonical text), recorded schedule, trace length and verdict, in one digest. A
// change that only makes the fuzzer faster must print the same digest before and after it: the
// same bytes still give the same scenario, schedule and verdict.
void PrintDigest(FuzzExecutor& executor, const std::vector<std::vector<uint8_t>>& corpus,
                 size_t extra) {
  std::vector<std::vector<uint8_t>> inputs = corpus;
  uint64_t x = 0x9e3779b97f4a7c15ULL;  // xorshift64: fixed, so the inputs are too
  for (size_t i = 0; i < extra; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    std::vector<uint8_t>& in = inputs.emplace_back(x % 700);
    for (uint8_t& b : in) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      b = static_cast<uint8_t>(x >> 56);
    }
  }
  Digest d;
  size_t violations = 0;
  for (const auto& input : inputs) {
    const FuzzCase& c = executor.Decode(input.data(), input.size());
    FuzzRun run = executor.Run(c);
    d.Add(FormatScenario(c.scenario));
    d.Add(run.execution.schedule.decisions.size());
    for (const sched::Decision& decision : run.execution.schedule.decisions) {
      d.Add(static_cast<uint64_t>(decision.kind));
      d.Add(decision.value);
    }
    d.Add(run.execution.trace.entries.size());
    d.Add(run.verdict ? run.verdict->Signature() : std::string("pass"));
    violations += run.verdict ? 1 : 0;
    executor.Recycle(std::move(run));
  }
  std::fprintf(stderr, "fuzz_case_bench: digest %016llx over %zu inputs (%zu violations)\n",
               static_cast<unsigned long long>(d.h), inputs.size(), violations);
}

// One corpus entry per iteration, round robin, exactly as LLVMFuzzerTestOneInput handles it.
void BM_ScenarioFuzzerCase(benchmark::State& state) {
  const std::vector<std::vector<uint8_t>> corpus = ReadCorpus();
  auto made = MakeTarget(kFuzzTarget);
  if (!made) std::abort();
  FuzzExecutor executor(std::move(made).value(), {});
  // A first pass, untimed, which is also the determinism check: the pools and buffers that
  // persist across cases reach their size.
  static bool digested = false;  // Google Benchmark calls this more than once: once is enough
  if (!digested) PrintDigest(executor, corpus, 2000);
  digested = true;
  for (const auto& input : corpus)
    executor.Recycle(executor.Run(executor.Decode(input.data(), input.size())));
  size_t next = 0;
  const uint64_t allocations0 = g_allocations.load();
  const uint64_t bytes0 = g_bytes.load();
  for (auto _ : state) {
    const std::vector<uint8_t>& input = corpus[next];
    next = (next + 1) % corpus.size();
    FuzzRun run = executor.Run(executor.Decode(input.data(), input.size()));
    if (run.verdict) state.SkipWithError(run.verdict->message.c_str());
    executor.Recycle(std::move(run));
  }
  const auto cases = static_cast<double>(state.iterations());
  state.counters["cases/s"] = benchmark::Counter(cases, benchmark::Counter::kIsRate);
  state.counters["allocs/case"] = static_cast<double>(g_allocations.load() - allocations0) / cases;
  state.counters["bytes/case"] = static_cast<double>(g_bytes.load() - bytes0) / cases;
}
BENCHMARK(BM_ScenarioFuzzerCase)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace gcs

BENCHMARK_MAIN();
