// gcstress tests — the gcstress binary, run as a subprocess: exit codes, output, repro files,
// replay, loop, check, list, and one-line errors for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/faults.h"
#include "harness/oracles/oracle.h"
#include "harness/scenario/op.h"
#include "harness/scenario/violation.h"
#include "harness/scheduler/strategy.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/cli/gcstress_fixture.h"

namespace gcs {
namespace {

using testing::Lines;
using testing::ProcessResult;

using testing::kTestdata;
const std::string kExamples = testing::kScenarios + "examples/";

class CliTest : public testing::GcstressFixture {
 protected:
  static bool OraclesPresent() {
    CoreTarget target;
    return !MakeOracles(target).empty();
  }
};

// --- help, generated from flags.def --------------------------------------------------------

struct FlagDecl {
  const char* name;
  const char* commands;
};
constexpr FlagDecl kFlags[] = {
#define GCS_FLAG(member, name, Kind, def, value, commands, help) {name, commands},
#include "harness/cli/flags.def"
#undef GCS_FLAG
};

TEST_F(CliTest, EachSubcommandsHelpListsExactlyItsFlags) {
  const std::pair<const char*, char> subs[] = {
      {"run", 'r'}, {"replay", 'p'}, {"loop", 'l'}, {"check", 'c'}, {"list", 'i'}};
  for (const auto& [sub, letter] : subs) {
    const ProcessResult r = Gcstress({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find(std::string("Usage: gcstress ") + sub), std::string::npos) << r.out;
    for (const FlagDecl& f : kFlags) {
      const bool takes = std::string_view(f.commands).find(letter) != std::string_view::npos;
      const std::regex shown("\\n  " + std::string(f.name) + "[ =]");
      EXPECT_EQ(std::regex_search(r.out, shown), takes) << sub << " " << f.name << "\n" << r.out;
    }
  }
}

TEST_F(CliTest, TopLevelHelpNamesTheSubcommandsAndTheExitCodes) {
  const ProcessResult r = Gcstress({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"run", "replay", "loop", "check", "list", "bench", "zoo"})
    EXPECT_NE(r.out.find(std::string("\n  ") + s + " "), std::string::npos) << s;
  EXPECT_NE(r.out.find("Exit codes:\n  0  pass"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  4  hang"), std::string::npos);
  EXPECT_NE(Gcstress({"run", "--help"}).out.find("--strategy SPEC=portfolio"), std::string::npos);
}

// --- run -------------------------------------------------------------------------------------

TEST_F(CliTest, RunPassesAPassingScenarioWithOneLine) {
  const ProcessResult r = Gcstress({"run", kTestdata + "calm.json", "--iterations", "200"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  ASSERT_EQ(Lines(r.out).size(), 1u) << r.out;
  EXPECT_EQ(
      r.out.rfind("PASS " + kTestdata + "calm.json: 200 iterations, no violation [portfolio:", 0),
      0u)
      << r.out;
  EXPECT_NE(r.err.find("200 executions in"), std::string::npos) << r.err;  // timing: stderr only
  EXPECT_FALSE(Exists("reports"));
}

TEST_F(CliTest, RunOnTheFixedCorePassesEveryExample) {
  std::vector<std::string> args = {"run", "--iterations", "100"};
  for (const char* f : {"finalization-registry", "gc-subclass-cycle", "refpool-clone-drop",
                        "vm-switch", "weak-upgrade", "worker-proxy", "worker-terminate"}) {
    args.push_back(kExamples + f + ".json");
  }
  const ProcessResult r = Gcstress(args);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Lines(r.out).size(), 7u) << r.out;
}

// The shared proxy table of coincident (SEED_BUGS.md #3): pct finds it in the first iterations.
const std::string kSharedTableSlug = "premature-collection-yield-step-lifecycle.dealloc";

TEST_F(CliTest, RunFindsTheBugWritesAReproAndItsReplayCommandReproducesIt) {
  const ProcessResult r = Gcstress({"run", kTestdata + "shared-table.json", "--fault",
                                    "proxy-shared-table", "--strategy", "pct"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0].rfind(
                "FAIL " + kTestdata + "shared-table.json: premature-collection at iteration ", 0),
            0u)
      << r.out;
  EXPECT_EQ(lines[1].rfind("  premature-collection/yield/step/lifecycle.dealloc: ", 0), 0u)
      << r.out;
  EXPECT_EQ(lines[3], "  repro: reports/" + kSharedTableSlug + "/repro.json");
  const std::string path = ReplayPath(r.out);
  ASSERT_EQ(path, "reports/" + kSharedTableSlug + "/repro.json");
  ASSERT_TRUE(Exists(path));

  const ProcessResult replay = Gcstress({"replay", path});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_EQ(Lines(replay.out)[0], "replay " + path +
                                      ": premature-collection/yield/step/lifecycle.dealloc "
                                      "(matches the recorded verdict)");
  EXPECT_EQ(Lines(replay.out).back(), "reproduced 1/1");
  EXPECT_EQ(replay.out.find("note: the schedule stopped fitting"), std::string::npos);

  const ProcessResult again = Gcstress({"replay", path, "--repeat", "20", "--trace"});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(Lines(again.out).back(), "reproduced 20/20");
  EXPECT_NE(again.out.find("  trace:\n    "), std::string::npos);
  EXPECT_NE(again.out.find("w1 step 0 begin: drop p1"), std::string::npos) << again.out;
}

TEST_F(CliTest, AFreeThatOnlyTwoClosingVmsProxiesExcusedReplaysAsAPass) {
  // A fixed-core execution the portfolio's random walk found (generated scenario 21713,
  // minimized): t2 terminates w1 (its export of #15 dropped, the worker not yet destroyed) while
  // t1 destroys v1, whose export drop frees #15; a proxy in each closing VM reached it. It was
  // reported as premature collection because neither VM alone excused the free.
  const std::string path = kTestdata + "two-closing-vms.repro.json";
  const ProcessResult r = Gcstress({"replay", path, "--trace"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Lines(r.out)[0], "replay " + path +
                                 ": pass (the recorded verdict was "
                                 "premature-collection/destroy_vm/step/lifecycle.dealloc)");
  EXPECT_NE(r.out.find("t1 step 2 begin: destroy_vm v1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("t1   free #15 vm0 @lifecycle.dealloc"), std::string::npos)
      << "the schedule no longer reaches the free: " << r.out;
}

TEST_F(CliTest, RunOutputDoesNotDependOnJobs) {
  const std::vector<std::string> base = {"run",
                                         kTestdata + "shared-table.json",
                                         kTestdata + "calm.json",
                                         "--fault",
                                         "proxy-shared-table",
                                         "--keep-going",
                                         "--iterations",
                                         "400",
                                         "--no-repro"};
  std::vector<std::string> one = base, three = base;
  one.insert(one.end(), {"--jobs", "1"});
  three.insert(three.end(), {"--jobs", "3"});
  const ProcessResult a = Gcstress(one), b = Gcstress(three);
  EXPECT_EQ(a.code, 1);
  EXPECT_EQ(b.code, 1);
  EXPECT_EQ(a.out, b.out);
  EXPECT_TRUE(std::regex_search(
      a.out, std::regex(" violations in 400 iterations, [0-9]+ distinct signatures?")))
      << a.out;
  EXPECT_NE(b.err.find("3 workers"), std::string::npos) << b.err;
}

TEST_F(CliTest, CheckDeterminismAcceptsTheCore) {
  const ProcessResult r =
      Gcstress({"run", kTestdata + "shared-table.json", kTestdata + "calm.json", "--fault",
                "proxy-shared-table", "--check-determinism", "--keep-going", "--iterations", "200",
                "--no-repro", "--strategy", "random"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;  // the violations, not an internal error
  EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
}

TEST_F(CliTest, DfsSaysWhenItHasExploredEverything) {
  const ProcessResult r =
      Gcstress({"run", kTestdata + "calm.json", "--strategy", "dfs:max-preemptions=1"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^PASS .*: explored all [0-9]+ schedules, no "
                                                  "violation \\[dfs:max-preemptions=1 seed=1\\]")))
      << r.out;
}

// --- loop ------------------------------------------------------------------------------------

TEST_F(CliTest, LoopStopsAtTheFirstFailureAndItsReplayCommandReproducesIt) {
  const ProcessResult r = Gcstress({"loop", kTestdata + "shared-table.json", "--fault",
                                    "proxy-shared-table", "--until-fail", "--strategy", "pct"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(
      r.out.rfind(
          "loop FAIL " + kTestdata + "shared-table.json: premature-collection at iteration ", 0),
      0u)
      << r.out;
  const std::string path = ReplayPath(r.out);
  ASSERT_FALSE(path.empty()) << r.out;
  const ProcessResult replay = Gcstress({"replay", path, "--repeat", "5"});
  EXPECT_EQ(replay.code, 1);
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;
  EXPECT_EQ(Lines(replay.out).back(), "reproduced 5/5");
}

TEST_F(CliTest, LoopPrintsPlainStatusLinesWhenNotOnATerminal) {
  const ProcessResult r =
      Gcstress({"loop", kTestdata + "calm.json", "--max-time", "700ms", "--status-every", "100ms"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("loop PASS " + kTestdata + "calm.json: ", 0), 0u) << r.out;
  EXPECT_NE(
      r.out.find("no violation (time budget reached) [portfolio:max-depth=8,random=50,steps="),
      std::string::npos)
      << r.out;
  int status_lines = 0;
  for (const std::string& l : Lines(r.err)) {
    if (l.rfind("loop: ", 0) == 0) {
      ++status_lines;
      EXPECT_NE(l.find(" exec/s, 0:00:0"), std::string::npos) << l;
      EXPECT_EQ(l.find('\r'), std::string::npos);  // no redraw: not a terminal
    }
  }
  EXPECT_GE(status_lines, 2) << r.err;
}

TEST_F(CliTest, LoopEndsCleanlyOnCtrlC) {
  const ProcessResult r =
      Gcstress({"loop", kTestdata + "calm.json"}, std::chrono::milliseconds(500));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no violation (interrupted)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(" executions in "), std::string::npos) << r.err;
}

TEST_F(CliTest, LoopWithoutUntilFailSavesEachNewSignatureOnceAndGoesOn) {
  const ProcessResult r = Gcstress({"loop", kTestdata + "shared-table.json", "--fault",
                                    "proxy-shared-table", "--max-time", "400ms"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  std::set<std::string> signatures;
  for (const std::string& l : Lines(r.out)) {
    if (l.rfind("FAIL ", 0) != 0) continue;
    EXPECT_TRUE(signatures.insert(l.substr(l.find(':'))).second) << "reported twice: " << l;
  }
  EXPECT_GE(signatures.size(), 1u) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nloop FAIL .*: [0-9]+ violations in [0-9]+ "
                                                  "iterations, [0-9]+ distinct signatures?")))
      << r.out;
  EXPECT_TRUE(Exists("reports/" + kSharedTableSlug + "/repro.json"));
  EXPECT_FALSE(Exists("reports/" + kSharedTableSlug + "-2"));
}

// --- check -----------------------------------------------------------------------------------

TEST_F(CliTest, CheckPrintsATableAndHoldsWhenTheExpectedViolationShowsUp) {
  const ProcessResult r = Gcstress({"check", kTestdata + "shared-table.json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], "check " + kTestdata + "shared-table.json");
  EXPECT_EQ(lines[1],
            "  faults              expected              got                   iterations  result");
  EXPECT_TRUE(std::regex_match(lines[2], std::regex("  -                   pass                  "
                                                    "pass                  1000 +ok")))
      << lines[2];
  EXPECT_TRUE(std::regex_match(lines[3], std::regex("  proxy-shared-table  premature-collection  "
                                                    "premature-collection  [0-9]+ +ok")))
      << lines[3];
  EXPECT_EQ(lines[4], "check: 1 scenario, 2 expectations, 0 mismatches");
}

TEST_F(CliTest, CheckReportsAnExpectMismatchAndExits1) {
  const ProcessResult r = Gcstress({"check", kTestdata + "calm-expects-deadlock.json",
                                    kTestdata + "calm.json", "--iterations", "50"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("  -       deadlock  pass  50          MISMATCH\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  expect-mismatch/-/expect/-: expected deadlock under [], got pass after "
                       "50 iterations\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  -       pass (implicit)  pass  50          ok\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(Lines(r.out).back(), "check: 2 scenarios, 2 expectations, 1 mismatch");
}

// --- with the oracles ------------------------------------------------------------------------

TEST_F(CliTest, CheckHoldsForTheRefpoolExampleOnceTheOraclesAreIn) {
  GCS_SKIP_UNDER_ASAN();
  if (!OraclesPresent())
    GTEST_SKIP() << "MakeOracles returns no oracle yet: nothing can find a "
                    "double free";
  const ProcessResult r = Gcstress({"check", kExamples + "refpool-clone-drop.json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  // The pyo3 entry gives the table a target column; the core runs only its own entries.
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex("\n  -       refpool-deferred-incref  double-free +double-free +[0-9]+ +ok\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex("\n  pyo3    - +use-after-free +- +- +skipped \\(another target's entry\\)\n")))
      << r.out;
}

TEST_F(CliTest, LoopFindsTheRefpoolFaultAndTheReplayReproducesIt) {
  if (!OraclesPresent()) GTEST_SKIP() << "MakeOracles returns no oracle yet";
  const ProcessResult r = Gcstress({"loop", kExamples + "refpool-clone-drop.json", "--fault",
                                    "refpool-deferred-incref", "--until-fail"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  const std::string path = ReplayPath(r.out);
  ASSERT_FALSE(path.empty()) << r.out;
  const ProcessResult replay = Gcstress({"replay", path, "--repeat", "20"});
  EXPECT_EQ(replay.code, 1) << replay.out;
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;
  EXPECT_EQ(Lines(replay.out).back(), "reproduced 20/20");
}

// --- list ------------------------------------------------------------------------------------

TEST_F(CliTest, ListPrintsTheDeclarationTables) {
  const ProcessResult ops = Gcstress({"list", "ops"});
  EXPECT_EQ(ops.code, 0);
  EXPECT_EQ(Lines(ops.out).size(), kOpCount + 1);
  for (const OpInfo& info : kOpTable) {
    EXPECT_TRUE(std::regex_search(ops.out, std::regex("\n" + std::string(info.json) + " ")))
        << info.json;
  }
  const ProcessResult faults = Gcstress({"list", "faults"});
  EXPECT_EQ(faults.code, 0);
  EXPECT_EQ(Lines(faults.out).size(), core::AllFaults().size() + 1);
  for (const core::FaultInfo& f : core::AllFaults()) {
    EXPECT_NE(faults.out.find("\n" + std::string(f.name) + "  "), std::string::npos) << f.name;
    EXPECT_NE(faults.out.find(std::string(f.help)), std::string::npos) << f.name;
  }
  const ProcessResult strategies = Gcstress({"list", "strategies"});
  for (const sched::StrategyInfo& s : sched::ListStrategies())
    EXPECT_NE(strategies.out.find("\n" + std::string(s.name) + " "), std::string::npos) << s.name;
  EXPECT_NE(strategies.out.find("depth=3 [1..32]"), std::string::npos) << strategies.out;
  EXPECT_NE(strategies.out.find("\nfree "), std::string::npos);
  const ProcessResult violations = Gcstress({"list", "violations"});
  EXPECT_EQ(Lines(violations.out).size(), kViolationKindCount + 1);
  const ProcessResult targets = Gcstress({"list", "targets"});
  EXPECT_TRUE(
      std::regex_search(targets.out, std::regex("^target +versions +help\ncore +- +the built-in")))
      << targets.out;
  for (const TargetInfo& t : ListTargets()) {
    EXPECT_NE(targets.out.find("\n" + std::string(t.name) + " "), std::string::npos) << t.name;
  }
  const ProcessResult codes = Gcstress({"list", "exit-codes"});
  EXPECT_EQ(Lines(codes.out).size(), 6u);
  EXPECT_NE(codes.out.find("\n2     bad-input  "), std::string::npos) << codes.out;
  const ProcessResult md = Gcstress({"list", "violations", "--markdown"});
  EXPECT_EQ(md.code, 0);
  EXPECT_EQ(md.out.rfind("| violation | help |\n|---|---|\n| double-free | ", 0), 0u) << md.out;
}

// --- bad input -------------------------------------------------------------------------------

// --- zoo --------------------------------------------------------------------------------------

TEST_F(CliTest, ZooPrintsItsTableFindsTheFaultAndWritesReplayableRepros) {
  GCS_SKIP_UNDER_ASAN();
  std::filesystem::create_directories(Path("zoo-scenarios"));
  std::filesystem::copy_file(kExamples + "refpool-clone-drop.json",
                             Path("zoo-scenarios/refpool-clone-drop.json"));
  const ProcessResult r =
      Gcstress({"zoo", "--scenarios", "zoo-scenarios", "--strategies", "pct,random", "--budget",
                "2s", "--iterations", "100", "--json", "zoo.json", "--no-real-systems"});
  // Four faults have no scenario here: nothing can find them, and the zoo fails for it.
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind("fault ", 0), 0u) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nrefpool-deferred-incref +refpool-clone-drop "
                                                  "+pct +yes +double-free ")))
      << r.out;
  EXPECT_NE(r.out.find("\nMISSED proxy-shared-table: no scenario expects it\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nzoo: FAILED\n"), std::string::npos) << r.out;
  EXPECT_TRUE(Exists("zoo.json"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("gcstress replay (reports/zoo/[^ \n]+)")))
      << r.out;
  const ProcessResult replay = Gcstress({"replay", m[1].str(), "--repeat", "10"});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_EQ(Lines(replay.out).back(), "reproduced 10/10");
  EXPECT_NE(r.out.find("zoo: 1 of 5 seed faults found by pct; 2 of 2 cells found"),
            std::string::npos)
      << r.out;
}

TEST_F(CliTest, ZooFailsWhenAFaultOfAFamilyIsMissed) {
  std::filesystem::create_directories(Path("zoo-scenarios"));
  std::filesystem::copy_file(kExamples + "refpool-clone-drop.json",
                             Path("zoo-scenarios/refpool-clone-drop.json"));
  // round-robin alone never interleaves t2's clone into the window: no pct cell, so missed.
  const ProcessResult r = Gcstress({"zoo", "--scenarios", "zoo-scenarios", "--strategies",
                                    "round-robin", "--budget", "200ms", "--iterations", "50"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("MISSED refpool-deferred-incref"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nzoo: FAILED\n"), std::string::npos) << r.out;
}

TEST_F(CliTest, ZooBenchRunsRepeatWithFreshSeedsAndShowTheSpread) {
  GCS_SKIP_UNDER_ASAN();
  const ProcessResult r =
      Gcstress({"zoo", "--bench", "--bench-runs", "2", "--bench-seeds", "3", "--bench-budget",
                "300ms", "--scenarios", testing::kScenarios + "vm-switch", "--json", "bench.json"});
  // The other four faults have no family here: the bench fails for them, in every run.
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("run 1 of 2: searches 1..3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("run 2 of 2: searches 4..6\n"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex("\nspread over 2 runs [^\n]*\n.*\nvm-switch-stale-current +"
                 "vm-switch-[a-z-]+( / vm-switch-[a-z-]+)? "  // each run's judged scenario
                 "+[0-9.]+ / [0-9.]+ +[^\n]+ / [^\n]+ +[0-2]/2\n")))
      << r.out;
  std::ifstream in(Path("bench.json"));
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][0]["first_seed"], 1);
  EXPECT_EQ(j["runs"][1]["first_seed"], 4);
  EXPECT_EQ(j["runs"][0]["strategy"], "portfolio");
  EXPECT_EQ(j["ok"], false);
}

struct BadCall {
  std::vector<std::string> args;
  std::string error;  // the whole stderr line after "gcstress: error: ", or a prefix ending "..."
};

TEST_F(CliTest, BadInputIsOneLineAndExitCode2) {
  const std::string calm = kTestdata + "calm.json";
  // A repro to break.
  ASSERT_EQ(
      Gcstress({"run", kTestdata + "shared-table.json", "--fault", "proxy-shared-table"}).code, 1);
  const std::string repro = "reports/" + kSharedTableSlug + "/repro.json";
  {
    std::FILE* f = std::fopen(Path("truncated.json").c_str(), "w");
    std::fputs("{\"format\": 1, \"gcstress_repro\": 1, \"verdict\": {", f);
    std::fclose(f);
  }
  const std::vector<BadCall> calls = {
      {{}, "<command line>: A subcommand is required (see gcstress --help)"},
      {{"frob"},
       "<command line>: unknown subcommand \"frob\" (known: run, replay, loop, check, list, "
       "bench, zoo, triage, gen, minimize, import-crash, export-corpus)"},
      {{"run"}, "<command line>: run needs SCENARIO files or --generate N"},
      {{"run", calm, "--frob"},
       "<command line>: unknown flag --frob for run (see gcstress run --help)"},
      {{"run", "--frob=1", calm},
       "<command line>: unknown flag --frob for run (see gcstress run --help)"},
      // Not a miscounted FILE: -o is no flag of import-crash (--out is).
      {{"import-crash", "-o", "x.json", calm},
       "<command line>: unknown flag -o for import-crash (see gcstress import-crash --help)"},
      {{"run", calm, "--strategy", "nope"},
       "<flag>: --strategy: unknown strategy \"nope\" (known: pct, portfolio, random, round-robin, "
       "dfs, replay)"},
      {{"run", calm, "--strategy", "pct:depth=99"},
       "<flag>: --strategy: bad value \"99\" for pct parameter \"depth\" (expected an integer in "
       "[1, 32])"},
      {{"run", calm, "--strategy", "replay"},
       "<flag>: --strategy: strategy \"replay\" needs a recorded schedule (use gcstress replay)"},
      {{"run", calm, "--fault", "nope"}, "<flag>: --fault: unknown fault \"nope\" for target ..."},
      {{"run", calm, "--target", "nope"}, "<flag>: --target: unknown target \"nope\" (known: ..."},
      {{"run", calm, "--seed", "-1"},
       "<command line>: --seed: expected a decimal integer in [0, 18446744073709551615], got "
       "\"-1\" (see gcstress --help)"},
      {{"run", calm, "--seed", "18446744073709551616"},
       "<command line>: --seed: expected a decimal integer in [0, 18446744073709551615], got ..."},
      {{"run", calm, "--seed", "0x10"}, "<command line>: --seed: expected a decimal integer ..."},
      {{"run", calm, "--iterations", "abc"},
       "<command line>: --iterations: expected a decimal integer in [0, 18446744073709551615], "
       "got \"abc\" (see gcstress --help)"},
      {{"run", calm, "--jobs", "4294967296"},
       "<command line>: --jobs: expected a decimal integer in [0, 4294967295], got ..."},
      {{"run", calm, "--time-budget", "5x"},
       "<flag>: --time-budget: bad duration \"5x\" (expected a number and a unit: 250ms, 30s, "
       "5m, 1h; or 0)"},
      {{"run", calm, "--jobs", "0"}, "<flag>: --jobs: expected at least 1 worker"},
      {{"run", calm, "--free", "--check-determinism"},
       "<flag>: --check-determinism: free mode executions have no schedule to replay; drop "
       "--free or this flag"},
      {{"run", "/nonexistent.json"}, "/nonexistent.json: cannot open: No such file or directory"},
      {{"run", calm, kTestdata + "op-typo.json"},
       kTestdata + "op-typo.json: /threads/t/0/op: unknown op \"clnoe\""},
      {{"replay"}, "<command line>: REPRO is required (see gcstress --help)"},
      {{"replay", "/nonexistent"}, "/nonexistent: cannot open: No such file or directory"},
      {{"replay", calm}, calm + ": not a gcstress repro: missing field \"gcstress_repro\""},
      {{"replay", "truncated.json"}, "truncated.json: line 1 column 48: syntax error: ..."},
      {{"replay", repro, "--repeat", "0"}, "<flag>: --repeat: expected at least 1"},
      {{"loop", calm, "--max-time", "1x"}, "<flag>: --max-time: bad duration \"1x\" ..."},
      {{"loop", calm, calm},
       "<command line>: SCENARIO: At Most 1 required but received 2 (see gcstress --help)"},
      {{"loop", calm, "--iterations", "5"}, "<command line>: ..."},
      {{"check", calm, "--fault", "refpool-deferred-incref"},
       "<command line>: unknown flag --fault for check (see gcstress check --help)"},
      {{"zoo", "--bench", "--bench-seeds", "0"}, "<flag>: --bench-seeds: must be positive"},
      {{"zoo", "--bench", "--bench-runs", "0"}, "<flag>: --bench-runs: must be positive"},
      {{"zoo", "--bench", "--bench-strategy", "portfolio:random=101"},
       "<flag>: --bench-strategy: bad value \"101\" for portfolio parameter \"random\" "
       "(expected an integer in [0, 100])"},
      {{"zoo", "--bench", "--bench-strategy", "free"},
       "<flag>: --bench-strategy: free is what the search is measured against"},
      {{"zoo", "--bench", "--bench-budget", "0"}, "<flag>: --bench-budget: must be positive"},
      {{"zoo", "--bench", "--bench-yield-per-mille", "1001"},
       "<flag>: --bench-yield-per-mille: must be at most 1000"},
      {{"list"}, "<command line>: WHAT is required (see gcstress --help)"},
      {{"list", "nope"},
       "<argument>: list: cannot list \"nope\" (known: ops, faults, strategies, targets, "
       "violations, exit-codes, errors, events)"},
  };
  for (const BadCall& call : calls) {
    std::string joined;
    for (const std::string& a : call.args)
      joined += a + " ";
    const ProcessResult r = Gcstress(call.args);
    EXPECT_EQ(r.code, 2) << joined << "\n" << r.out << r.err;
    EXPECT_EQ(r.out, "") << joined;
    const std::vector<std::string> lines = Lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << joined << "\n" << r.err;
    const std::string expected = "gcstress: error: " + call.error;
    if (expected.size() > 3 && expected.compare(expected.size() - 3, 3, "...") == 0) {
      EXPECT_EQ(lines[0].rfind(expected.substr(0, expected.size() - 3), 0), 0u) << joined << "\n"
                                                                                << lines[0];
    } else {
      EXPECT_EQ(lines[0], expected) << joined;
    }
  }
}

}  // namespace
}  // namespace gcs
