// gcstress zoo — running every seed fault's scenario family under every strategy.
#include "harness/zoo/zoo.h"

#include <algorithm>
#include <filesystem>

#include "harness/minimizer/minimizer.h"
#include "harness/runner/repro.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/target/target.h"

namespace gcs {
namespace {

using Clock = std::chrono::steady_clock;

bool Known(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const Failure* FailureOfKind(const RunSummary& summary, ViolationKind kind) {
  for (const Failure& f : summary.failures) {
    if (f.violation.kind == kind) return &f;
  }
  return nullptr;
}

// Writes the failure's repro, minimized first when asked and replayable.
std::string WriteCellRepro(const ZooOptions& options, const ZooScenario& file,
                           const RunConfig& config, const Failure& failure, ZooCell& cell) {
  Repro repro = MakeRepro(file.scenario, config, failure);
  if (options.minimize && !config.free_mode) {
    auto target = MakeTarget(options.target);
    if (target.ok()) {
      Predicate predicate = MakeSignaturePredicate(**target, config.faults, cell.signature);
      MinimizeOptions mo;
      mo.max_time = options.minimize_budget;
      mo.load.known_faults = AllTargetFaultNames();
      mo.load.target = options.target;
      mo.load.supported_ops = (*target)->SupportedOps();
      const MinimizeResult m = Minimize(file.scenario, failure.execution.schedule, predicate, mo);
      if (m.stop != MinimizeResult::Stop::kNotReproduced && m.violation) {
        repro.scenario = m.scenario;
        repro.schedule = m.schedule;
        repro.verdict = *m.violation;
        cell.repro_steps = m.after.steps;
      }
    }
  }
  if (cell.repro_steps == 0) cell.repro_steps = file.scenario.TotalSteps();
  auto path = WriteRepro(options.reports_dir, repro);
  return path.ok() ? *path : std::string();
}

ZooCell RunCell(const ZooOptions& options, const ZooScenario& file, const std::string& fault,
                ViolationKind expected, const std::string& strategy) {
  ZooCell cell;
  cell.fault = fault;
  cell.scenario = file.path;
  cell.strategy = strategy;
  cell.expected = expected;
  cell.scenario_steps = file.scenario.TotalSteps();
  RunConfig config;
  config.target = options.target;
  config.faults = {fault};
  config.free_mode = strategy == "free";
  config.strategy = strategy;
  config.yield_per_mille = options.yield_per_mille;
  config.seed = options.seed;
  config.iterations = 0;
  config.time_budget = options.cell_budget;
  config.keep_going = true;
  config.stop_on_kind = expected;
  auto runner = Runner::Create(config);
  if (!runner.ok()) return cell;
  const auto start = Clock::now();
  const RunSummary summary = runner->Run(file.scenario);
  cell.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  cell.iterations = summary.iterations;
  const Failure* f = FailureOfKind(summary, expected);
  if (f == nullptr) {
    if (summary.first_failure) {
      cell.kind = summary.first_failure->violation.kind;
      cell.signature = summary.first_failure->violation.Signature();
    }
    return cell;
  }
  cell.found = true;
  cell.kind = f->violation.kind;
  cell.signature = f->violation.Signature();
  cell.iterations = f->iteration + 1;
  cell.replayable = !config.free_mode;
  cell.repro = WriteCellRepro(options, file, config, *f, cell);
  return cell;
}

ZooPassRow RunPass(const ZooOptions& options, const ZooScenario& file,
                   const std::vector<std::string>& faults) {
  ZooPassRow row;
  row.scenario = file.path;
  row.faults = faults;
  RunConfig config;
  config.target = options.target;
  config.faults = faults;
  config.strategy = "pct";
  config.seed = options.seed;
  config.iterations = options.fixed_iterations;
  auto runner = Runner::Create(config);
  if (!runner.ok()) {
    row.passed = false;
    row.signature = runner.error().Format();
    return row;
  }
  const RunSummary summary = runner->Run(file.scenario);
  row.iterations = summary.iterations;
  if (summary.first_failure) {
    row.passed = false;
    row.signature = summary.first_failure->violation.Signature();
    auto path =
        WriteRepro(options.reports_dir, MakeRepro(file.scenario, config, *summary.first_failure));
    if (path.ok()) row.repro = *path;
  }
  return row;
}

}  // namespace

Expected<std::vector<ZooScenario>> LoadZooScenarios(const ZooOptions& options,
                                                    const Target& target) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.scenarios_dir, ec)) {
    return InputError{options.scenarios_dir, "", "not a directory of scenarios"};
  }
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(options.scenarios_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  LoadOptions load;
  load.known_faults = AllTargetFaultNames();
  load.target = std::string(target.Name());
  const OpSet supported = target.SupportedOps();
  std::vector<ZooScenario> files;
  for (const std::string& path : paths) {
    auto s = LoadScenarioFile(path, load);
    if (!s.ok()) return s.error();
    bool runnable = true;
    for (const ThreadSpec& t : s->threads) {
      for (const Step& step : t.steps)
        runnable &= supported.test(static_cast<size_t>(step.op));
    }
    if (runnable) files.push_back(ZooScenario{path, std::move(s).value()});
  }
  return files;
}

bool ZooReport::ok() const {
  return missed.empty() &&
         std::all_of(passes.begin(), passes.end(), [](const ZooPassRow& p) { return p.passed; });
}

Expected<ZooReport> RunZoo(const ZooOptions& options, const ZooProgress& progress) {
  auto target = MakeTarget(options.target);
  if (!target.ok()) return target.error();
  for (const std::string& s : options.strategies) {
    if (s == "free") continue;
    auto made = sched::MakeStrategy(s);
    if (!made.ok()) return made.error();
  }
  auto files = LoadZooScenarios(options, **target);
  if (!files.ok()) return files.error();
  const std::vector<std::string> faults = (*target)->FaultNames();
  const auto start = Clock::now();
  ZooReport report;
  for (const std::string& fault : faults) {
    bool pct_found = false;
    for (const ZooScenario& file : *files) {
      for (const Expectation& e : file.scenario.expect) {
        if (e.faults.size() != 1 || e.faults[0] != fault || !e.violation) continue;
        for (const std::string& strategy : options.strategies) {
          ZooCell cell = RunCell(options, file, fault, *e.violation, strategy);
          pct_found |= cell.found && strategy.rfind("pct", 0) == 0;
          if (progress.cell) progress.cell(cell);
          report.cells.push_back(std::move(cell));
        }
      }
    }
    if (!pct_found) report.missed.push_back(fault);
  }
  for (const ZooScenario& file : *files) {
    std::vector<std::vector<std::string>> pass_sets;
    for (const Expectation& e : file.scenario.expect) {
      if (e.violation) continue;
      bool ours = true;
      for (const std::string& f : e.faults)
        ours &= Known(faults, f);
      if (ours) pass_sets.push_back(e.faults);
    }
    if (file.scenario.expect.empty()) pass_sets.push_back({});
    for (const auto& set : pass_sets) {
      ZooPassRow row = RunPass(options, file, set);
      if (progress.pass) progress.pass(row);
      report.passes.push_back(std::move(row));
    }
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace gcs
