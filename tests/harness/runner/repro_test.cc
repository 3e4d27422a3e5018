// gcstress tests — Repro: round trip, strict validation (a table of malformed files, each with its
// exact one-line error), writing, and replay.
#include "harness/runner/repro.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "harness/engine/trace.h"
#include "harness/runner/iteration_seed.h"
#include "harness/runner/report_dir.h"
#include "harness/runner/repro_replay.h"
#include "harness/scenario/json_input.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/runner/temp_dir.h"

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;

// coincident's shared proxy table (SEED_BUGS.md #3), which pct finds at once: main exports doc to
// two workers and lets go of its own reference; w1's proxy is collected and its release deletes
// the one shared entry while w2's proxy still reaches doc.
constexpr const char* kSharedTable = R"({
  "format": 1, "name": "shared-table",
  "threads": {
    "main": [{"op": "new", "as": "doc"}, {"op": "export", "obj": "doc", "vm": "w1", "as": "p1"},
             {"op": "export", "obj": "doc", "vm": "w2", "as": "p2"}, {"op": "drop", "obj": "doc"},
             {"op": "spawn", "worker": "w1"}, {"op": "yield"}, {"op": "spawn", "worker": "w2"},
             {"op": "yield"}],
    "w1": {"worker": true, "steps": [{"op": "drop", "obj": "p1"}, {"op": "gc"}]},
    "w2": {"worker": true, "steps": [{"op": "use", "obj": "p2"}, {"op": "yield"},
                                     {"op": "use", "obj": "p2"}]}
  }
})";

struct Found {
  Scenario scenario;
  RunConfig config;
  Failure failure;
};

Found FindFailure() {
  RunConfig c;
  c.target = "core";
  c.faults = {"proxy-shared-table"};
  c.strategy = "pct";
  c.seed = 1;
  c.iterations = 500;
  c.jobs = 1;
  auto runner = Runner::Create(c);
  EXPECT_TRUE(runner.ok());
  auto s = LoadScenarioText(kSharedTable, "shared-table.json", runner->ScenarioLoadOptions());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  RunSummary summary = runner->Run(*s);
  EXPECT_TRUE(summary.first_failure) << "pct no longer finds proxy-shared-table";
  if (!summary.first_failure) return Found{*s, c, Failure{}};
  EXPECT_EQ(summary.first_failure->violation.kind, ViolationKind::kPrematureCollection);
  return Found{*s, c, *summary.first_failure};
}

const Found& Failing() {
  static const Found found = FindFailure();
  return found;
}

std::string TempDir() {
  return testing::TempDirUntilExit("gcs_repro_");
}

