// gcstress scenario — tests for the loader: every scenario file, the model it builds, and a table
// of bad inputs with their exact one-line messages.
#include "harness/scenario/scenario_loader.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "harness/runner/expect_check.h"
#include "harness/scenario/scenario_encoder.h"
#include "tests/harness/address_sanitizer.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

using ::gcs::testing::CoreLoadOptions;

// A format-1 scenario named "t" with the given threads object.
std::string WithThreads(const std::string& threads) {
  return R"({"format": 1, "name": "t", "threads": )" + threads + "}";
}
// One plain thread "t1" with the given steps.
std::string WithSteps(const std::string& steps) {
  return WithThreads(R"({"t1": [)" + steps + "]}");
}
// A valid thread "t1" and the given expect value.
std::string WithExpect(const std::string& expect) {
  return R"({"format": 1, "name": "t", "threads": {"t1": [{"op": "yield"}]}, "expect": )" + expect +
         "}";
}

std::string LoadError(std::string_view text, const LoadOptions& options = CoreLoadOptions()) {
  Expected<Scenario> s = LoadScenarioText(text, "x.json", options);
  if (s.ok()) return "(loaded)";
  return s.error().Format();
}

TEST(ScenarioLoaderTest, AcceptsEveryScenarioFile) {
  std::vector<std::filesystem::path> files = ::gcs::testing::ScenarioFiles();
  ASSERT_GE(files.size(), 7u) << "scenarios/ lost its examples";
  for (const std::filesystem::path& file : files) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    EXPECT_GT(s->TotalSteps(), 0u) << file;
  }
}

// One ctest per scenario file present when the test binary was built (AcceptsEveryScenarioFile
// above also sees files added since), named after the file: ScenarioFile.examples_vm_switch. It
// loads the file and checks its expect block as `gcstress check` does, on the core target: each
// entry under its faults, 1000 pct executions in fork mode (an entry naming another target's
// faults is that target's suite's, e.g. CpythonTargetTest's). Registered by hand rather than as a
// value-parameterized test, whose "# GetParam() = ..." suffix would end up in the ctest names.
class ScenarioFileLoads : public ::testing::Test {
 public:
  explicit ScenarioFileLoads(std::filesystem::path file) : file_(std::move(file)) {}
  void TestBody() override {
    Expected<Scenario> s = LoadScenarioFile(file_.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    EXPECT_FALSE(s->threads.empty());
    if (::gcs::testing::kAddressSanitizer) {
      // A seed fault's children would die of ASan reports of the very memory errors the oracles
      // name (a sanitizer verdict, not the expected kind): only the fixed core's entries here;
      // the asan_* ctests of tests/harness/cli cover fault runs under ASan.
      std::erase_if(s->expect, [](const Expectation& e) { return !e.faults.empty(); });
    }
    RunConfig config;
    config.target = "core";
    config.strategy = "pct";
    config.seed = 1;
    config.iterations = 1000;
    config.isolate = true;
    config.batch = 10000;
    config.step_timeout = std::chrono::seconds(10);
    auto results = CheckExpectations(*s, config, NamedTarget("core"));
    ASSERT_TRUE(results.ok()) << results.error().Format();
    for (const ExpectationResult& r : *results) {
      if (r.other_target) continue;
      EXPECT_TRUE(r.ok) << file_.filename().string() << ": "
                        << (r.mismatch ? r.mismatch->message
                                       : "internal error: " + r.summary.internal_error);
    }
  }

 private:
  std::filesystem::path file_;
};

const bool kScenarioFileTestsRegistered = [] {
  std::set<std::string> names;
  for (const std::filesystem::path& file : ::gcs::testing::ScenarioFiles()) {
    std::string relative =
        std::filesystem::relative(file, ::gcs::testing::SourceDir() / "scenarios").string();
    std::string name;
    for (char c : relative.substr(0, relative.size() - 5)) {  // without ".json"
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      name += alnum ? c : '_';  // no '-' or '/': they mean something to --gtest_filter
    }
    while (!names.insert(name).second)
      name += "_";
    ::testing::RegisterTest("ScenarioFile", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [file]() -> ::testing::Test* { return new ScenarioFileLoads(file); });
  }
  return true;
}();

TEST(ScenarioLoaderTest, ExamplesUseEveryOpWorkersSpawnAndVms) {
  std::set<Op> ops;
  bool worker = false, spawned = false, extra_vm = false, expect_fault = false;
  for (const std::filesystem::path& file : ::gcs::testing::ExampleFiles()) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    for (const ThreadSpec& thread : s->threads) {
      worker |= thread.worker;
      spawned |= thread.spawned;
      for (const Step& step : thread.steps)
        ops.insert(step.op);
    }
    size_t workers = static_cast<size_t>(std::count_if(
        s->threads.begin(), s->threads.end(), [](const ThreadSpec& t) { return t.worker; }));
    extra_vm |= s->vms.size() > 1 + workers;
    for (const Expectation& e : s->expect)
      expect_fault |= !e.faults.empty() && e.violation;
  }
  for (const OpInfo& info : kOpTable) {
    EXPECT_EQ(ops.count(info.op), 1u) << "no example uses op " << info.json;
  }
  EXPECT_TRUE(worker);
  EXPECT_TRUE(spawned);
  EXPECT_TRUE(extra_vm) << "no example introduces a VM with switch_vm";
  EXPECT_TRUE(expect_fault) << "no example expects a violation under a fault";
}

