// gcstress zoo — the detection-speed benchmark.
#include "harness/zoo/zoo_bench.h"

#include <algorithm>

#include "harness/runner/runner.h"
#include "harness/target/target.h"

namespace gcs {
namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One search: runs until the expected kind, or the budget.
bool Search(const ZooBenchOptions& o, const Scenario& s, const std::string& fault,
            ViolationKind expected, bool free_mode, uint64_t seed, double* seconds,
            double* iterations) {
  RunConfig c;
  c.target = o.zoo.target;
  c.faults = {fault};
  c.free_mode = free_mode;
  c.strategy = free_mode ? "free" : "pct";
  c.yield_per_mille = o.zoo.yield_per_mille;
  c.seed = seed;
  c.iterations = 0;
  c.time_budget = free_mode ? o.free_budget : o.pct_budget;
  c.keep_going = true;
  c.stop_on_kind = expected;
  auto runner = Runner::Create(c);
  if (!runner.ok()) return false;
  const auto start = Clock::now();
  const RunSummary summary = runner->Run(s);
  *seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const Failure& f : summary.failures) {
    if (f.violation.kind != expected) continue;
    *iterations = static_cast<double>(f.iteration + 1);
    return true;
  }
  *iterations = static_cast<double>(summary.iterations);
  return false;
}

DetectionStats Searches(const ZooBenchOptions& o, const Scenario& s, const std::string& fault,
                        ViolationKind expected, bool free_mode) {
  DetectionStats stats;
  std::vector<double> seconds, iterations;
  for (uint32_t seed = 1; seed <= o.seeds; ++seed) {
    double sec = 0, it = 0;
    ++stats.searches;
    if (!Search(o, s, fault, expected, free_mode, seed, &sec, &it)) continue;
    ++stats.found;
    seconds.push_back(sec);
    iterations.push_back(it);
    stats.max_seconds = std::max(stats.max_seconds, sec);
  }
  stats.median_seconds = Median(seconds);
  stats.median_iterations = Median(iterations);
  return stats;
}

}  // namespace

Expected<std::vector<ZooBenchRow>> RunZooBench(
    const ZooBenchOptions& options, const std::function<void(const ZooBenchRow&)>& report_row) {
  auto target = MakeTarget(options.zoo.target);
  if (!target.ok()) return target.error();
  auto files = LoadZooScenarios(options.zoo, **target);
  if (!files.ok()) return files.error();
  std::vector<ZooBenchRow> rows;
  for (const std::string& fault : (*target)->FaultNames()) {
    ZooBenchRow row;
    row.fault = fault;
    std::optional<Scenario> smallest;
    for (const ZooScenario& file : *files) {
      for (const Expectation& e : file.scenario.expect) {
        if (e.faults.size() != 1 || e.faults[0] != fault || !e.violation) continue;
        if (smallest && smallest->TotalSteps() <= file.scenario.TotalSteps()) continue;
        smallest = file.scenario;
        row.scenario = file.path;
        row.expected = *e.violation;
      }
    }
    if (!smallest) continue;
    row.pct = Searches(options, *smallest, fault, row.expected, false);
    row.free = Searches(options, *smallest, fault, row.expected, true);
    if (row.free.found == row.free.searches && row.pct.median_seconds > 0) {
      row.speedup = row.free.median_seconds / row.pct.median_seconds;
    }
    if (report_row) report_row(row);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace gcs
