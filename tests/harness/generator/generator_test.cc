// gcstress generator — tests: GenerateScenario: determinism, validity, weights, shapes, options.
#include "harness/generator/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "harness/scenario/scenario_draft.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_json_reader.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/scenario_validation.h"
#include "harness/scheduler/prng.h"
#include "harness/targets/core/core_target.h"
#include "seed_faults.h"

namespace gcs {
namespace {

using testing::CoreLoadOptions;

size_t CountOp(const Scenario& s, Op op) {
  size_t n = 0;
  for (const ThreadSpec& t : s.threads) {
    for (const Step& step : t.steps)
      n += step.op == op ? 1 : 0;
  }
  return n;
}

// FNV-1a: a digest that is the same everywhere, for the golden test.
uint64_t Fnv1a(const std::string& text, uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

TEST(GeneratorTest, TheSameSeedGivesTheSameScenarioByteForByte) {
  std::set<std::string> distinct;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    const std::string first = FormatScenario(GenerateScenario(seed, GeneratorOptions{}));
    GeneratorOptions fresh;  // a separate options object: nothing is cached between calls
    EXPECT_EQ(first, FormatScenario(GenerateScenario(seed, fresh))) << seed;
    distinct.insert(first);
  }
  EXPECT_GT(distinct.size(), 295u);  // different seeds, different scenarios
}

// The generator's output for a seed is part of what a user records ("gcstress gen --seed 42"):
// it must not change between builds or platforms. This digest pins seeds 1-20 under the default
// options; a deliberate change of the generator updates it (and says so in its commit).
TEST(GeneratorTest, GoldenDigestOfTheFirstSeeds) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint64_t seed = 1; seed <= 20; ++seed)
    h = Fnv1a(FormatScenario(GenerateScenario(seed, GeneratorOptions{})), h);
  EXPECT_EQ(h, 0x899ff8c3eadbad63ULL) << std::hex << h;
}