// Variables, VMs, threads and every step field of a scenario that uses names before they are
// bound or introduced, in other threads.
TEST(ScenarioLoaderTest, BuildsTheModel) {
  const char* text = R"({
    "format": 1, "name": "model", "description": "d", "source": "s",
    "threads": {
      "t1": [{"op": "use", "obj": "late"}, {"op": "new", "as": "a"},
             {"op": "switch_vm", "vm": "vmX"}, {"as": "p", "vm": "w1", "obj": "a", "op": "export"},
             {"op": "spawn", "worker": "w1"}, {"op": "gc", "vm": "vmY"},
             {"op": "weak", "obj": "a", "as": "wa"}],
      "w1": {"worker": true, "steps": [
             {"op": "use", "obj": "p"}, {"op": "switch_vm", "vm": "vmY"},
             {"op": "new", "as": "late", "type": "subclass"},
             {"op": "set", "obj": "late", "field": 3, "to": "late"},
             {"op": "register", "obj": "late", "held": "a", "as": "tok"}]},
      "w2": {"steps": [
             {"op": "unregister", "token": "tok"}, {"op": "upgrade", "weak": "wa", "as": "a2"},
             {"op": "switch_vm", "vm": "vmX"}, {"op": "terminate", "worker": "w1"}],
             "worker": true},
      "t3": {"worker": false, "steps": []}
    },
    "expect": [{"result": "pass"}, {"faults": ["gc-worklist-race"], "result": "leak"}]
  })";
  Expected<Scenario> loaded = LoadScenarioText(text, "x.json", CoreLoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  const Scenario& s = *loaded;
  EXPECT_EQ(s.format, 1);
  EXPECT_EQ(s.name, "model");
  EXPECT_EQ(s.description, "d");
  EXPECT_EQ(s.source, "s");
  EXPECT_EQ(s.vms, (std::vector<std::string>{"main", "w1", "w2", "vmX", "vmY"}));
  EXPECT_EQ(s.vars, (std::vector<VarSpec>{{"late", BindKind::kHandle},
                                          {"a", BindKind::kHandle},
                                          {"p", BindKind::kHandle},
                                          {"wa", BindKind::kWeak},
                                          {"tok", BindKind::kToken},
                                          {"a2", BindKind::kHandle}}));
  ASSERT_EQ(s.threads.size(), 4u);
  EXPECT_EQ(s.TotalSteps(), 16u);

  const ThreadSpec& t1 = s.threads[0];
  EXPECT_EQ(t1.name, "t1");
  EXPECT_FALSE(t1.worker);
  EXPECT_FALSE(t1.spawned);
  EXPECT_EQ(t1.vm, 0);
  EXPECT_EQ(t1.steps, (std::vector<Step>{
                          Step{.op = Op::kUse, .obj = 0},
                          Step{.op = Op::kNew, .as = 1},
                          Step{.op = Op::kSwitchVm, .vm = 3},
                          Step{.op = Op::kExport, .obj = 1, .as = 2, .vm = 1},
                          Step{.op = Op::kSpawn, .worker = 1},
                          Step{.op = Op::kGc, .vm = 4},
                          Step{.op = Op::kWeak, .obj = 1, .as = 3},
                      }));
  const ThreadSpec& w1 = s.threads[1];
  EXPECT_TRUE(w1.worker);
  EXPECT_TRUE(w1.spawned);
  EXPECT_EQ(w1.vm, 1);
  EXPECT_EQ(w1.steps, (std::vector<Step>{
                          Step{.op = Op::kUse, .obj = 2},
                          Step{.op = Op::kSwitchVm, .vm = 4},
                          Step{.op = Op::kNew, .as = 0, .type = ObjType::kSubclass},
                          Step{.op = Op::kSet, .obj = 0, .to = 0, .field = 3},
                          Step{.op = Op::kRegister, .obj = 0, .as = 4, .held = 1},
                      }));
  const ThreadSpec& w2 = s.threads[2];
  EXPECT_TRUE(w2.worker);
  EXPECT_FALSE(w2.spawned);  // never named by a spawn step: starts with the run
  EXPECT_EQ(w2.vm, 2);
  EXPECT_EQ(w2.steps, (std::vector<Step>{
                          Step{.op = Op::kUnregister, .token = 4},
                          Step{.op = Op::kUpgrade, .as = 5, .weak = 3},
                          Step{.op = Op::kSwitchVm, .vm = 3},
                          Step{.op = Op::kTerminate, .worker = 1},
                      }));
  const ThreadSpec& t3 = s.threads[3];
  EXPECT_FALSE(t3.worker);
  EXPECT_EQ(t3.vm, 0);
  EXPECT_TRUE(t3.steps.empty());

  EXPECT_EQ(s.expect, (std::vector<Expectation>{{{}, std::nullopt},
                                                {{"gc-worklist-race"}, ViolationKind::kLeak}}));
}

TEST(ScenarioLoaderTest, OptionalFieldsDefault) {
  Expected<Scenario> s =
      LoadScenarioText(WithSteps(R"({"op": "new", "as": "o", "type": "object"}, {"op": "gc"},
                   {"op": "register", "obj": "o"}, {"op": "call", "obj": "o"})"),
                       "x.json", CoreLoadOptions());
  ASSERT_TRUE(s.ok()) << s.error().Format();
  EXPECT_EQ(
      s->threads[0].steps,
      (std::vector<Step>{Step{.op = Op::kNew, .as = 0}, Step{.op = Op::kGc},
                         Step{.op = Op::kRegister, .obj = 0}, Step{.op = Op::kCall, .obj = 0}}));
  EXPECT_TRUE(s->description.empty());
  EXPECT_TRUE(s->expect.empty());
  EXPECT_EQ(s->vms, std::vector<std::string>{"main"});
}

