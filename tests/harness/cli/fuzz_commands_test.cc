// gcstress tests — the fuzzing and minimization commands of the gcstress binary, as a subprocess:
// gen, run --generate, minimize, loop's minimized repros, import-crash, export-corpus.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "harness/fuzzing/corpus_entries.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/fuzzing/fuzz_input_builder.h"
#include "harness/runner/repro.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/cli/gcstress_fixture.h"

namespace gcs {
namespace {

using testing::Lines;
using testing::ProcessResult;

using testing::kScenarios;

// A fault whose symptom is a leak: its runs touch no freed memory, so these tests run under ASan
// as well (the memory faults' would be ASan's reports, not ours).
constexpr const char* kLeakFault = "gc-worklist-race";
const std::string kLeakScenario = kScenarios + "gc-worklist/gc-worklist-chain.json";
// The same kind of fault for run --generate: one the first generated seeds find. (Swarm subsets
// enable gc, enumerate, set and drop together in one seed of 16, so gc-worklist-race's first
// generated finding is at seed 351.)
constexpr const char* kGeneratedLeakFault = "terminate-keeps-listeners";

class FuzzCommandsTest : public testing::GcstressFixture {
 protected:
  // Exactly one line on stderr, the error line.
  static void ExpectOneLineError(const ProcessResult& r) {
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    ASSERT_EQ(Lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("gcstress: error: ", 0), 0u) << r.err;
  }
};

// --- gen ---------------------------------------------------------------------------------------

TEST_F(FuzzCommandsTest, GenIsAFunctionOfTheSeed) {
  const ProcessResult a = Gcstress({"gen", "--seed", "5"});
  const ProcessResult b = Gcstress({"gen", "--seed", "5"});
  const ProcessResult c = Gcstress({"gen", "--seed", "6"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_NE(a.out.find("\"name\": \"gen-5\""), std::string::npos) << a.out;
}

TEST_F(FuzzCommandsTest, GenWritesOneFilePerSeedWithThePrintedBytes) {
  const ProcessResult r = Gcstress({"gen", "--seed", "5", "--count", "3", "--out", "gen"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Lines(r.out),
            (std::vector<std::string>{"gen/gen-5.json", "gen/gen-6.json", "gen/gen-7.json"}));
  EXPECT_EQ(Read(Path("gen/gen-6.json")), Gcstress({"gen", "--seed", "6"}).out);
  // A generated file is an ordinary scenario.
  EXPECT_EQ(Gcstress({"run", "gen/gen-6.json", "--iterations", "5"}).code, 0);
}

TEST_F(FuzzCommandsTest, GenWeightsChangeTheMixAndBadOnesAreOneLineErrors) {
  const ProcessResult only = Gcstress({"gen", "--seed", "3", "--weights", "*=0,new=1,yield=1"});
  ASSERT_EQ(only.code, 0) << only.err;
  for (const std::string& line : Lines(only.out)) {
    if (line.find("\"op\"") == std::string::npos) continue;
    EXPECT_TRUE(line.find("\"new\"") != std::string::npos ||
                line.find("\"yield\"") != std::string::npos)
        << line;
  }
  ExpectOneLineError(Gcstress({"gen", "--weights", "clnoe=3"}));
  ExpectOneLineError(Gcstress({"gen", "--count", "0"}));
}

TEST_F(FuzzCommandsTest, GenCoverageIsAFunctionOfTheSeedWithATextAndAJsonForm) {
  const ProcessResult a = Gcstress({"gen", "--coverage", "200", "--seed", "4"});
  const ProcessResult b = Gcstress({"gen", "--coverage", "200", "--seed", "4"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.out.rfind("gcstress gen --coverage 200: seeds 4..203, target core, ", 0), 0u)
      << a.out;
  const std::vector<std::string> lines = Lines(a.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("pairs: ", 0), 0u) << lines.back();
  const ProcessResult fixed = Gcstress({"gen", "--coverage", "200", "--seed", "4", "--no-swarm"});
  ASSERT_EQ(fixed.code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find(", no swarm\n"), std::string::npos) << fixed.out;
  EXPECT_NE(fixed.out, a.out);
  const ProcessResult json = Gcstress({"gen", "--coverage", "200", "--seed", "4", "--json", "-"});
  ASSERT_EQ(json.code, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["gcstress_gen_coverage"], 1);
  EXPECT_EQ(j["scenarios"], 200);
  EXPECT_EQ(j["summary"]["allowed"], j["pairs"].size());
  ExpectOneLineError(Gcstress({"gen", "--coverage", "10", "--out", "x"}));
  ExpectOneLineError(Gcstress({"gen", "--coverage", "10", "--count", "5"}));
  ExpectOneLineError(Gcstress({"gen", "--json", "-"}));
  ExpectOneLineError(Gcstress({"gen", "--coverage", "ten"}));
}

// --- run --generate ----------------------------------------------------------------------------

TEST_F(FuzzCommandsTest, RunGenerateRunsGeneratedScenarios) {
  const ProcessResult r =
      Gcstress({"run", "--generate", "3", "--seed", "10", "--iterations", "20"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind("PASS gen-10: 20 iterations", 0), 0u) << lines[0];
  EXPECT_EQ(lines[2].rfind("PASS gen-12: 20 iterations", 0), 0u) << lines[2];
  ExpectOneLineError(Gcstress({"run"}));
}

// The repro.json files under the fixture's reports folder.
std::vector<std::string> ReproFiles(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().filename() == "repro.json") out.push_back(e.path().string());
  }
  return out;
}

TEST_F(FuzzCommandsTest, RunGenerateStopsAtItsFirstFailureWithOneRepro) {
  const ProcessResult r = Gcstress({"run", "--generate", "200", "--seed", "1", "--iterations", "50",
                                    "--fault", kGeneratedLeakFault, "--reports", "gen-reports"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("stopped at the first failing generated scenario"), std::string::npos)
      << r.out;
  size_t cases = 0;
  for (const std::string& line : Lines(r.out)) {
    if (line.rfind("PASS gen-", 0) == 0 || line.rfind("FAIL gen-", 0) == 0) ++cases;
  }
  EXPECT_LT(cases, 200u) << r.out;
  EXPECT_EQ(ReproFiles(Path("gen-reports")).size(), 1u) << r.out;
}

TEST_F(FuzzCommandsTest, RunGenerateKeepGoingKeepsOneReproPerSignature) {
  const ProcessResult r =
      Gcstress({"run", "--generate", "100", "--seed", "1", "--iterations", "50", "--fault",
                kGeneratedLeakFault, "--keep-going", "--reports", "gen-reports"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  std::smatch m;
  const std::regex summary(R"(generated: (\d+) failure\(s\) of (\d+) distinct signature)");
  ASSERT_TRUE(std::regex_search(r.out, m, summary)) << r.out;
  const size_t failures = std::stoul(m[1]);
  const size_t signatures = std::stoul(m[2]);
  EXPECT_GT(failures, signatures) << r.out;  // some scenarios fail the same way
  const std::vector<std::string> repros = ReproFiles(Path("gen-reports"));
  EXPECT_EQ(repros.size(), signatures) << r.out;
  std::set<std::string> seen;
  for (const std::string& file : repros) {
    Expected<Repro> repro = LoadRepro(file);
    ASSERT_TRUE(repro.ok()) << file;
    EXPECT_TRUE(seen.insert(repro->verdict.Signature()).second) << file;
  }
}

// Every file under `dir`, by path relative to it, with its bytes — but for the wall clock of the
// reports (when the failure was found, how long the run took), the one thing two runs of the same
// search write differently.
std::map<std::string, std::string> FilesUnder(const std::string& dir) {
  static const std::regex wall_clock(
      R"re("(found_at|run_seconds)": [^,\n]*|found at</th><td class="mono">[^<]*)re");
  std::map<std::string, std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
    out[std::filesystem::relative(e.path(), dir).string()] =
        std::regex_replace(bytes, wall_clock, "");
  }
  return out;
}

// Fork mode runs many generated scenarios in one child process (a child per scenario would cost
// more than the scenario): what it finds, prints and writes is --no-fork's, byte for byte, with
// or without --keep-going, whatever --batch says.
TEST_F(FuzzCommandsTest, RunGenerateInForkModeFindsAndWritesWhatNoForkDoes) {
  for (const bool keep_going : {false, true}) {
    SCOPED_TRACE(keep_going ? "--keep-going" : "first failure");
    // Each run writes reports/ (so that the paths printed and written are the same), then moved
    // aside.
    const auto run = [&](std::vector<std::string> mode, const std::string& aside) {
      std::vector<std::string> args = {"run",          "--generate", "60",      "--seed",  "1",
                                       "--iterations", "20",         "--fault", kLeakFault};
      if (keep_going) args.push_back("--keep-going");
      args.insert(args.end(), mode.begin(), mode.end());
      const ProcessResult r = Gcstress(args);
      std::filesystem::rename(Path("reports"), Path(aside));
      return r;
    };
    const ProcessResult a = run({"--no-fork"}, "in-process");
    const ProcessResult b = run({}, "forked");
    const ProcessResult c = run({"--batch", "7"}, "small-batches");
    ASSERT_EQ(a.code, 1) << a.out << a.err;
    EXPECT_EQ(b.code, 1) << b.out << b.err;
    EXPECT_EQ(c.code, 1) << c.out << c.err;
    EXPECT_EQ(b.out, a.out);
    EXPECT_EQ(c.out, a.out);
    const std::map<std::string, std::string> files = FilesUnder(Path("in-process"));
    const size_t repros = ReproFiles(Path("in-process")).size();
    if (keep_going) {
      EXPECT_NE(a.out.find("generated: "), std::string::npos) << a.out;
      EXPECT_GE(repros, 1u) << a.out;
    } else {
      EXPECT_NE(a.out.find("stopped at the first failing generated scenario"), std::string::npos)
          << a.out;
      EXPECT_EQ(repros, 1u) << a.out;
    }
    EXPECT_EQ(FilesUnder(Path("forked")), files);
    EXPECT_EQ(FilesUnder(Path("small-batches")), files);
    std::filesystem::remove_all(Path("in-process"));
    std::filesystem::remove_all(Path("forked"));
    std::filesystem::remove_all(Path("small-batches"));
  }
}

// --- minimize, and loop's minimized repros -----------------------------------------------------

TEST_F(FuzzCommandsTest, MinimizeShrinksARunsReproAndTheResultReplays) {
  const ProcessResult run = Gcstress({"run", kLeakScenario, "--fault", kLeakFault});
  ASSERT_EQ(run.code, 1) << run.out << run.err;
  const std::string repro = ReplayPath(run.out);
  ASSERT_FALSE(repro.empty()) << run.out;

  const ProcessResult m = Gcstress({"minimize", repro, "--out", "small.json"});
  ASSERT_EQ(m.code, 0) << m.out << m.err;
  std::smatch before, after;
  const std::regex size_line(R"(  (before|after): +(\d+) steps, (\d+) threads?, (\d+) decisions?)");
  const std::vector<std::string> lines = Lines(m.out);
  ASSERT_GE(lines.size(), 3u) << m.out;
  ASSERT_TRUE(std::regex_search(lines[1], before, size_line)) << m.out;
  ASSERT_TRUE(std::regex_search(lines[2], after, size_line)) << m.out;
  EXPECT_LE(std::stoul(after[2]), std::stoul(before[2]));
  EXPECT_LE(std::stoul(after[4]), std::stoul(before[4]));
  EXPECT_NE(m.out.find("  replay: gcstress replay small.json"), std::string::npos) << m.out;

  const ProcessResult replay = Gcstress({"replay", "small.json"});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;

  // Without --out the result goes beside the input.
  const ProcessResult beside = Gcstress({"minimize", repro});
  ASSERT_EQ(beside.code, 0) << beside.err;
  EXPECT_TRUE(std::filesystem::exists(
      Path(std::filesystem::path(repro).replace_extension(".min.json").string())));
}

TEST_F(FuzzCommandsTest, MinimizeRefusesBadInputWithOneLine) {
  ExpectOneLineError(Gcstress({"minimize", "missing.json"}));
  ExpectOneLineError(Gcstress({"minimize", kLeakScenario}));  // a scenario, not a repro
}

TEST_F(FuzzCommandsTest, LoopMinimizesTheReproItWrites) {
  GCS_SKIP_UNDER_ASAN();
  const ProcessResult loop =
      Gcstress({"loop", kLeakScenario, "--fault", kLeakFault, "--until-fail", "--max-time", "60s"});
  ASSERT_EQ(loop.code, 1) << loop.out << loop.err;
  EXPECT_NE(loop.out.find("  minimized ("), std::string::npos) << loop.out;
  const std::string repro = ReplayPath(loop.out);
  ASSERT_FALSE(repro.empty()) << loop.out;
  const ProcessResult replay = Gcstress({"replay", repro});
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;

  const ProcessResult plain = Gcstress({"loop", kLeakScenario, "--fault", kLeakFault,
                                        "--until-fail", "--max-time", "60s", "--no-minimize"});
  ASSERT_EQ(plain.code, 1) << plain.out << plain.err;
  EXPECT_EQ(plain.out.find("minimized"), std::string::npos) << plain.out;
}

// --- import-crash ------------------------------------------------------------------------------

// The search's inputs, in order: the generator's scenario of `seed` and some schedule bytes.
constexpr uint64_t kCandidates = 20000;
std::vector<uint8_t> Candidate(const FuzzExecutor& ex, uint64_t seed) {
  const std::vector<uint8_t> schedule(static_cast<size_t>(seed % 97),
                                      static_cast<uint8_t>(seed * 31));
  return EncodeFuzzInput(seed, std::nullopt, ex.decode_options(), schedule);
}

// A scenario_fuzzer input that fails under `fault`, found the way libFuzzer would (from bytes).
std::vector<uint8_t> FindCrashInput(const std::string& fault) {
  FuzzExecutor ex(std::make_unique<CoreTarget>(), {fault});
  for (uint64_t seed = 1; seed < kCandidates; ++seed) {
    const std::vector<uint8_t> bytes = Candidate(ex, seed);
    const FuzzCase c = DecodeFuzzInput(bytes.data(), bytes.size(), ex.decode_options());
    if (ex.Run(c).verdict) return bytes;
  }
  return {};
}

TEST_F(FuzzCommandsTest, ImportCrashWritesAReproThatReplays) {
  const std::vector<uint8_t> crash = FindCrashInput(kLeakFault);
  ASSERT_FALSE(crash.empty());
  {
    std::ofstream out(Path("crash-test"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(crash.data()),
              static_cast<std::streamsize>(crash.size()));
  }
  const ProcessResult r = Gcstress({"import-crash", "crash-test", "--fault", kLeakFault});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("import-crash crash-test: leak/", 0), 0u) << r.out;
  const std::string repro = ReplayPath(r.out);
  ASSERT_FALSE(repro.empty()) << r.out;
  Expected<Repro> parsed = LoadRepro(Path(repro));
  ASSERT_TRUE(parsed.ok()) << parsed.error().Format();
  EXPECT_EQ(parsed->faults, std::vector<std::string>{kLeakFault});
  EXPECT_EQ(parsed->seed, kFuzzBaseSeed);

  const ProcessResult replay = Gcstress({"replay", repro});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;

  // The same input without the fault passes: nothing to import, one line saying so.
  const ProcessResult fixed = Gcstress({"import-crash", "crash-test", "--out", "x.json"});
  ExpectOneLineError(fixed);
  EXPECT_NE(fixed.err.find("passes under []"), std::string::npos) << fixed.err;
  EXPECT_FALSE(std::filesystem::exists(Path("x.json")));
}

// Under ASan, vm-switch-stale-current is found by ASan, not the oracles: the core frees for real
// and the stale type object's use ends the process. Found the way libFuzzer finds it: each
// candidate is written out before it runs, in a child, and the one the child dies of is the crash
// input. Empty if none kills.
std::vector<uint8_t> FindInputThatKills(const std::string& fault, const std::string& path) {
  const pid_t pid = fork();
  if (pid == 0) {
    FuzzExecutor ex(std::make_unique<CoreTarget>(), {fault});
    for (uint64_t seed = 1; seed < kCandidates; ++seed) {
      const std::vector<uint8_t> bytes = Candidate(ex, seed);
      {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
      }
      ex.Run(DecodeFuzzInput(bytes.data(), bytes.size(), ex.decode_options()));
    }
    _exit(0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return {};
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

TEST_F(FuzzCommandsTest, ImportCrashRunsTheCaseInAChildSoASanitizerReportIsItsVerdict) {
  if (!testing::kAddressSanitizer) GTEST_SKIP() << "needs the asan preset";
  const std::string fault = "vm-switch-stale-current";
  const std::vector<uint8_t> crash = FindInputThatKills(fault, Path("crash-asan"));
  ASSERT_FALSE(crash.empty()) << "no input killed the search's child";
  const ProcessResult r = Gcstress({"import-crash", "crash-asan", "--fault", fault});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("^import-crash crash-asan: (use-after-free|double-free)/")))
      << r.out;
  const std::string repro = ReplayPath(r.out);
  ASSERT_FALSE(repro.empty()) << r.out;
  const ProcessResult replay = Gcstress({"replay", repro});
  EXPECT_EQ(replay.code, 1) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("(matches the recorded verdict)"), std::string::npos) << replay.out;
}

TEST_F(FuzzCommandsTest, ImportCrashOfAJsonFuzzerInputSaysThereIsNothingToReplay) {
  {
    std::ofstream out(Path("crash-json"));
    out << "{\"format\": 1, \"threads\": {\"t\": []}}";
  }
  const ProcessResult r = Gcstress({"import-crash", "crash-json"});
  ExpectOneLineError(r);
  EXPECT_NE(r.err.find("scenario_json_fuzzer"), std::string::npos) << r.err;
  ExpectOneLineError(Gcstress({"import-crash", "no-such-file"}));
  ExpectOneLineError(Gcstress({"import-crash", "crash-json", "--fault", "no-such-fault"}));
}

// --- export-corpus -----------------------------------------------------------------------------

TEST_F(FuzzCommandsTest, ExportCorpusWritesEntriesForBothFuzzersDeterministically) {
  const ProcessResult r =
      Gcstress({"export-corpus", "--scenarios", kScenarios + "refpool", "--out", "c1"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 scenarios"), std::string::npos) << r.out;
  const std::string json = Path("c1/scenario_json_fuzzer/refpool-minimal.json");
  const std::string bin = Path("c1/scenario_fuzzer/refpool-minimal-0.bin");
  ASSERT_TRUE(std::filesystem::exists(json));
  ASSERT_TRUE(std::filesystem::exists(bin));
  // The JSON entry is the scenario, canonically formatted: it runs.
  EXPECT_EQ(Gcstress({"run", json, "--iterations", "5"}).code, 0);

  ASSERT_EQ(Gcstress({"export-corpus", "--scenarios", kScenarios + "refpool", "--out", "c2",
                      "--count", "2"})
                .code,
            0);
  EXPECT_EQ(Read(bin), Read(Path("c2/scenario_fuzzer/refpool-minimal-0.bin")));
  EXPECT_TRUE(std::filesystem::exists(Path("c2/scenario_fuzzer/refpool-minimal-1.bin")));
  ExpectOneLineError(Gcstress({"export-corpus", "--scenarios", "nowhere"}));
}

}  // namespace
}  // namespace gcs