// What a fuzzer's source looks like: answers taken from a byte string (little-endian, as many
// bytes as the bound needs), zero once the bytes run out.
class ByteDraws final : public GeneratorDraws {
 public:
  explicit ByteDraws(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  uint64_t Below(uint64_t bound) override {
    uint64_t value = 0;
    for (uint64_t range = bound - 1, shift = 0; range != 0; range >>= 8, shift += 8) {
      if (pos_ < bytes_.size()) value |= uint64_t{bytes_[pos_++]} << shift;
    }
    return value % bound;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

// The largest answer, every time: the other extreme from running out of bytes.
class MaxDraws final : public GeneratorDraws {
 public:
  uint64_t Below(uint64_t bound) override { return bound - 1; }
};

// Without the generator's own load (check_with_loader off, as the fuzzers run it): the scenario
// it returns is still exactly what its text loads as.
TEST(GeneratorTest, AnyDrawsGiveAValidScenario) {
  const LoadOptions load = CoreLoadOptions();
  sched::Xoshiro256 rng(99);
  GeneratorOptions options;
  options.check_with_loader = false;
  auto check = [&](GeneratorDraws& draws, const std::string& what) {
    const Scenario s = GenerateScenario(draws, options, "fuzz", what);
    EXPECT_EQ(LoaderDisagreement(s, options.supported_ops), std::nullopt) << what;
    Expected<Scenario> back = LoadScenarioText(FormatScenario(s), "fuzz.json", load);
    ASSERT_TRUE(back.ok()) << what << ": " << back.error().Format();
    EXPECT_EQ(*back, s) << what;
    EXPECT_EQ(s.name, "fuzz");
    EXPECT_EQ(s.description, what);
  };
  ByteDraws none({});
  check(none, "no bytes");
  MaxDraws max;
  check(max, "largest answers");
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes(rng.Below(400));
    for (uint8_t& b : bytes)
      b = static_cast<uint8_t>(rng.Next());
    ByteDraws draws(std::move(bytes));
    check(draws, "random bytes " + std::to_string(i));
  }
}

// One scratch and one scenario for every generation, as a fuzzer keeps them: whatever an earlier
// scenario left (more threads, longer steps, a description, expect entries, a source), each result
// equals what a fresh GenerateScenario gives for the same draws.
TEST(GeneratorTest, GeneratingIntoAReusedScenarioGivesTheSameScenario) {
  sched::Xoshiro256 rng(7);
  GeneratorOptions options;
  options.check_with_loader = false;
  GeneratorOptions large = options;
  large.min_threads = large.max_threads = kMaxThreads;
  large.max_workers = kMaxThreads - 1;
  large.min_steps = large.max_steps = 40;
  GeneratorScratch scratch;
  Scenario reused;
  reused.source = "left over";
  reused.expect.emplace_back();
  size_t shrank = 0;
  for (int i = 0; i < 1500; ++i) {
    std::vector<uint8_t> bytes(rng.Below(500));
    for (uint8_t& b : bytes)
      b = static_cast<uint8_t>(rng.Next());
    const GeneratorOptions& o = i % 10 == 0 ? large : options;
    const std::string name = "fuzz-" + std::to_string(i);
    const std::string description = i % 2 == 0 ? "" : "described";
    ByteDraws fresh_draws(bytes);
    const Scenario fresh = GenerateScenario(fresh_draws, o, name, description);
    const size_t threads_before = reused.threads.size();
    ByteDraws reused_draws(bytes);
    GenerateScenarioInto(reused, scratch, reused_draws, o, name, description);
    ASSERT_EQ(reused, fresh) << i << "\n"
                             << FormatScenario(reused) << "\n"
                             << FormatScenario(fresh);
    if (reused.threads.size() < threads_before) ++shrank;
  }
  EXPECT_GT(shrank, 50u);  // the reuse met smaller scenarios after larger ones
}

TEST(GeneratorTest, TenThousandScenariosLoadBackValid) {
  const LoadOptions load = CoreLoadOptions();
  GeneratorOptions options;
  options.check_with_loader = false;  // the comparison below is the check
  for (uint64_t seed = 1; seed <= 10000; ++seed) {
    const Scenario s = GenerateScenario(seed, options);
    const std::string text = FormatScenario(s);
    Expected<Scenario> back = LoadScenarioText(text, "gen.json", load);
    ASSERT_TRUE(back.ok()) << seed << ": " << back.error().Format() << "\n" << text;
    ASSERT_EQ(*back, s) << seed;
    ASSERT_GE(s.threads.size(), options.min_threads);
    ASSERT_LE(s.threads.size(), options.max_threads);
    for (const ThreadSpec& t : s.threads)
      ASSERT_LE(t.steps.size(), options.max_steps) << seed << " " << t.name;
  }
}

// The generator's scenarios are validated as drafts read from memory (DraftFromScenario, through
// NormalizeScenario); the same content written as JSON and read back is the same draft, and one
// validation makes the same scenario of both.
TEST(GeneratorTest, AGeneratedDraftValidatesAsItsJsonDoes) {
  const LoadOptions load = CoreLoadOptions();
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const Scenario s = GenerateScenario(seed, GeneratorOptions{});
    const ScenarioDraft from_memory = DraftFromScenario(s);
    const ScenarioDraft from_json = DraftFromJson(ScenarioToJson(s));
    ASSERT_EQ(from_memory, from_json) << "seed " << seed;
    Expected<Scenario> a = ValidateDraft(from_memory, "gen.json", "", load);
    Expected<Scenario> b = ValidateDraft(from_json, "gen.json", "", load);
    ASSERT_TRUE(a.ok() && b.ok()) << "seed " << seed;
    EXPECT_EQ(*a, *b) << "seed " << seed;
    EXPECT_EQ(*a, s) << "seed " << seed;
  }
}

TEST(GeneratorTest, SizeOptionsBoundTheScenario) {
  GeneratorOptions options;
  options.min_threads = 6;
  options.max_threads = 6;
  options.max_workers = 3;
  options.min_steps = 20;
  options.max_steps = 30;
  size_t workers = 0, steps = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const Scenario s = GenerateScenario(seed, options);
    ASSERT_EQ(s.threads.size(), 6u);
    for (const ThreadSpec& t : s.threads) {
      ASSERT_LE(t.steps.size(), 30u);
      workers += t.worker ? 1 : 0;
      steps += t.steps.size();
    }
  }
  EXPECT_GT(workers, 0u);
  EXPECT_LE(workers, 200u * 3);
  EXPECT_GT(steps, 200u * 6 * 20 * 9 / 10);  // nearly every thread reaches its drawn length
}

TEST(GeneratorTest, TheLargestOptionsStillGiveValidScenarios) {
  GeneratorOptions options;
  options.min_threads = options.max_threads = kMaxThreads;
  options.max_workers = kMaxThreads - 1;
  options.min_steps = options.max_steps = 4096 / kMaxThreads;
  options.max_switch_vms = kMaxVms - kMaxThreads - 1;
  ASSERT_FALSE(CheckGeneratorOptions(options).has_value());
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const Scenario s = GenerateScenario(seed, options);  // GCS_CHECKs that it loads back
    EXPECT_EQ(s.threads.size(), static_cast<size_t>(kMaxThreads));
    EXPECT_LE(s.vars.size(), kMaxVars);
    EXPECT_LE(s.vms.size(), kMaxVms);
  }
}