TEST(ScenarioLoaderTest, RebindingAndSelfReferenceAreAllowed) {
  // Rebinding drops the old value at run time; using and binding one name in a step is fine.
  Expected<Scenario> s =
      LoadScenarioText(WithSteps(R"({"op": "new", "as": "a"}, {"op": "new", "as": "a"},
                   {"op": "clone", "obj": "a", "as": "a"}, {"op": "set", "obj": "a", "field": 0,
                   "to": "a"})"),
                       "x.json", CoreLoadOptions());
  ASSERT_TRUE(s.ok()) << s.error().Format();
  EXPECT_EQ(s->vars.size(), 1u);
  EXPECT_EQ(s->threads[0].steps[2], (Step{.op = Op::kClone, .obj = 0, .as = 0}));
}

struct BadInput {
  const char* what;
  std::string text;
  std::string message;  // the exact InputError::Format() for file "x.json"
};

std::vector<BadInput> BadInputs() {
  std::string four_steps = R"({"op": "attach"}, {"op": "new", "as": "o"}, {"op": "yield"}, )";
  return {
      // The text itself.
      {"empty", "",
       "x.json: line 1 column 1: syntax error: unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"truncated", R"({"format": 1, "name": "t", "threads": {"t1": [{"op": "new", "as": "o"})",
       "x.json: line 1 column 71: syntax error: unexpected end of input; expected ']'"},
      {"truncated in a string", "{\"format\": 1, \"na",
       "x.json: line 1 column 18: syntax error: invalid string: missing closing quote; last "
       "read: '\"na'; expected string literal"},
      {"syntax error on line 3", "{\"format\": 1,\n\"name\": \"t\",\n  \"threads\": {\"t1\" []}}",
       "x.json: line 3 column 20: syntax error: unexpected '['; expected ':'"},
      {"NaN", R"({"format": NaN})",
       "x.json: line 1 column 12: syntax error: invalid literal; last read: '\"format\": N'"},
      {"trailing garbage", WithSteps("") + " x",
       "x.json: line 1 column 51: syntax error: invalid literal; last read: '\"t1\": []}} x'; "
       "expected end of input"},
      {"huge float", R"({"format": 1e999})",
       "x.json: line 1 column 16: number overflow parsing '1e999'"},
      {"deep nesting",
       R"({"format": 1, "name": "t", "threads": {"t1": [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}})",
       "x.json: line 1 column 60: nesting deeper than 16 levels"},
      {"duplicate step key", WithSteps(R"({"op": "new", "as": "o", "as": "p"})"),
       "x.json: /threads/t1/0: duplicate key \"as\""},
      {"duplicate top-level key", R"({"format": 1, "format": 1})",
       "x.json: duplicate key \"format\""},
      {"duplicate thread", WithThreads(R"({"t1": [], "t2": [], "t1": []})"),
       "x.json: /threads: duplicate thread name \"t1\""},
      // The top level.
      {"top level array", "[]", "x.json: expected the top level to be an object, got an array"},
      {"top level string", "\"scenario\"",
       "x.json: expected the top level to be an object, got a string"},
      {"no format", R"({"name": "t", "threads": {}})", "x.json: missing required field \"format\""},
      {"format string", R"({"format": "1"})", "x.json: /format: expected an integer, got a string"},
      {"format float", R"({"format": 1.0})", "x.json: /format: expected an integer, got 1.0"},
      {"format huge", R"({"format": 100000000000000000000})",
       "x.json: /format: expected an integer, got 1e+20"},
      {"format 2 before unknown fields", R"({"format": 2, "steps": []})",
       "x.json: /format: unsupported format 2 (this gcstress reads format 1)"},
      {"format 0", R"({"format": 0})",
       "x.json: /format: unsupported format 0 (this gcstress reads format 1)"},
      {"unknown top-level field", R"({"format": 1, "name": "t", "thread": {}})",
       "x.json: unknown field \"thread\""},
      {"no name", R"({"format": 1, "threads": {}})", "x.json: missing required field \"name\""},
      {"empty name", R"({"format": 1, "name": ""})", "x.json: /name: scenario name \"\" is empty"},
      {"bad name", R"({"format": 1, "name": "my scenario"})",
       "x.json: /name: scenario name \"my scenario\" may only contain letters, digits, '_', '-' "
       "and '.'"},
      {"description number", R"({"format": 1, "name": "t", "description": 3})",
       "x.json: /description: expected a string, got 3"},
      {"source null", R"({"format": 1, "name": "t", "source": null})",
       "x.json: /source: expected a string, got null"},
      {"no threads", R"({"format": 1, "name": "t"})", "x.json: missing required field \"threads\""},
      // Threads.
      {"threads array", WithThreads("[]"),
       "x.json: /threads: expected an object of threads, got an array"},
      {"threads empty", WithThreads("{}"), "x.json: /threads: no threads"},
      {"thread name empty", WithThreads(R"({"": []})"),
       "x.json: /threads: thread name \"\" is empty"},
      {"thread name slash", WithThreads(R"({"a/b": []})"),
       "x.json: /threads: thread name \"a/b\" may only contain letters, digits, '_', '-' and "
       "'.'"},
      {"thread value number", WithThreads(R"({"t1": 3})"),
       "x.json: /threads/t1: expected an array of steps or an object {\"worker\": ..., \"steps\": "
       "[...]}, got 3"},
      {"worker unknown field", WithThreads(R"({"w1": {"worker": true, "step": []}})"),
       "x.json: /threads/w1: unknown field \"step\""},
      {"worker without steps", WithThreads(R"({"w1": {"worker": true}})"),
       "x.json: /threads/w1: missing required field \"steps\""},
      {"worker flag string", WithThreads(R"({"w1": {"worker": "yes", "steps": []}})"),
       "x.json: /threads/w1/worker: expected true or false, got a string"},
      {"worker steps object", WithThreads(R"({"w1": {"worker": true, "steps": {}}})"),
       "x.json: /threads/w1/steps: expected an array of steps, got an object"},
      {"worker named main", WithThreads(R"({"main": {"worker": true, "steps": []}})"),
       "x.json: /threads/main: a worker cannot be named \"main\" (the main VM)"},
      // Steps.
      {"step array", WithSteps("[]"),
       "x.json: /threads/t1/0: expected a step object, got an array"},
      {"step without op", WithSteps(R"({"as": "o"})"),
       "x.json: /threads/t1/0: missing required field \"op\""},
      {"op number", WithSteps(R"({"op": 3})"),
       "x.json: /threads/t1/0/op: expected a string, got 3"},
      {"unknown op", WithThreads(R"({"main": [)" + four_steps + R"({"op": "clnoe"}]})"),
       "x.json: /threads/main/3/op: unknown op \"clnoe\""},
      {"unknown op in a worker",
       WithThreads(R"({"w1": {"worker": true, "steps": [)" + four_steps + R"({"op": "clnoe"}]}})"),
       "x.json: /threads/w1/steps/3/op: unknown op \"clnoe\""},
      {"unknown step field", WithSteps(R"({"op": "yield", "bogus": 1})"),
       "x.json: /threads/t1/0: unknown field \"bogus\""},
      {"field of another op", WithSteps(R"({"op": "new", "obj": "o", "as": "o"})"),
       "x.json: /threads/t1/0: op \"new\" has no field \"obj\""},
      {"missing required field",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "clone", "obj": "o"})"),
       "x.json: /threads/t1/1: op \"clone\" is missing required field \"as\""},
      {"variable number", WithSteps(R"({"op": "drop", "obj": 1})"),
       "x.json: /threads/t1/0/obj: expected a string, got 1"},
      {"variable name bad", WithSteps(R"({"op": "new", "as": "a b"})"),
       "x.json: /threads/t1/0/as: variable name \"a b\" may only contain letters, digits, '_', "
       "'-' and '.'"},
      {"variable name too long",
       WithSteps(R"({"op": "new", "as": ")" + std::string(65, 'v') + "\"}"),
       "x.json: /threads/t1/0/as: variable name \"" + std::string(64, 'v') +
           "...\" is longer than 64 characters"},
      {"field index float",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "clear", "obj": "o", "field": 1.5})"),
       "x.json: /threads/t1/1/field: expected an integer, got 1.5"},
      {"field index string",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "clear", "obj": "o", "field": "1"})"),
       "x.json: /threads/t1/1/field: expected an integer, got a string"},
      {"field index 4",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "clear", "obj": "o", "field": 4})"),
       "x.json: /threads/t1/1/field: field index 4 is out of range [0, 4)"},
      {"field index -1",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "clear", "obj": "o", "field": -1})"),
       "x.json: /threads/t1/1/field: field index -1 is out of range [0, 4)"},
      {"field index huge",
       WithSteps(
           R"({"op": "new", "as": "o"}, {"op": "clear", "obj": "o", "field": 18446744073709551615})"),
       "x.json: /threads/t1/1/field: field index 18446744073709551615 is out of range [0, 4)"},
      {"unknown type", WithSteps(R"({"op": "new", "as": "o", "type": "struct"})"),
       "x.json: /threads/t1/0/type: unknown type \"struct\" (expected \"object\" or \"subclass\")"},
      // Names across the scenario.
      {"never bound", WithSteps(R"({"op": "drop", "obj": "x"})"),
       "x.json: /threads/t1/0/obj: variable \"x\" is never bound"},
      {"bound with two kinds",
       WithSteps(
           R"({"op": "new", "as": "w"}, {"op": "new", "as": "o"}, {"op": "weak", "obj": "o", "as": "w"})"),
       "x.json: /threads/t1/2/as: variable \"w\" is bound to a weak reference here but to a "
       "handle at /threads/t1/0/as"},
      {"handle used as weak",
       WithSteps(R"({"op": "new", "as": "o"}, {"op": "upgrade", "weak": "o", "as": "h"})"),
       "x.json: /threads/t1/1/weak: variable \"o\" holds a handle, not a weak reference"},
      {"token used as handle",
       WithSteps(
           R"({"op": "new", "as": "o"}, {"op": "register", "obj": "o", "as": "tok"}, {"op": "use", "obj": "tok"})"),
       "x.json: /threads/t1/2/obj: variable \"tok\" holds a registry token, not a handle"},
      {"unknown VM for gc", WithSteps(R"({"op": "gc", "vm": "vm9"})"),
       "x.json: /threads/t1/0/vm: unknown VM \"vm9\" (not \"main\", a worker or a name some "
       "switch_vm introduces)"},
      {"unknown VM for destroy_vm",
       WithSteps(R"({"op": "switch_vm", "vm": "vm1"}, {"op": "destroy_vm", "vm": "vm2"})"),
       "x.json: /threads/t1/1/vm: unknown VM \"vm2\" (not \"main\", a worker or a name some "
       "switch_vm introduces)"},
      {"plain thread is not a VM",
       WithThreads(R"({"t1": [{"op": "enumerate", "vm": "t2"}], "t2": []})"),
       "x.json: /threads/t1/0/vm: unknown VM \"t2\" (not \"main\", a worker or a name some "
       "switch_vm introduces)"},
      {"switch_vm empty name", WithSteps(R"({"op": "switch_vm", "vm": ""})"),
       "x.json: /threads/t1/0/vm: VM name \"\" is empty"},
      {"unknown worker", WithSteps(R"({"op": "spawn", "worker": "w9"})"),
       "x.json: /threads/t1/0/worker: unknown worker \"w9\""},
      {"spawn a plain thread",
       WithThreads(R"({"t1": [{"op": "spawn", "worker": "t2"}], "t2": []})"),
       "x.json: /threads/t1/0/worker: thread \"t2\" is not a worker"},
      {"worker spawns itself",
       WithThreads(R"({"w1": {"worker": true, "steps": [{"op": "spawn", "worker": "w1"}]}})"),
       "x.json: /threads/w1/steps/0/worker: worker \"w1\" cannot spawn itself"},
      // Expect.
      {"expect object", WithExpect("{}"), "x.json: /expect: expected an array, got an object"},
      {"expect entry number", WithExpect("[3]"),
       "x.json: /expect/0: expected an object {\"faults\": [...], \"result\": ...}, got 3"},
      {"expect unknown field", WithExpect(R"([{"fault": [], "result": "pass"}])"),
       "x.json: /expect/0: unknown field \"fault\""},
      {"expect without result", WithExpect(R"([{"faults": []}])"),
       "x.json: /expect/0: missing required field \"result\""},
      {"expect result null", WithExpect(R"([{"result": null}])"),
       "x.json: /expect/0/result: expected a string, got null"},
      {"unknown result", WithExpect(R"([{"faults": [], "result": "boom"}])"),
       "x.json: /expect/0/result: unknown result \"boom\" (expected \"pass\" or a violation kind)"},
      {"expect-mismatch result", WithExpect(R"([{"result": "expect-mismatch"}])"),
       "x.json: /expect/0/result: result \"expect-mismatch\" cannot be expected"},
      {"faults string", WithExpect(R"([{"faults": "gc-worklist-race", "result": "leak"}])"),
       "x.json: /expect/0/faults: expected an array of fault names, got a string"},
      {"fault number", WithExpect(R"([{"faults": [1], "result": "leak"}])"),
       "x.json: /expect/0/faults/0: expected a string, got 1"},
      {"unknown fault", WithExpect(R"([{"faults": ["some-fault"], "result": "double-free"}])"),
       "x.json: /expect/0/faults/0: unknown fault \"some-fault\" for target \"core\""},
      {"fault twice",
       WithExpect(R"([{"faults": ["gc-worklist-race", "gc-worklist-race"], "result": "leak"}])"),
       "x.json: /expect/0/faults/1: fault \"gc-worklist-race\" is listed twice"},
      {"same fault set twice",
       WithExpect(R"([{"result": "pass"}, {"faults": ["gc-worklist-race", "proxy-shared-table"],
                     "result": "leak"}, {"faults": ["proxy-shared-table", "gc-worklist-race"],
                     "result": "premature-collection"}])"),
       "x.json: /expect/2: the same faults as /expect/1; expect one result per fault set"},
  };
}

