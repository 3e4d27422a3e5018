// gcstress zoo — running every seed fault's scenario family under every strategy.
#include "harness/zoo/zoo.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "harness/minimizer/isolated_predicate.h"
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

// One target at one version, as the zoo runs it.
struct ZooTarget {
  std::string spec;  // "pyo3@0.17.3"
  std::string system, version;
  bool real = false;  // no fault switches: its bugs are its own code's
  std::vector<std::string> faults;
  std::vector<std::string> strategies;
  std::chrono::milliseconds cell_budget{0};
  uint64_t pass_iterations = 0;
};

// Writes the failure's repro, minimized first when asked and replayable (the candidates of a died
// execution, or of a target that may kill its process, run in child processes).
std::string WriteCellRepro(const ZooOptions& options, const ZooScenario& file,
                           const RunConfig& config, const Failure& failure, ZooCell& cell) {
  Repro repro = MakeRepro(file.scenario, config, failure);
  const bool died = !failure.evidence.empty() || failure.execution.trace.entries.empty();
  if (options.minimize && !config.free_mode) {
    auto target = MakeTarget(config.target);
    if (target.ok()) {
      const Predicate predicate =
          MinimizerPredicateFor(**target, config.target, config.faults, cell.signature, died);
      MinimizeOptions mo;
      mo.max_time = options.minimize_budget;
      mo.load = ScenarioLoadOptionsFor(**target);
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

ZooCell RunCell(const ZooOptions& options, const ZooTarget& target, const ZooScenario& file,
                const std::vector<std::string>& faults, ViolationKind expected,
                const std::string& strategy) {
  ZooCell cell;
  cell.target = target.spec;
  cell.system = target.system;
  cell.version = target.version;
  cell.real = faults.empty();
  cell.fault = faults.empty() ? "" : faults[0];
  cell.scenario = file.path;
  cell.strategy = strategy;
  cell.expected = expected;
  cell.scenario_steps = file.scenario.TotalSteps();
  RunConfig config;
  config.target = target.spec;
  config.faults = faults;
  config.free_mode = strategy == "free";
  config.strategy = strategy;
  config.yield_per_mille = options.yield_per_mille;
  config.seed = options.seed;
  config.iterations = 0;
  config.time_budget = target.cell_budget;
  config.keep_going = true;
  config.stop_on_kind = expected;
  // Executions in child processes, as `gcstress run` does: a real system's bug can kill the
  // process that runs it.
  config.isolate = target.real;
  config.step_timeout = std::chrono::seconds(10);
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

ZooPassRow RunPass(const ZooOptions& options, const ZooTarget& target, const ZooScenario& file,
                   const std::vector<std::string>& faults) {
  ZooPassRow row;
  row.target = target.spec;
  row.system = target.system;
  row.version = target.version;
  row.real = target.real;
  row.scenario = file.path;
  row.faults = faults;
  RunConfig config;
  config.target = target.spec;
  config.faults = faults;
  config.strategy = "pct";
  config.seed = options.seed;
  config.iterations = target.pass_iterations;
  config.isolate = target.real;
  config.step_timeout = std::chrono::seconds(10);
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

// Every cell and pass row of one target at one version.
void RunTarget(const ZooOptions& options, const ZooTarget& target,
               const std::vector<ZooScenario>& files, const ZooProgress& progress,
               ZooReport& report) {
  // The bugs: each fault switch alone, then the target's own code (no fault).
  std::vector<std::vector<std::string>> bugs;
  for (const std::string& f : target.faults)
    bugs.push_back({f});
  bugs.push_back({});
  auto selected = [&](const ZooScenario& file) {
    return ExpectationsFor(file.scenario, target.system, target.version);
  };
  for (const std::vector<std::string>& bug : bugs) {
    bool has_family = false, pct_found = false;
    for (const ZooScenario& file : files) {
      for (const Expectation* e : selected(file)) {
        if (e->faults != bug || !e->violation) continue;
        has_family = true;
        for (const std::string& strategy : target.strategies) {
          ZooCell cell = RunCell(options, target, file, bug, *e->violation, strategy);
          pct_found |= cell.found && strategy.rfind("pct", 0) == 0;
          if (progress.cell) progress.cell(cell);
          report.cells.push_back(std::move(cell));
        }
      }
    }
    // A fault switch no scenario expects is missed too; a version whose own code no scenario
    // expects to fail is simply a version without the bug.
    if (!pct_found && (has_family || !bug.empty())) {
      report.missed.push_back(bug.empty() ? target.spec : bug[0]);
    }
  }
  for (const ZooScenario& file : files) {
    std::vector<std::vector<std::string>> pass_sets;
    for (const Expectation* e : selected(file)) {
      if (e->violation) continue;
      bool ours = true;
      for (const std::string& f : e->faults)
        ours &= Known(target.faults, f);
      if (ours) pass_sets.push_back(e->faults);
    }
    if (file.scenario.expect.empty()) pass_sets.push_back({});
    for (const auto& set : pass_sets) {
      ZooPassRow row = RunPass(options, target, file, set);
      if (progress.pass) progress.pass(row);
      report.passes.push_back(std::move(row));
    }
  }
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
  LoadOptions load = ScenarioLoadOptionsFor(target);
  load.supported_ops = kAllOps;  // a file with other ops is left out below, not an error
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

Expected<std::vector<std::string>> ZooTargetSpecs(const std::string& spec) {
  if (spec.find('@') != std::string::npos) return std::vector<std::string>{spec};
  for (const TargetInfo& t : ListTargets()) {
    if (t.name != spec || t.versions.empty()) continue;
    std::vector<std::string> specs;
    for (const std::string& v : t.versions)
      specs.push_back(spec + "@" + v);
    return specs;
  }
  return std::vector<std::string>{spec};
}

Expected<std::vector<std::string>> RealSystems(const ZooOptions& options) {
  ZooOptions all = options;
  auto core = MakeTarget("core");
  if (!core.ok()) return core.error();
  // Every file, whatever its ops: only the names its expect entries give matter here.
  std::error_code ec;
  if (!std::filesystem::is_directory(options.scenarios_dir, ec)) {
    return InputError{options.scenarios_dir, "", "not a directory of scenarios"};
  }
  std::set<std::string> named;
  LoadOptions load = ScenarioLoadOptionsFor(**core);
  load.supported_ops = kAllOps;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(options.scenarios_dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    auto s = LoadScenarioFile(entry.path().string(), load);
    if (!s.ok()) return s.error();
    for (const Expectation& e : s->expect) {
      if (!e.target.empty()) named.insert(e.target.substr(0, e.target.find('@')));
    }
  }
  std::vector<std::string> out;
  for (const TargetInfo& t : ListTargets()) {
    if (t.name == options.target || named.count(t.name) == 0) continue;
    auto made = t.make(t.versions.empty() ? "" : t.versions[0]);
    if (made.ok() && (*made)->FaultNames().empty()) out.push_back(t.name);
  }
  return out;
}

Expected<ZooReport> RunZoo(const ZooOptions& options, const ZooProgress& progress) {
  for (const std::string& s : options.strategies) {
    if (s == "free") continue;
    auto made = sched::MakeStrategy(s);
    if (!made.ok()) return made.error();
  }
  std::vector<std::pair<std::string, bool>> specs;  // (spec, real)
  auto add = [&](const std::string& name, bool real) -> std::optional<InputError> {
    auto versions = ZooTargetSpecs(name);
    if (!versions.ok()) return versions.error();
    for (const std::string& v : *versions)
      specs.emplace_back(v, real);
    return std::nullopt;
  };
  if (auto error = add(options.target, false)) return *error;
  if (options.real_systems) {
    auto real = RealSystems(options);
    if (!real.ok()) return real.error();
    for (const std::string& name : *real) {
      if (auto error = add(name, true)) return *error;
    }
  }
  const auto start = Clock::now();
  ZooReport report;
  for (const auto& [spec, listed_real] : specs) {
    auto target = MakeTarget(spec);
    if (!target.ok()) return target.error();
    ZooTarget t;
    t.spec = TargetSpec(**target);
    t.system = std::string((*target)->Name());
    t.version = std::string((*target)->Version());
    t.faults = (*target)->FaultNames();
    t.real = t.faults.empty();
    const bool light = listed_real;  // the main job's real-systems rows: pct, fewer passes
    t.strategies = light ? options.real_strategies : options.strategies;
    t.pass_iterations = light ? options.real_iterations : options.fixed_iterations;
    t.cell_budget = light ? options.real_cell_budget : options.cell_budget;
    auto files = LoadZooScenarios(options, **target);
    if (!files.ok()) return files.error();
    RunTarget(options, t, *files, progress, report);
    if (t.real) report.abouts.push_back(t.spec + ": " + (*target)->About());
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

}  // namespace gcs