TEST(GeneratorTest, ATargetsSupportedOpsAreTheOnlyOpsGenerated) {
  GeneratorOptions options;
  options.supported_ops = *BuiltinTargetOps("cpython");
  LoadOptions load;
  load.target = "cpython";
  load.supported_ops = options.supported_ops;
  std::set<Op> seen;
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    const Scenario s = GenerateScenario(seed, options);
    Expected<Scenario> back = LoadScenarioText(FormatScenario(s), "gen.json", load);
    ASSERT_TRUE(back.ok()) << seed << ": " << back.error().Format();
    for (const ThreadSpec& t : s.threads) {
      EXPECT_FALSE(t.worker) << seed;  // no worker ops, no workers
      for (const Step& step : t.steps) {
        ASSERT_TRUE(options.supported_ops.test(static_cast<size_t>(step.op))) << OpName(step.op);
        seen.insert(step.op);
      }
    }
  }
  EXPECT_EQ(seen.size(), options.supported_ops.count());  // and every one of them is
}

TEST(GeneratorTest, AnOpOfWeightZeroNeverAppears) {
  for (const OpInfo& info : kOpTable) {
    GeneratorOptions options;
    options.weights[static_cast<size_t>(info.op)] = 0;
    size_t with_default = 0, with_zero = 0;
    for (uint64_t seed = 1; seed <= 300; ++seed) {
      with_default += CountOp(GenerateScenario(seed, GeneratorOptions{}), info.op);
      with_zero += CountOp(GenerateScenario(seed, options), info.op);
    }
    EXPECT_GT(with_default, 0u) << info.json;  // so that the zero below means something
    EXPECT_EQ(with_zero, 0u) << info.json;
  }
}

TEST(GeneratorTest, OnlyTheWeightedOpsAppear) {
  GeneratorOptions options;
  options.weights = *ParseOpWeights("*=0,new=3,set=2,gc=1");
  std::map<Op, size_t> count;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const Scenario s = GenerateScenario(seed, options);
    for (const ThreadSpec& t : s.threads) {
      for (const Step& step : t.steps)
        ++count[step.op];
    }
  }
  EXPECT_EQ(count.size(), 3u);
  EXPECT_GT(count[Op::kNew], count[Op::kGc]);
  EXPECT_GT(count[Op::kSet], 0u);
}

// Weights, without swarm subsets (which drop the heavy op from about half the seeds).
TEST(GeneratorTest, AHeavyOpDominates) {
  for (Op op : {Op::kUse, Op::kGc, Op::kYield, Op::kClone}) {
    GeneratorOptions options;
    options.swarm = false;
    options.weights[static_cast<size_t>(op)] = 1000;
    std::map<Op, size_t> count;
    size_t total = 0;
    for (uint64_t seed = 1; seed <= 300; ++seed) {
      const Scenario s = GenerateScenario(seed, options);
      total += s.TotalSteps();
      for (const OpInfo& info : kOpTable)
        count[info.op] += CountOp(s, info.op);
    }
    // More than half of all steps (shapes it leads write other ops too), and far ahead of the
    // next op.
    EXPECT_GT(count[op] * 2, total) << OpName(op) << ": " << count[op] << " of " << total;
    for (const auto& [other, n] : count) {
      if (other != op) {
        EXPECT_GT(count[op], 3 * n) << OpName(op) << " vs " << OpName(other);
      }
    }
  }
}