TEST(ScenarioLoaderTest, BadInputsHaveExactMessages) {
  std::vector<BadInput> inputs = BadInputs();
  EXPECT_GE(inputs.size(), 40u);
  std::set<std::string> messages;
  for (const BadInput& input : inputs) {
    EXPECT_EQ(LoadError(input.text), input.message) << input.what << "\n" << input.text;
    EXPECT_TRUE(messages.insert(input.message).second) << "two rows test the same message";
  }
}

TEST(ScenarioLoaderTest, UnsupportedOpsNameTheTarget) {
  LoadOptions cpython = CoreLoadOptions();
  cpython.target = "cpython";
  cpython.supported_ops = *BuiltinTargetOps("cpython");
  std::string text = WithThreads(R"({"t1": [{"op": "new", "as": "o"}, {"op": "gc"},
      {"op": "export", "obj": "o", "vm": "main", "as": "p"}]})");
  EXPECT_EQ(LoadError(text, cpython),
            "x.json: /threads/t1/2/op: op \"export\" is not supported by target \"cpython\"");
  EXPECT_EQ(LoadError(text), "(loaded)");
  cpython.known_faults.clear();
  EXPECT_EQ(
      LoadError(WithExpect(R"([{"faults": ["gc-worklist-race"], "result": "leak"}])"), cpython),
      "x.json: /expect/0/faults/0: unknown fault \"gc-worklist-race\" for target \"cpython\"");
  EXPECT_EQ(LoadError(WithExpect(R"([{"faults": [], "result": "pass"}])"), cpython), "(loaded)");
}