TEST(ReproTest, RoundTripsThroughItsTextForm) {
  const Found& f = Failing();
  ASSERT_EQ(f.failure.violation.kind, ViolationKind::kPrematureCollection);
  const Repro repro = MakeRepro(f.scenario, f.config, f.failure);
  EXPECT_EQ(repro.strategy, f.failure.execution.schedule.strategy);
  EXPECT_EQ(repro.iteration, f.failure.iteration);
  const std::string text = FormatRepro(repro);
  auto parsed = ParseRepro(text, "r.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().Format();
  EXPECT_EQ(*parsed, repro);
  EXPECT_EQ(FormatRepro(*parsed), text);
  EXPECT_EQ(ReproToJson(*parsed), ReproToJson(repro));
  // The layout: versioned header first, one scenario step per line.
  EXPECT_EQ(text.rfind("{\n  \"format\": 1,\n  \"gcstress_repro\": 1,\n  \"verdict\": {", 0), 0u);
  EXPECT_NE(text.find("\n      \"main\": [\n        {\"op\": \"new\", \"as\": \"doc\"},\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(ReproTest, WrittenReprosLandInCollisionFreeSignatureDirectories) {
  const Found& f = Failing();
  const Repro repro = MakeRepro(f.scenario, f.config, f.failure);
  const std::string dir = TempDir() + "/reports";
  auto first = WriteRepro(dir, repro);
  auto second = WriteRepro(dir, repro);
  ASSERT_TRUE(first.ok()) << first.error().Format();
  ASSERT_TRUE(second.ok());
  const std::string slug = SignatureSlug(f.failure.violation.Signature());
  EXPECT_EQ(slug, "premature-collection-yield-step-lifecycle.dealloc");
  EXPECT_EQ(*first, dir + "/" + slug + "/repro.json");
  EXPECT_EQ(*second, dir + "/" + slug + "-2/repro.json");
  auto loaded = LoadRepro(*first);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  EXPECT_EQ(*loaded, repro);
}

TEST(ReproTest, ReplayReproducesTheExecutionExactly) {
  const Found& f = Failing();
  const Repro repro = MakeRepro(f.scenario, f.config, f.failure);
  auto parsed = ParseRepro(FormatRepro(repro), "r.json");
  ASSERT_TRUE(parsed.ok());
  auto target = MakeTarget("core");
  ASSERT_TRUE(target.ok());
  Executor executor(std::move(target).value());
  for (int i = 0; i < 3; ++i) {
    const ReplayResult r = ReplayRepro(executor, *parsed);
    EXPECT_TRUE(r.matches);
    EXPECT_FALSE(r.diverged_at);
    ASSERT_TRUE(r.run.verdict);
    EXPECT_EQ(r.run.verdict->message, f.failure.violation.message);
    EXPECT_EQ(FormatTrace(parsed->scenario, r.run.execution.trace),
              FormatTrace(f.scenario, f.failure.execution.trace));
  }
}

TEST(ReproTest, MissingFileIsAnInputError) {
  auto r = LoadRepro("/nonexistent/repro.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(), "/nonexistent/repro.json: cannot open: No such file or directory");
}

// One malformed repro: the good file with one change, and the exact error.
struct BadRepro {
  const char* name;
  std::function<void(Json&)> edit;                    // on the parsed good file, or
  std::function<std::string(std::string)> edit_text;  // on its text
  std::string expected;                               // InputError::Format()
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// "core" or "core, cpython": what this build has.
std::string KnownTargets() {
  std::string known;
  for (const TargetInfo& t : ListTargets())
    known += (known.empty() ? "" : ", ") + std::string(t.name);
  return known;
}

std::vector<BadRepro> BadRepros(const Repro& good) {
  const std::string schedule = sched::FormatSchedule(good.schedule);
  const std::string seed = std::to_string(good.schedule.seed);
  const std::string spec = good.strategy;
  std::vector<BadRepro> t = {
      {"empty", nullptr, [](std::string) { return std::string(); },
       "bad.json: line 1 column 1: syntax error: unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"truncated", nullptr, [](std::string s) { return s.substr(0, 40); },
       "bad.json: line 4 column 1: syntax error: unexpected end of input; expected string "
       "literal"},
      {"top level array", [](Json& j) { j = Json::array(); }, nullptr,
       "bad.json: expected the top level to be an object, got an array"},
      {"not a repro", [](Json& j) { j.erase("gcstress_repro"); }, nullptr,
       "bad.json: not a gcstress repro: missing field \"gcstress_repro\""},
      {"repro version", [](Json& j) { j["gcstress_repro"] = 2; }, nullptr,
       "bad.json: /gcstress_repro: unsupported repro version 2 (this gcstress reads 1)"},
      {"repro version type", [](Json& j) { j["gcstress_repro"] = "1"; }, nullptr,
       "bad.json: /gcstress_repro: expected an integer, got a string"},
      {"format missing", [](Json& j) { j.erase("format"); }, nullptr,
       "bad.json: missing required field \"format\""},
      {"format 2", [](Json& j) { j["format"] = 2; }, nullptr,
       "bad.json: /format: unsupported format 2 (this gcstress reads 1)"},
      {"unknown field", [](Json& j) { j["minimized"] = true; }, nullptr,
       "bad.json: unknown field \"minimized\""},
      {"missing schedule", [](Json& j) { j.erase("schedule"); }, nullptr,
       "bad.json: missing required field \"schedule\""},
      {"duplicate key", nullptr,
       [](std::string s) { return Replace(s, "\"seed\": 1,", "\"seed\": 1, \"seed\": 2,"); },
       "bad.json: duplicate key \"seed\""},
      {"target type", [](Json& j) { j["target"] = 5; }, nullptr,
       "bad.json: /target: expected a string, got 5"},
      {"unknown target", [](Json& j) { j["target"] = "nope"; }, nullptr,
       "bad.json: /target: unknown target \"nope\" (known: " + KnownTargets() + ")"},
      {"faults type", [](Json& j) { j["faults"] = "refpool-deferred-incref"; }, nullptr,
       "bad.json: /faults: expected an array of fault names, got a string"},
      {"fault type", [](Json& j) { j["faults"] = Json::array({1}); }, nullptr,
       "bad.json: /faults/0: expected a string, got 1"},
      {"unknown fault", [](Json& j) { j["faults"] = Json::array({"nope"}); }, nullptr,
       "bad.json: /faults/0: unknown fault \"nope\" for target \"core\""},
      {"fault twice",
       [](Json& j) {
         j["faults"] = Json::array({"gc-worklist-race", "gc-worklist-race"});
       },
       nullptr, "bad.json: /faults/1: fault \"gc-worklist-race\" is listed twice"},
      {"unknown strategy", [](Json& j) { j["strategy"] = "pcx"; }, nullptr,
       "bad.json: /strategy: unknown strategy \"pcx\" (known: pct, portfolio, random, round-robin, "
       "dfs, replay)"},
      {"strategy not canonical", [](Json& j) { j["strategy"] = "pct"; }, nullptr,
       "bad.json: /strategy: not in canonical form (expected \"pct:depth=3,steps=64\")"},
      {"seed negative", [](Json& j) { j["seed"] = -1; }, nullptr,
       "bad.json: /seed: expected an unsigned 64-bit integer, got -1"},
      {"seed fraction", [](Json& j) { j["seed"] = 1.5; }, nullptr,
       "bad.json: /seed: expected an unsigned 64-bit integer, got 1.5"},
      {"iteration string", [](Json& j) { j["iteration"] = "0"; }, nullptr,
       "bad.json: /iteration: expected an unsigned 64-bit integer, got a string"},
      {"free_mode type", [](Json& j) { j["free_mode"] = "no"; }, nullptr,
       "bad.json: /free_mode: expected a boolean, got a string"},
      {"free_mode with pct", [](Json& j) { j["free_mode"] = true; }, nullptr,
       "bad.json: /free_mode: free mode repros have strategy \"free\", not \"" + spec + "\""},
      {"yield out of range", [](Json& j) { j["yield_per_mille"] = 2000; }, nullptr,
       "bad.json: /yield_per_mille: expected an integer in [0, 1000], got 2000"},
      {"schedule type", [](Json& j) { j["schedule"] = 7; }, nullptr,
       "bad.json: /schedule: expected a string, got 7"},
      {"schedule version", [schedule](Json& j) { j["schedule"] = "gcs2" + schedule.substr(4); },
       nullptr,
       "bad.json: /schedule: offset 0: unsupported schedule version \"gcs2\" (this build reads "
       "gcs1)"},
      {"schedule of another strategy",
       [seed](Json& j) { j["schedule"] = "gcs1:seed=" + seed + ":strategy=random:0.1"; }, nullptr,
       "bad.json: /schedule: the schedule's strategy \"random\" differs from \"strategy\" \"" +
           spec + "\""},
      {"schedule of another seed",
       [spec](Json& j) { j["schedule"] = "gcs1:seed=5:strategy=" + spec + ":0.1"; }, nullptr,
       "bad.json: /schedule: seed 5 is not the seed of iteration " +
           std::to_string(good.iteration) + " with base seed 1 (expected " + seed + ")"},
      {"iteration moved", [](Json& j) { j["iteration"] = j["iteration"].get<uint64_t>() + 1; },
       nullptr,
       "bad.json: /schedule: seed " + seed + " is not the seed of iteration " +
           std::to_string(good.iteration + 1) + " with base seed 1 (expected " +
           std::to_string(IterationSeed(1, good.iteration + 1)) + ")"},
      {"scenario missing threads", [](Json& j) { j["scenario"].erase("threads"); }, nullptr,
       "bad.json: /scenario: missing required field \"threads\""},
      {"scenario op typo", [](Json& j) { j["scenario"]["threads"]["main"][2]["op"] = "exprot"; },
       nullptr, "bad.json: /scenario/threads/main/2/op: unknown op \"exprot\""},
      {"scenario duplicate thread", nullptr,
       [](std::string s) { return Replace(s, "\"w2\": {", "\"w1\": {"); },
       "bad.json: /scenario/threads: duplicate thread name \"w1\""},
      {"scenario not an object", [](Json& j) { j["scenario"] = Json::array(); }, nullptr,
       "bad.json: /scenario: expected the top level to be an object, got an array"},
      {"verdict type", [](Json& j) { j["verdict"] = "deadlock"; }, nullptr,
       "bad.json: /verdict: expected an object, got a string"},
      {"verdict unknown field", [](Json& j) { j["verdict"]["obj"] = 3; }, nullptr,
       "bad.json: /verdict: unknown field \"obj\""},
      {"verdict missing site", [](Json& j) { j["verdict"].erase("site"); }, nullptr,
       "bad.json: /verdict: missing required field \"site\""},
      {"verdict kind", [](Json& j) { j["verdict"]["kind"] = "dead-lock"; }, nullptr,
       "bad.json: /verdict/kind: unknown violation kind \"dead-lock\""},
      {"verdict message lines", [](Json& j) { j["verdict"]["message"] = "a\nb"; }, nullptr,
       "bad.json: /verdict/message: must be one line"},
      {"verdict thread", [](Json& j) { j["verdict"]["thread"] = 4; }, nullptr,
       "bad.json: /verdict/thread: thread 4 out of range (the scenario has 3 threads; 3 is "
       "teardown)"},
      {"verdict step", [](Json& j) { j["verdict"]["step"] = 8; }, nullptr,
       "bad.json: /verdict/step: step 8 out of range (thread \"main\" has 8 steps)"},
      {"verdict step negative", [](Json& j) { j["verdict"]["step"] = -1; }, nullptr,
       "bad.json: /verdict/step: expected an unsigned 32-bit integer, got -1"},
      {"verdict op", [](Json& j) { j["verdict"]["op"] = "destroy"; }, nullptr,
       "bad.json: /verdict/op: unknown op \"destroy\""},
      {"verdict signature", [](Json& j) { j["verdict"]["signature"] = "deadlock/-/-/-"; }, nullptr,
       "bad.json: /verdict/signature: \"deadlock/-/-/-\" does not match kind, op, phase and site "
       "(\"" +
           good.verdict.Signature() + "\")"},
  };
  return t;
}

TEST(ReproTest, EveryMalformedReproIsOneExactError) {
  const Found& f = Failing();
  Repro good = MakeRepro(f.scenario, f.config, f.failure);
  good.verdict.thread = 0;  // pin the fields the table's messages name
  good.verdict.step = 2;
  const std::string text = FormatRepro(good);
  ASSERT_TRUE(ParseRepro(text, "bad.json").ok());
  const std::vector<BadRepro> table = BadRepros(good);
  EXPECT_GE(table.size(), 25u);
  for (const BadRepro& bad : table) {
    std::string mutated;
    if (bad.edit) {
      auto json = ParseJson(text, "bad.json");
      ASSERT_TRUE(json.ok());
      bad.edit(*json);
      mutated = json->dump(2);
    } else {
      mutated = bad.edit_text(text);
    }
    auto r = ParseRepro(mutated, "bad.json");
    ASSERT_FALSE(r.ok()) << bad.name;
    EXPECT_EQ(r.error().Format(), bad.expected) << bad.name;
    EXPECT_EQ(r.error().Format().find('\n'), std::string::npos) << bad.name;
  }
}

// repro_fields.def's keys, in order, are the file's keys; the schema text lists each.
TEST(ReproTest, KeysAreTheFieldTable) {
  const std::vector<std::string> top = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc) key,
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc)
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  };
  const std::vector<std::string> verdict = {
#define GCS_REPRO_FIELD(key, encoding, Read, Pass, doc)
#define GCS_REPRO_VERDICT_FIELD(key, encoding, Read, doc) key,
#include "harness/runner/repro_fields.def"
#undef GCS_REPRO_FIELD
#undef GCS_REPRO_VERDICT_FIELD
  };
  const Found& f = Failing();
  const Json j = Json::parse(FormatRepro(MakeRepro(f.scenario, f.config, f.failure)));
  std::vector<std::string> got_top, got_verdict;
  for (const auto& [k, v] : j.items())
    got_top.push_back(k);
  for (const auto& [k, v] : j["verdict"].items())
    got_verdict.push_back(k);
  EXPECT_EQ(got_top, top);
  EXPECT_EQ(got_verdict, verdict);
  const std::string schema = ReproSchemaText();
  for (const std::string& key : top)
    EXPECT_NE(schema.find("  \"" + key + "\""), std::string::npos) << key;
  for (const std::string& key : verdict)
    EXPECT_NE(schema.find("    \"" + key + "\""), std::string::npos) << key;
}

// A repro written by an earlier gcstress reads back and writes out byte for byte.
TEST(ReproTest, CheckedInReproRewritesByteForByte) {
  const std::string path =
      std::string(GCS_SOURCE_DIR) + "/tests/harness/cli/testdata/two-closing-vms.repro.json";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  Expected<Repro> repro = LoadRepro(path);
  ASSERT_TRUE(repro.ok()) << repro.error().Format();
  EXPECT_EQ(FormatRepro(*repro), bytes.str());
}

}  // namespace
}  // namespace gcs
