// gcstress engine — RSS over a long loop (DESIGN.md §9: RSS after 1M iterations within 10% of
// RSS after 10k). Runs the Runner the way `gcstress loop` does — one scenario, iterations until
// stopped, the oracles on — and reads VmRSS when the count passes 10k and at the end.
//
//   loop_rss [ITERATIONS=1000000] [JOBS=1]
//
// Prints both figures and their ratio; exits 1 if the growth exceeds 10%.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/engine/refpool_scenario.h"
#include "harness/cli/resident_memory.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"

int main(int argc, char** argv) {
  using namespace gcs;
  const uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const uint64_t early = 10000;
  RunConfig config;
  config.target = "core";
  config.strategy = "pct";
  config.seed = 1;
  config.iterations = total;
  config.jobs = argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 1;
  auto runner = Runner::Create(config);
  if (!runner) {
    std::fprintf(stderr, "%s\n", runner.error().Format().c_str());
    return 2;
  }
  auto scenario = LoadScenarioText(bench::kRefpool, "refpool.json", runner->ScenarioLoadOptions());
  if (!scenario) return 2;
  uint64_t early_at = 0, early_kib = 0, last_print = 0;
  RunHooks hooks;
  hooks.progress_interval = std::chrono::milliseconds(1);
  hooks.progress = [&](const RunProgress& p) {
    if (early_at == 0 && p.iterations >= early) {
      early_at = p.iterations;
      early_kib = cli::ResidentKiB();
      std::printf("rss after %llu iterations: %llu KiB\n",
                  static_cast<unsigned long long>(early_at),
                  static_cast<unsigned long long>(early_kib));
    }
    if (p.iterations - last_print >= 100000) {
      last_print = p.iterations;
      std::printf("  %llu iterations, %.0f exec/s, rss %llu KiB\n",
                  static_cast<unsigned long long>(p.iterations), p.exec_per_sec,
                  static_cast<unsigned long long>(cli::ResidentKiB()));
      std::fflush(stdout);
    }
  };
  const RunSummary summary = runner->Run(*scenario, hooks);
  const uint64_t end_kib = cli::ResidentKiB();
  std::printf("rss after %llu iterations: %llu KiB (%.1f s, %.0f exec/s, %u worker%s)\n",
              static_cast<unsigned long long>(summary.iterations),
              static_cast<unsigned long long>(end_kib), summary.seconds, summary.exec_per_sec,
              summary.workers, summary.workers == 1 ? "" : "s");
  if (summary.first_failure) {
    std::printf("unexpected violation: %s\n", summary.first_failure->violation.message.c_str());
    return 3;
  }
  const double growth =
      early_kib > 0 ? (static_cast<double>(end_kib) / static_cast<double>(early_kib) - 1.0) : 0.0;
  std::printf("growth: %+.1f%% (target: within 10%%)\n", growth * 100.0);
  return growth > 0.10 ? 1 : 0;
}