TEST(ScenarioLoaderTest, ExpectEntriesMayNameATargetAndVersion) {
  LoadOptions options = CoreLoadOptions();
  options.known_targets = {"core", "pyo3", "comlink", "comlink@4.4.1", "comlink@4.4.2"};
  auto load = [&](const std::string& expect) { return LoadError(WithExpect(expect), options); };
  EXPECT_EQ(load(R"([{"result": "pass"}, {"target": "pyo3", "result": "use-after-free"},
                     {"target": "comlink@4.4.1", "result": "leak"}, {"target": "comlink",
                     "result": "pass"}])"),
            "(loaded)");
  EXPECT_EQ(load(R"([{"target": "jython", "result": "pass"}])"),
            "x.json: /expect/0/target: unknown target \"jython\"");
  EXPECT_EQ(load(R"([{"target": "comlink@9.9.9", "result": "pass"}])"),
            "x.json: /expect/0/target: target \"comlink\" has no version \"9.9.9\"");
  EXPECT_EQ(load(R"([{"target": "comlink@", "result": "pass"}])"),
            "x.json: /expect/0/target: version name \"\" is empty");
  EXPECT_EQ(load(R"([{"target": 3, "result": "pass"}])"),
            "x.json: /expect/0/target: expected a string, got 3");
  EXPECT_EQ(load(R"([{"target": "pyo3", "result": "pass"}, {"target": "pyo3", "faults": [],
                     "result": "leak"}])"),
            "x.json: /expect/1: the same target and faults as /expect/0; expect one result per "
            "target and fault set");
  // Without a list of targets (the fuzzers) any well-formed name loads.
  EXPECT_EQ(LoadError(WithExpect(R"([{"target": "anything@1.0", "result": "pass"}])")), "(loaded)");
}

