// gcstress cli — `gcstress zoo`: the seed-bug zoo as a table (and --bench: detection speed).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/cli/commands.h"
#include "harness/cli/duration.h"
#include "harness/cli/report_output.h"
#include "harness/cli/table.h"
#include "harness/reporters/junit_reporter.h"
#include "harness/scheduler/strategy.h"
#include "harness/zoo/zoo.h"
#include "harness/zoo/zoo_bench.h"
#include "harness/zoo/zoo_report.h"

namespace gcs::cli {
namespace {

std::string Seconds(double s) {
  char buf[32];
  if (s < 1) {
    std::snprintf(buf, sizeof buf, "%.1f ms", s * 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", s);
  }
  return buf;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf,
                v == static_cast<double>(static_cast<uint64_t>(v)) ? "%.0f" : "%.1f", v);
  return buf;
}

// "refpool-minimal" for scenarios/refpool/refpool-minimal.json.
std::string Short(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Expected<ZooOptions> MakeZooOptions(const Flags& flags) {
  ZooOptions o;
  o.target = flags.target;
  o.scenarios_dir = flags.scenarios;
  o.strategies = SplitCommas(flags.strategies);
  if (o.strategies.empty()) return InputError{"<flag>", "--strategies", "no strategy given"};
  auto budget = ParseDuration(flags.budget, "--budget");
  if (!budget) return budget.error();
  if (budget->count() <= 0) return InputError{"<flag>", "--budget", "must be positive"};
  o.cell_budget = *budget;
  o.seed = flags.seed;
  o.yield_per_mille = flags.yield_per_mille;
  o.fixed_iterations = flags.iterations;
  // The default target's zoo is the main job: the core, then the real systems.
  o.real_systems = flags.target == "core" && !flags.no_real_systems;
  o.real_iterations = flags.real_iterations;
  auto real_budget = ParseDuration(flags.real_budget, "--real-budget");
  if (!real_budget) return real_budget.error();
  if (real_budget->count() <= 0) return InputError{"<flag>", "--real-budget", "must be positive"};
  o.real_cell_budget = *real_budget;
  o.minimize = !flags.no_minimize;
  o.reports_dir = (std::filesystem::path(flags.reports) / "zoo").string();
  return o;
}

std::string CellKind(const ZooCell& c) {
  std::string kind = "-";
  if (c.kind) kind = std::string(ViolationName(*c.kind));
  if (!c.found && c.kind) kind = "(" + kind + ")";  // another kind showed, not the expected one
  return kind;
}

std::string CellReplay(const ZooCell& c) {
  std::string replay = ReplayCommand(c);
  if (replay.empty()) replay = c.found ? "(free mode: not replayable)" : "-";
  return replay;
}

std::string ReproSteps(const ZooCell& c) {
  return c.found ? std::to_string(c.repro_steps) + "/" + std::to_string(c.scenario_steps) : "-";
}

std::vector<std::string> CellRow(const ZooCell& c) {
  return {c.fault,
          Short(c.scenario),
          c.strategy,
          c.found ? "yes" : "no",
          CellKind(c),
          std::to_string(c.iterations),
          Seconds(c.seconds),
          ReproSteps(c),
          CellReplay(c)};
}

// A real system's row: which system and version, then what a seed fault's row says from its
// scenario on.
std::vector<std::string> RealRow(const ZooCell& c) {
  std::vector<std::string> row = {c.system, c.version.empty() ? "-" : c.version};
  const std::vector<std::string> cell = CellRow(c);
  row.insert(row.end(), cell.begin() + 1, cell.end());
  return row;
}

// "pyo3 0.17.3"; a fault cell's fault.
std::string BugName(const ZooCell& c) {
  return c.real ? c.system + (c.version.empty() ? "" : " " + c.version) : c.fault;
}

void PrintZoo(const ZooReport& r) {
  std::vector<TableRow> rows, real_rows;
  for (const ZooCell& c : r.cells) {
    if (c.real) {
      real_rows.push_back(RealRow(c));
    } else {
      rows.push_back(CellRow(c));
    }
  }
  if (!rows.empty()) {
    std::printf("%s", FormatTable({"fault", "scenario", "strategy", "found", "kind", "iterations",
                                   "time", "repro steps", "replay"},
                                  rows, false)
                          .c_str());
  }
  if (!real_rows.empty()) {
    std::printf("%sreal systems: the bug in the library's own code, no fault switch\n%s",
                rows.empty() ? "" : "\n",
                FormatTable({"system", "version", "scenario", "strategy", "found", "kind",
                             "iterations", "time", "repro steps", "replay"},
                            real_rows, false)
                    .c_str());
    for (const std::string& about : r.abouts)
      std::printf("  %s\n", about.c_str());
  }
  std::vector<TableRow> passes;
  for (const ZooPassRow& p : r.passes) {
    std::string faults;
    for (const std::string& f : p.faults)
      faults += (faults.empty() ? "" : ",") + f;
    if (faults.empty()) {
      faults = p.real ? "- (" + p.system + (p.version.empty() ? "" : " " + p.version) + ")"
                      : "- (fixed " + p.system + ")";
    }
    passes.push_back({Short(p.scenario), faults, std::to_string(p.iterations),
                      p.passed ? "pass" : "FAIL " + p.signature + " (" + p.repro + ")"});
  }
  std::printf("\n%s",
              FormatTable({"must pass", "faults", "iterations", "result"}, passes, false).c_str());
  // The headline: per bug (a fault, or a real system at a version), the fastest pct cell.
  std::printf("\n");
  size_t found = 0, failed_passes = 0;
  for (const ZooCell& c : r.cells)
    found += c.found ? 1 : 0;
  for (const ZooPassRow& p : r.passes)
    failed_passes += p.passed ? 0 : 1;
  std::vector<std::string> bugs;
  size_t faults = 0, real_bugs = 0, missed_faults = 0, missed_real = 0;
  for (const ZooCell& c : r.cells) {
    if (std::find(bugs.begin(), bugs.end(), BugName(c)) != bugs.end()) continue;
    bugs.push_back(BugName(c));
    (c.real ? real_bugs : faults) += 1;
  }
  for (const std::string& m : r.missed) {
    const bool real = m.find('@') != std::string::npos;
    (real ? missed_real : missed_faults) += 1;
    const bool has_cells = std::any_of(r.cells.begin(), r.cells.end(), [&](const ZooCell& c) {
      return c.target == m || c.fault == m;
    });
    if (!has_cells) {
      faults += 1;
      std::printf("MISSED %s: no scenario expects it\n", m.c_str());
    }
  }
  for (const std::string& bug : bugs) {
    const ZooCell* best = nullptr;
    for (const ZooCell& c : r.cells) {
      if (BugName(c) != bug || !c.found || c.strategy.rfind("pct", 0) != 0) continue;
      if (best == nullptr || c.seconds < best->seconds) best = &c;
    }
    if (best == nullptr) {
      std::printf("MISSED %s: no pct cell found it\n", bug.c_str());
    } else {
      std::printf("found  %-26s %-20s in %s (%llu iterations, %s): %s\n", bug.c_str(),
                  std::string(ViolationName(best->expected)).c_str(),
                  Seconds(best->seconds).c_str(), static_cast<unsigned long long>(best->iterations),
                  Short(best->scenario).c_str(), ReplayCommand(*best).c_str());
    }
  }
  std::printf("zoo: %zu of %zu seed faults found by pct", faults - missed_faults, faults);
  if (real_bugs > 0) {
    std::printf("; %zu of %zu real-system bugs found by pct", real_bugs - missed_real, real_bugs);
  }
  std::printf("; %zu of %zu cells found; %zu of %zu pass checks held; %s\n", found, r.cells.size(),
              r.passes.size() - failed_passes, r.passes.size(), Seconds(r.seconds).c_str());
  std::printf("%s\n", r.ok() ? "zoo: OK" : "zoo: FAILED");
}

// --junit: a testcase per cell (pct must find its fault; another strategy that misses it is
// skipped, not failed: finding it is pct's job), per pass check, per fault no scenario expects.
std::vector<reporters::CaseResult> ZooCases(const ZooReport& r) {
  using Status = reporters::CaseResult::Status;
  std::vector<reporters::CaseResult> cases;
  for (const ZooCell& c : r.cells) {
    reporters::CaseResult k;
    k.suite = "zoo";
    k.group = BugName(c);
    k.name = Short(c.scenario) + " [" + c.strategy + "]";
    k.seconds = c.seconds;
    if (c.found) {
      k.summary = "found " + c.signature + " in " + std::to_string(c.iterations) + " iterations" +
                  (c.repro.empty() ? "" : ": " + ReplayCommand(c));
    } else {
      k.status = c.strategy.rfind("pct", 0) == 0 ? Status::kFail : Status::kSkipped;
      k.summary = "not found in " + std::to_string(c.iterations) + " iterations" +
                  (c.kind ? " (saw " + std::string(ViolationName(*c.kind)) + ")" : "");
    }
    k.details = k.summary + "\n";
    cases.push_back(std::move(k));
  }
  for (const ZooPassRow& p : r.passes) {
    reporters::CaseResult k;
    k.suite = "zoo";
    k.group = "pass";
    std::string faults;
    for (const std::string& f : p.faults)
      faults += (faults.empty() ? "" : ",") + f;
    k.name = Short(p.scenario) + " [" +
             (faults.empty() ? (p.real ? p.target : "fixed " + p.system) : faults) + "]";
    k.status = p.passed ? Status::kPass : Status::kFail;
    k.summary = p.passed ? std::to_string(p.iterations) + " iterations, no violation"
                         : "FAIL " + p.signature + " (" + p.repro + ")";
    k.details = k.summary + "\n";
    cases.push_back(std::move(k));
  }
  for (const std::string& m : r.missed) {
    const bool has_cells =
        std::any_of(r.cells.begin(), r.cells.end(), [&](const ZooCell& c) { return c.fault == m; });
    if (has_cells) continue;  // its pct cells failed already
    cases.push_back({"zoo", m, "no scenario expects it", Status::kFail,
                     "MISSED " + m + ": no scenario expects it", "", 0});
  }
  return cases;
}

// --json FILE: false (the error printed) when it cannot be written.
bool WriteJson(const std::string& path, const nlohmann::ordered_json& json) {
  std::ofstream out(path);
  out << json.dump(2) << "\n";
  if (out) return true;
  PrintError(InputError{path, "", "cannot write"});
  return false;
}

// "252x"; ">= 2500x" when free's median is a miss; "-" when pct's median is.
std::string Speedup(const ZooBenchRow& r) {
  if (r.speedup <= 0) return "-";
  return (r.speedup_is_bound ? ">= " : "") + Number(std::round(r.speedup)) + "x";
}

std::string Found(const DetectionStats& s) {
  return std::to_string(s.found) + "/" + std::to_string(s.searches);
}

// A median, or "> budget" when it falls on searches that missed.
std::string MedianTime(const DetectionStats& s) {
  return (s.median_found ? "" : "> ") + Seconds(s.median_seconds);
}

std::string MedianIterations(const DetectionStats& s) {
  return (s.median_found ? "" : "> ") + Number(s.median_iterations);
}

// "portfolio" of "portfolio:random=30": the bench tables' column prefix.
std::string StrategyName(const std::string& spec) {
  return spec.substr(0, spec.find(':'));
}

void PrintBench(const ZooBenchReport& report, const std::string& strategy) {
  const std::string name = StrategyName(strategy);
  std::vector<TableRow> table;
  std::vector<bool> judged(report.rows.size(), false);
  for (const ZooBenchFault& f : report.faults)
    judged[f.judged] = true;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const ZooBenchRow& r = report.rows[i];
    table.push_back({r.bug, Short(r.scenario), Found(r.search), MedianTime(r.search),
                     MedianIterations(r.search), Found(r.free), MedianTime(r.free),
                     MedianIterations(r.free), Speedup(r), judged[i] ? "*" : ""});
  }
  std::printf("%s",
              FormatTable({"fault", "scenario", name + " found", name + " median", name + " iters",
                           "free found", "free median", "free iters", "speedup", "judged"},
                          table, false)
                  .c_str());
  for (const ZooBenchFault& f : report.faults) {
    double worst = 0;
    for (size_t i : f.rows)
      worst = std::max(worst, report.rows[i].search.median_seconds);
    const ZooBenchRow& j = report.rows[f.judged];
    std::printf(
        "%-6s %-26s %s: every search of %zu scenario(s) found: %s, slowest median %s; "
        "vs free on %s: %s\n",
        f.ok() ? "ok" : "FAILED", f.fault.c_str(), name.c_str(), f.rows.size(),
        f.search_ok ? "yes" : "no", Seconds(worst).c_str(), Short(j.scenario).c_str(),
        Speedup(j).c_str());
  }
  for (const std::string& m : report.missing)
    std::printf("FAILED %-26s no scenario expects it\n", m.c_str());
}

// --bench-runs N: per fault, its judged scenario's search median iterations and the speedup in
// each run, and in how many runs the fault's targets held.
void PrintSpread(const std::vector<ZooBenchReport>& reports, const std::string& strategy) {
  std::vector<TableRow> table;
  for (size_t f = 0; f < reports[0].faults.size(); ++f) {
    // Each run judges its own row (the free loop's misses can move it): the scenario column
    // names one scenario when every run judged it, else each run's in order.
    std::string scenarios, iterations, speedups;
    bool one_scenario = true;
    size_t held = 0;
    for (const ZooBenchReport& report : reports) {
      const ZooBenchFault& fault = report.faults[f];
      const ZooBenchRow& row = report.rows[fault.judged];
      one_scenario =
          one_scenario && row.scenario == reports[0].rows[reports[0].faults[f].judged].scenario;
      scenarios += (scenarios.empty() ? "" : " / ") + Short(row.scenario);
      iterations += (iterations.empty() ? "" : " / ") + MedianIterations(row.search);
      speedups += (speedups.empty() ? "" : " / ") + Speedup(row);
      held += fault.ok() ? 1 : 0;
    }
    const ZooBenchFault& first = reports[0].faults[f];
    table.push_back(
        {first.fault, one_scenario ? Short(reports[0].rows[first.judged].scenario) : scenarios,
         iterations, speedups, std::to_string(held) + "/" + std::to_string(reports.size())});
  }
  std::printf("spread over %zu runs (each run's judged scenario of each fault):\n%s",
              reports.size(),
              FormatTable({"fault", "scenario", StrategyName(strategy) + " median iters per run",
                           "speedup per run", "runs ok"},
                          table, false)
                  .c_str());
}

ExitCode RunBench(const Invocation& inv, const ZooOptions& zoo) {
  ZooBenchOptions o;
  o.zoo = zoo;
  o.seeds = inv.flags.bench_seeds;
  o.strategy = inv.flags.bench_strategy;
  if (o.strategy == "free") {
    PrintError(
        InputError{"<flag>", "--bench-strategy", "free is what the search is measured against"});
    return ExitCode::kBadInput;
  }
  if (auto strategy = sched::MakeStrategy(o.strategy); !strategy) {
    PrintError(InputError{"<flag>", "--bench-strategy", strategy.error().message});
    return ExitCode::kBadInput;
  }
  o.free_yield_per_mille = inv.flags.bench_yield_per_mille;
  if (o.seeds == 0) {
    PrintError(InputError{"<flag>", "--bench-seeds", "must be positive"});
    return ExitCode::kBadInput;
  }
  if (o.free_yield_per_mille > 1000) {
    PrintError(InputError{"<flag>", "--bench-yield-per-mille", "must be at most 1000"});
    return ExitCode::kBadInput;
  }
  auto budget = ParseDuration(inv.flags.bench_budget, "--bench-budget");
  if (PrintIfError(budget)) return ExitCode::kBadInput;
  if (budget->count() <= 0) {
    PrintError(InputError{"<flag>", "--bench-budget", "must be positive"});
    return ExitCode::kBadInput;
  }
  o.search_budget = o.free_budget = *budget;
  const uint32_t runs = inv.flags.bench_runs;
  if (runs == 0) {
    PrintError(InputError{"<flag>", "--bench-runs", "must be positive"});
    return ExitCode::kBadInput;
  }
  std::fprintf(stderr,
               "zoo bench: every scenario of each fault's family, %s against free, %u searches per "
               "scenario and strategy, %s each at most; free mode with %u/1000 yields\n",
               o.strategy.c_str(), o.seeds,
               Seconds(std::chrono::duration<double>(*budget).count()).c_str(),
               o.free_yield_per_mille);
  // Each run searches fresh seeds: run r takes searches r*seeds+1 .. (r+1)*seeds.
  std::vector<ZooBenchReport> reports;
  nlohmann::ordered_json json_runs = nlohmann::ordered_json::array();
  for (uint32_t r = 0; r < runs; ++r) {
    o.first_seed = 1 + r * o.seeds;
    if (runs > 1) {
      std::printf("run %u of %u: searches %u..%u\n", r + 1, runs, o.first_seed,
                  o.first_seed + o.seeds - 1);
    }
    auto report = RunZooBench(o, [](const ZooBenchRow& row) {
      std::fprintf(stderr, "  %-26s %-28s done\n", row.bug.c_str(), Short(row.scenario).c_str());
    });
    if (PrintIfError(report)) return ExitCode::kBadInput;
    PrintBench(*report, o.strategy);
    json_runs.push_back(ZooBenchToJson(*report, o));
    reports.push_back(std::move(report).value());
  }
  bool ok = true;
  for (const ZooBenchReport& report : reports)
    ok = ok && report.ok();
  if (runs > 1) PrintSpread(reports, o.strategy);
  if (!inv.flags.json.empty()) {
    nlohmann::ordered_json json = json_runs[0];
    if (runs > 1) {
      json = nlohmann::ordered_json::object();
      json["gcstress_zoo_bench_runs"] = 1;
      json["ok"] = ok;
      json["runs"] = std::move(json_runs);
    }
    if (!WriteJson(inv.flags.json, json)) return ExitCode::kBadInput;
  }
  const bool real = std::any_of(reports[0].faults.begin(), reports[0].faults.end(),
                                [](const ZooBenchFault& f) { return f.real; });
  std::printf("zoo bench: %s (targets, per %s%s: %s finds every search of its family%s)\n",
              ok ? "OK" : "FAILED", real ? "version" : "fault", runs > 1 ? ", in every run" : "",
              StrategyName(o.strategy).c_str(),
              real ? "; a real system's speeds are reported, not judged"
                   : ", each median < 1 s; >= 100x free's median on the family's scenario free "
                     "finds slowest, marked *");
  return ok ? ExitCode::kPass : ExitCode::kViolation;
}

}  // namespace

ExitCode ZooCommand(const Invocation& inv) {
  Expected<ZooOptions> options = MakeZooOptions(inv.flags);
  if (PrintIfError(options)) return ExitCode::kBadInput;
  if (inv.flags.bench) return RunBench(inv, *options);
  // The zoo owns <reports>/zoo: start it empty, so that a run's repro paths are its own.
  std::error_code ec;
  std::filesystem::remove_all(options->reports_dir, ec);
  ZooProgress progress;
  progress.cell = [](const ZooCell& c) {
    std::fprintf(stderr, "  %-26s %-28s %-7s %s\n", BugName(c).c_str(), Short(c.scenario).c_str(),
                 c.strategy.c_str(), c.found ? ("found in " + Seconds(c.seconds)).c_str() : "-");
  };
  std::fprintf(stderr, "zoo: every seed fault x its scenarios x %s, %s per cell\n",
               inv.flags.strategies.c_str(), inv.flags.budget.c_str());
  Expected<ZooReport> report = RunZoo(*options, progress);
  if (PrintIfError(report)) return ExitCode::kBadInput;
  PrintZoo(*report);
  if (!inv.flags.junit.empty()) {
    reporters::JUnitReporter junit(inv.flags.junit);
    for (const reporters::CaseResult& c : ZooCases(*report))
      junit.ReportCase(c);
    if (auto error = junit.Finish()) {
      PrintError(*error);
      return ExitCode::kBadInput;
    }
  }
  if (!inv.flags.json.empty() && !WriteJson(inv.flags.json, ZooToJson(*report))) {
    return ExitCode::kBadInput;
  }
  return report->ok() ? ExitCode::kPass : ExitCode::kViolation;
}

}  // namespace gcs::cli