// The shapes lifetime bugs need, counted over many scenarios: each must be common under the
// default weights (swarm subsets make each rarer on average and dense in some seeds:
// coverage_test.cc measures that).
TEST(GeneratorTest, GeneratedScenariosHaveTheShapesLifetimeBugsNeed) {
  std::map<std::string, size_t> shapes;
  const size_t n = 1000;
  GeneratorOptions fixed;
  fixed.swarm = false;
  for (uint64_t seed = 1; seed <= n; ++seed) {
    const Scenario s = GenerateScenario(seed, fixed);
    std::map<VarId, std::set<size_t>> binders, users;
    std::map<VarId, std::set<int16_t>> export_vms;
    std::set<std::string> here;
    for (size_t t = 0; t < s.threads.size(); ++t) {
      const ThreadSpec& thread = s.threads[t];
      if (thread.worker) here.insert("worker");
      int16_t left = -1;
      for (const Step& step : thread.steps) {
        if (step.as != kNoVar) binders[step.as].insert(t);
        for (VarId v : {step.obj, step.to, step.weak, step.held, step.token, step.from}) {
          if (v != kNoVar) users[v].insert(t);
        }
        switch (step.op) {
          case Op::kSet:
            if (step.obj == step.to) here.insert("self-cycle");
            break;
          case Op::kExport:
            export_vms[step.obj].insert(step.vm);
            break;
          case Op::kSwitchVm:
            left = 0;  // plain threads start in main; good enough for the shape count
            break;
          case Op::kDestroyVm:
            if (left >= 0) here.insert("switch then destroy");
            break;
          case Op::kSpawn:
            here.insert("spawn");
            break;
          case Op::kTerminate:
            here.insert("terminate");
            break;
          case Op::kCall:
            here.insert(step.from != kNoVar ? "call from" : "call");
            break;
          case Op::kRegister:
            if (step.held != kNoVar) here.insert("register held");
            break;
          case Op::kAttach:
            here.insert("attach");
            break;
          case Op::kEnumerate:
            here.insert("enumerate");
            break;
          default:
            break;
        }
        if (step.type == ObjType::kSubclass) here.insert("subclass");
      }
    }
    for (const auto& [var, threads] : users) {
      for (size_t t : threads) {
        if (binders[var].count(t) == 0) here.insert("cross-thread use");
      }
    }
    for (const auto& [var, vms] : export_vms) {
      if (vms.size() >= 2) here.insert("one object exported to two VMs");
    }
    for (const std::string& shape : here)
      ++shapes[shape];
  }
  for (const char* shape :
       {"worker", "self-cycle", "switch then destroy", "spawn", "terminate", "call", "call from",
        "attach", "enumerate", "subclass", "cross-thread use", "one object exported to two VMs"}) {
    EXPECT_GT(shapes[shape], n / 20) << shape << ": " << shapes[shape] << " of " << n;
  }
  // Rarer by design: a held value must be an object nothing else can reach (generation.h).
  EXPECT_GT(shapes["register held"], n / 100) << shapes["register held"];
}

TEST(GeneratorTest, AttachAndDetachAreMostlyBalanced) {
  size_t attaching = 0, ending_detached = 0;
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    const Scenario s = GenerateScenario(seed, GeneratorOptions{});
    for (const ThreadSpec& t : s.threads) {
      bool attached = false, ever = false;
      for (const Step& step : t.steps) {
        if (step.op == Op::kAttach) attached = ever = true;
        if (step.op == Op::kDetach) attached = false;
      }
      attaching += ever ? 1 : 0;
      ending_detached += ever && !attached ? 1 : 0;
    }
  }
  ASSERT_GT(attaching, 500u);
  EXPECT_GT(ending_detached * 100, attaching * 90) << ending_detached << " of " << attaching;
}

TEST(GeneratorTest, OnlyPlainThreadsSpawnAndWorkersHaveTheirOwnVm) {
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    const Scenario s = GenerateScenario(seed, GeneratorOptions{});
    for (size_t t = 0; t < s.threads.size(); ++t) {
      const ThreadSpec& thread = s.threads[t];
      EXPECT_EQ(thread.name[0], thread.worker ? 'w' : 't');
      if (thread.worker) {
        EXPECT_EQ(s.vms[static_cast<size_t>(thread.vm)], thread.name);
      }
      for (const Step& step : thread.steps) {
        if (step.op == Op::kSpawn) {
          EXPECT_FALSE(thread.worker) << seed;
        }
        if (step.op == Op::kTerminate) {
          EXPECT_NE(step.worker, static_cast<int16_t>(t)) << seed;
        }
      }
    }
  }
}

TEST(GeneratorTest, BadOptionsAreReported) {
  struct Case {
    void (*edit)(GeneratorOptions&);
    const char* message;
  };
  const Case cases[] = {
      {[](GeneratorOptions& o) { o.min_threads = 0; }, "min_threads must be at least 1"},
      {[](GeneratorOptions& o) { o.max_threads = 17; }, "max_threads 17 is above 16"},
      {[](GeneratorOptions& o) { o.min_threads = 5; }, "min_threads 5 is above max_threads 4"},
      {[](GeneratorOptions& o) { o.min_steps = 13; }, "min_steps 13 is above max_steps 12"},
      {[](GeneratorOptions& o) { o.max_steps = 1025; }, "max_steps * max_threads is above 4096"},
      {[](GeneratorOptions& o) { o.max_switch_vms = 240; }, "max_switch_vms 240 is above 239"},
      {[](GeneratorOptions& o) { o.weights[0] = kMaxOpWeight + 1; },
       "weight 1000001 of op \"new\" is above the maximum 1000000"},
      {[](GeneratorOptions& o) { o.weights.fill(0); },
       "no op the target supports has a positive weight"},
      {[](GeneratorOptions& o) {
         o.weights.fill(0);
         o.weights[static_cast<size_t>(Op::kExport)] = 1;
         o.supported_ops = *BuiltinTargetOps("cpython");
       },
       "no op the target supports has a positive weight"},
  };
  EXPECT_FALSE(CheckGeneratorOptions(GeneratorOptions{}).has_value());
  for (const Case& c : cases) {
    GeneratorOptions options;
    c.edit(options);
    std::optional<InputError> e = CheckGeneratorOptions(options);
    ASSERT_TRUE(e.has_value()) << c.message;
    EXPECT_EQ(e->message, c.message);
    EXPECT_EQ(e->file, "<flag>");
  }
}