TEST(ScenarioLoaderTest, TheMostSpecificEntryDecidesARun) {
  LoadOptions options = CoreLoadOptions();
  Expected<Scenario> s = LoadScenarioText(
      WithExpect(R"([{"result": "pass"}, {"faults": ["gc-worklist-race"], "result": "leak"},
                     {"target": "comlink", "result": "leak"},
                     {"target": "comlink@4.4.2", "result": "deadlock"},
                     {"target": "pyo3", "result": "use-after-free"}])"),
      "x.json", options);
  ASSERT_TRUE(s.ok()) << s.error().Format();
  auto results = [&](std::string_view target, std::string_view version) {
    std::string out;
    for (const Expectation* e : ExpectationsFor(*s, target, version)) {
      out += (out.empty() ? "" : " ") + std::to_string(e - s->expect.data());
    }
    return out;
  };
  EXPECT_EQ(results("core", ""), "0 1");
  EXPECT_EQ(results("comlink", "4.4.1"), "2 1");
  EXPECT_EQ(results("comlink", "4.4.2"), "3 1");
  EXPECT_EQ(results("pyo3", "0.17.3"), "4 1");
  // The encoder writes the target first and drops an empty fault list beside it.
  EXPECT_NE(FormatScenario(*s).find(R"({"target": "comlink@4.4.2", "result": "deadlock"})"),
            std::string::npos)
      << FormatScenario(*s);
}

std::string Repeat(const std::string& item, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += (i ? ", " : "") + item;
  return out;
}

TEST(ScenarioLoaderTest, Limits) {
  std::string threads;
  for (int i = 0; i <= kMaxThreads; ++i)
    threads += (i ? ", \"t" : "\"t") + std::to_string(i) + "\": []";
  EXPECT_EQ(LoadError(WithThreads("{" + threads + "}")),
            "x.json: /threads: 17 threads; at most 16 are allowed");

  std::string yields = Repeat(R"({"op": "yield"})", kMaxSteps / 2);
  EXPECT_EQ(LoadError(WithThreads("{\"a\": [" + yields + "], \"b\": [" + yields + "]}")),
            "(loaded)");
  EXPECT_EQ(LoadError(WithThreads("{\"a\": [" + yields + "], \"b\": [" + yields +
                                  ", {\"op\": \"yield\"}]}")),
            "x.json: /threads/b/32768: more than 65536 steps in all threads");

  std::string news;
  for (size_t i = 0; i <= kMaxVars; ++i) {
    news += (i ? ", " : "") + std::string(R"({"op": "new", "as": "v)") + std::to_string(i) + "\"}";
  }
  EXPECT_EQ(LoadError(WithSteps(news)), "x.json: /threads/t1/4096/as: more than 4096 variables");

  std::string switches;
  for (size_t i = 0; i < kMaxVms; ++i) {
    switches += (i ? ", " : "") + std::string(R"({"op": "switch_vm", "vm": "vm)") +
                std::to_string(i) + "\"}";
  }
  EXPECT_EQ(LoadError(WithSteps(switches)), "x.json: /threads/t1/255/vm: more than 256 VMs");

  EXPECT_EQ(
      LoadError(WithExpect("[" + Repeat(R"({"result": "pass"})", kMaxExpectations + 1) + "]")),
      "x.json: /expect: 257 entries; at most 256 are allowed");

  EXPECT_EQ(LoadError(R"({"format": 1, "name": ")" + std::string(65, 'n') + "\"}"),
            "x.json: /name: scenario name \"" + std::string(64, 'n') +
                "...\" is longer than 64 characters");
  EXPECT_EQ(LoadError(R"({"format": 1, "name": ")" + std::string(64, 'n') +
                      R"(", "description": ")" + std::string(4097, 'd') + "\"}"),
            "x.json: /description: longer than 4096 bytes");
  std::string big = WithSteps("") + std::string(kMaxInputBytes, ' ');
  EXPECT_EQ(LoadError(big), "x.json: input is larger than 16777216 bytes");
}

TEST(ScenarioLoaderTest, EmbeddedScenarioReportsPointersUnderItsPrefix) {
  nlohmann::ordered_json repro = nlohmann::ordered_json::parse(R"({"scenario": {"format": 1,
      "name": "t", "threads": {"t1": [{"op": "new", "as": "w"}, {"op": "weak", "obj": "w",
      "as": "w"}]}}})");
  Expected<Scenario> s =
      ScenarioFromJson(repro["scenario"], "r.json", "/scenario", CoreLoadOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().Format(),
            "r.json: /scenario/threads/t1/1/as: variable \"w\" is bound to a weak reference here "
            "but to a handle at /scenario/threads/t1/0/as");
  s = ScenarioFromJson(nlohmann::ordered_json::array(), "r.json", "/scenario", CoreLoadOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().Format(),
            "r.json: /scenario: expected the top level to be an object, got an array");

  Expected<nlohmann::ordered_json> dup =
      ParseJson(R"({"scenario": {"threads": {"a": [], "a": []}}})", "r.json",
                ScenarioJsonReadOptions("/scenario"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().Format(), "r.json: /scenario/threads: duplicate thread name \"a\"");
}

// NormalizeScenario against what it stands for: ScenarioFromJson(ScenarioToJson(draft)).
Expected<Scenario> ThroughJson(const Scenario& draft, const LoadOptions& options) {
  return ScenarioFromJson(ScenarioToJson(draft), "x.json", "", options);
}
std::string Outcome(const Expected<Scenario>& s) {
  return s.ok() ? "(loaded)" : s.error().Format();
}

// `s` as a program might have built it: variables in another order, one no step names, the
// switch_vm VMs in another order, `spawned` and the thread VMs unset. Renumbers the steps.
Scenario Scramble(const Scenario& s) {
  Scenario d = s;
  const auto nvars = static_cast<VarId>(s.vars.size());
  std::reverse(d.vars.begin(), d.vars.end());
  d.vars.push_back(VarSpec{"unused", BindKind::kWeak});
  const auto first_switch =
      static_cast<int16_t>(1 + std::count_if(s.threads.begin(), s.threads.end(),
                                             [](const ThreadSpec& t) { return t.worker; }));
  const auto nvms = static_cast<int16_t>(s.vms.size());
  std::reverse(d.vms.begin() + first_switch, d.vms.end());
  for (ThreadSpec& t : d.threads) {
    t.spawned = false;
    t.vm = 0;
    for (Step& step : t.steps) {
      for (Field f : {Field::kObj, Field::kAs, Field::kTo, Field::kWeak, Field::kHeld,
                      Field::kToken, Field::kFrom}) {
        VarId* slot = StepVarSlot(step, f);
        if (*slot != kNoVar) *slot = static_cast<VarId>(nvars - 1 - *slot);
      }
      if (step.vm >= first_switch)
        step.vm = static_cast<int16_t>(nvms - 1 - step.vm + first_switch);
    }
  }
  return d;
}