TEST(GeneratorTest, SwarmSubsetsVaryAcrossSeedsAndAreDeterministic) {
  const GeneratorOptions defaults;
  std::set<std::string> subsets;
  size_t new_kept = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const GeneratorOptions a = SwarmOptions(seed, defaults);
    const GeneratorOptions b = SwarmOptions(seed, GeneratorOptions{});
    EXPECT_EQ(a.weights, b.weights) << seed;
    EXPECT_EQ(a.shapes, b.shapes) << seed;
    std::string key;
    for (size_t i = 0; i < kOpCount; ++i) {
      // Kept ops keep their weight; dropped ones have none.
      EXPECT_TRUE(a.weights[i] == 0 || a.weights[i] == defaults.weights[i]) << seed;
      key += a.weights[i] > 0 ? '1' : '0';
    }
    key += "/" + a.shapes.to_string();
    subsets.insert(key);
    new_kept += a.weights[static_cast<size_t>(Op::kNew)] > 0 ? 1 : 0;
    EXPECT_EQ(a.weights[static_cast<size_t>(Op::kAttach)] > 0,
              a.weights[static_cast<size_t>(Op::kDetach)] > 0)
        << seed;
    // The scenario is generated from the subset: a dropped op never appears.
    GenerationRecord record;
    const Scenario s = GenerateScenario(seed, defaults, &record);
    for (size_t i = 0; i < kOpCount; ++i) {
      if (a.weights[i] == 0) {
        EXPECT_EQ(CountOp(s, static_cast<Op>(i)), 0u) << seed;
      }
    }
    for (size_t i = 0; i < kShapeCount; ++i) {
      if (!a.shapes.test(i)) {
        EXPECT_EQ(record.shapes_written[i], 0u) << seed;
      }
    }
  }
  EXPECT_EQ(new_kept, 200u);
  // One seed in four keeps every op and shape (one shared key); the rest draw from 2^27 subsets
  // and almost never share one: about 150 + 1 keys.
  EXPECT_GT(subsets.size(), 120u);
  EXPECT_LT(subsets.size(), 180u);
  std::string full;
  for (size_t i = 0; i < kOpCount; ++i)
    full += defaults.weights[i] > 0 ? '1' : '0';
  EXPECT_EQ(subsets.count(full + "/" + defaults.shapes.to_string()), 1u);
  // Swarm off: the options as given, the scenario from them.
  GeneratorOptions fixed;
  fixed.swarm = false;
  EXPECT_EQ(SwarmOptions(5, fixed).weights, fixed.weights);
  EXPECT_EQ(SwarmOptions(5, fixed).shapes, fixed.shapes);
}

TEST(GeneratorTest, TheDescriptionSaysHowToRegenerate) {
  EXPECT_EQ(DescribeGeneration(42, GeneratorOptions{}),
            "gcstress generator seed 42: threads 1-4, workers <= 2, steps 2-12, switch VMs <= 2, "
            "default weights");
  GeneratorOptions options;
  options.weights = *ParseOpWeights("use=40,export=0");
  options.supported_ops = *BuiltinTargetOps("cpython");
  // export is not a cpython op: its weight says nothing about the scenario.
  const std::string d = DescribeGeneration(7, options);
  EXPECT_NE(d.find("seed 7:"), std::string::npos) << d;
  EXPECT_NE(d.find(", weights use=40, ops new clone drop"), std::string::npos) << d;
  EXPECT_EQ(d.find("export"), std::string::npos) << d;
  const Scenario s = GenerateScenario(7, options);
  EXPECT_EQ(s.name, "gen-7");
  EXPECT_EQ(s.description, d);
}

}  // namespace
}  // namespace gcs