TEST(ScenarioLoaderTest, NormalizeScenarioIsTheJsonRoundTripOfEveryScenarioFile) {
  for (const std::filesystem::path& file : ::gcs::testing::ScenarioFiles()) {
    Expected<Scenario> s = LoadScenarioFile(file.string(), CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << s.error().Format();
    for (const Scenario& draft : {*s, Scramble(*s)}) {
      Expected<Scenario> normal = NormalizeScenario(draft, "x.json", CoreLoadOptions());
      ASSERT_TRUE(normal.ok()) << file << ": " << normal.error().Format();
      Expected<Scenario> json = ThroughJson(draft, CoreLoadOptions());
      ASSERT_TRUE(json.ok()) << file << ": " << json.error().Format();
      EXPECT_EQ(*normal, *json) << file;
      EXPECT_EQ(*normal, *s) << file;
    }
  }
}

struct BadDraft {
  const char* what;
  std::string text;  // loads; then `edit` breaks it
  std::function<void(Scenario&)> edit;
  std::string message;  // the exact InputError::Format() for file "x.json"
};

std::vector<BadDraft> BadDrafts() {
  auto var = [](Scenario& s, const char* name) -> VarSpec& { return s.vars[*s.FindVar(name)]; };
  auto step = [](Scenario& s, size_t t, size_t i) -> Step& { return s.threads[t].steps[i]; };
  const std::string new_drop = WithSteps(R"({"op": "new", "as": "o"}, {"op": "drop", "obj": "o"})");
  const std::string worker = WithThreads(
      R"({"t1": [{"op": "spawn", "worker": "w1"}], "w1": {"worker": true, "steps": []}})");
  return {
      {"format 2", new_drop, [](Scenario& s) { s.format = 2; },
       "x.json: /format: unsupported format 2 (this gcstress reads format 1)"},
      {"bad name", new_drop, [](Scenario& s) { s.name = "my scenario"; },
       "x.json: /name: scenario name \"my scenario\" may only contain letters, digits, '_', '-' "
       "and '.'"},
      {"long source", new_drop, [](Scenario& s) { s.source = std::string(4097, 's'); },
       "x.json: /source: longer than 4096 bytes"},
      {"no threads", new_drop, [](Scenario& s) { s.threads.clear(); },
       "x.json: /threads: no threads"},
      {"too many threads", new_drop,
       [](Scenario& s) {
         for (int i = 0; i < kMaxThreads; ++i)
           s.threads.push_back(ThreadSpec{.name = "x" + std::to_string(i)});
       },
       "x.json: /threads: 17 threads; at most 16 are allowed"},
      {"thread name slash", new_drop, [](Scenario& s) { s.threads[0].name = "a/b"; },
       "x.json: /threads: thread name \"a/b\" may only contain letters, digits, '_', '-' and "
       "'.'"},
      {"worker named main", worker, [](Scenario& s) { s.threads[1].name = "main"; },
       "x.json: /threads/main: a worker cannot be named \"main\" (the main VM)"},
      {"unsupported op", new_drop, [&](Scenario& s) { step(s, 0, 1).op = Op::kRelease; },
       "x.json: /threads/t1/1/op: op \"release\" is not supported by target \"no-release\""},
      {"variable name bad", new_drop, [&](Scenario& s) { var(s, "o").name = "a b"; },
       "x.json: /threads/t1/0/as: variable name \"a b\" may only contain letters, digits, '_', "
       "'-' and '.'"},
      {"bound with two kinds",
       WithSteps(
           R"({"op": "new", "as": "w"}, {"op": "new", "as": "o"}, {"op": "weak", "obj": "o", "as": "x"})"),
       [&](Scenario& s) { step(s, 0, 2).as = *s.FindVar("w"); },
       "x.json: /threads/t1/2/as: variable \"w\" is bound to a weak reference here but to a "
       "handle at /threads/t1/0/as"},
      {"never bound", new_drop,
       [&](Scenario& s) {
         s.vars.push_back(VarSpec{"x", BindKind::kHandle});
         step(s, 0, 1).obj = *s.FindVar("x");
       },
       "x.json: /threads/t1/1/obj: variable \"x\" is never bound"},
      {"unknown VM", WithSteps(R"({"op": "switch_vm", "vm": "v1"}, {"op": "gc", "vm": "v1"})"),
       [&](Scenario& s) { step(s, 0, 0).op = Op::kDestroyVm; },
       "x.json: /threads/t1/0/vm: unknown VM \"v1\" (not \"main\", a worker or a name some "
       "switch_vm introduces)"},
      {"switch_vm bad name", WithSteps(R"({"op": "switch_vm", "vm": "v1"})"),
       [](Scenario& s) { s.vms[1] = "v 1"; },
       "x.json: /threads/t1/0/vm: VM name \"v 1\" may only contain letters, digits, '_', '-' "
       "and '.'"},
      {"spawn a plain thread", worker, [](Scenario& s) { s.threads[1].worker = false; },
       "x.json: /threads/t1/0/worker: thread \"w1\" is not a worker"},
      {"worker spawns itself", worker,
       [](Scenario& s) { s.threads[1].steps.push_back(s.threads[0].steps[0]); },
       "x.json: /threads/w1/steps/0/worker: worker \"w1\" cannot spawn itself"},
      {"unknown fault", new_drop,
       [](Scenario& s) { s.expect.push_back({.faults = {"some-fault"}}); },
       "x.json: /expect/0/faults/0: unknown fault \"some-fault\" for target \"no-release\""},
      {"fault twice", new_drop,
       [](Scenario& s) {
         s.expect.push_back({.faults = {"gc-worklist-race", "gc-worklist-race"}});
       },
       "x.json: /expect/0/faults/1: fault \"gc-worklist-race\" is listed twice"},
      {"expect-mismatch result", new_drop,
       [](Scenario& s) { s.expect.push_back({.violation = ViolationKind::kExpectMismatch}); },
       "x.json: /expect/0/result: result \"expect-mismatch\" cannot be expected"},
      {"same fault set twice", new_drop,
       [](Scenario& s) {
         s.expect.push_back({.faults = {"gc-worklist-race", "proxy-shared-table"}});
         s.expect.push_back({.faults = {"proxy-shared-table", "gc-worklist-race"},
                             .violation = ViolationKind::kLeak});
       },
       "x.json: /expect/1: the same faults as /expect/0; expect one result per fault set"},
  };
}

// Every check the loader makes beyond the JSON's shape fails a draft as it fails the draft's
// JSON, with the same message.
TEST(ScenarioLoaderTest, NormalizeScenarioFailsAsTheJsonRoundTripDoes) {
  LoadOptions options = CoreLoadOptions();
  options.target = "no-release";
  options.supported_ops.reset(static_cast<size_t>(Op::kRelease));
  for (BadDraft& bad : BadDrafts()) {
    Expected<Scenario> s = LoadScenarioText(bad.text, "x.json", CoreLoadOptions());
    ASSERT_TRUE(s.ok()) << bad.what << ": " << s.error().Format();
    Scenario draft = *s;
    bad.edit(draft);
    EXPECT_EQ(Outcome(NormalizeScenario(draft, "x.json", options)), bad.message) << bad.what;
    EXPECT_EQ(Outcome(ThroughJson(draft, options)), bad.message) << bad.what;
  }
}

// JSON cannot repeat a thread name (ParseJson refuses the duplicate key); a draft can, and is
// told so in the same words.
TEST(ScenarioLoaderTest, NormalizeScenarioRefusesARepeatedThreadName) {
  Expected<Scenario> s =
      LoadScenarioText(WithThreads(R"({"t1": [], "t2": []})"), "x.json", CoreLoadOptions());
  ASSERT_TRUE(s.ok()) << s.error().Format();
  s->threads[1].name = "t1";
  EXPECT_EQ(Outcome(NormalizeScenario(*s, "x.json", CoreLoadOptions())),
            "x.json: /threads: duplicate thread name \"t1\"");
}

TEST(ScenarioLoaderTest, LoadScenarioFileReportsUnreadableFiles) {
  std::filesystem::path missing = ::gcs::testing::SourceDir() / "scenarios" / "no-such-file.json";
  Expected<Scenario> s = LoadScenarioFile(missing.string(), CoreLoadOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().Format(), missing.string() + ": cannot open: No such file or directory");
}

}  // namespace
}  // namespace gcs
