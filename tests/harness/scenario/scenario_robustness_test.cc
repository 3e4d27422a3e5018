// gcstress scenario — fuzz-style robustness: 20,000 random mutations of the scenario files (fixed
// seed). Every outcome must be a scenario or a one-line InputError, never a crash, hang or
// exception; every accepted mutant must survive the encoder round trip. Run it under ASan+UBSan.
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/scenario/scenario_encoder.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

// Tokens a byte-level mutator would take ages to produce and that hit the loader's checks.
const std::vector<std::string>& Dictionary() {
  static const std::vector<std::string> kTokens = {
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      "\"",
      "\\",
      "\\u0000",
      "\\ud800",
      "null",
      "true",
      "false",
      "-1",
      "0",
      "3",
      "4",
      "1.5",
      "1e999",
      "-0",
      "18446744073709551616",
      "\"op\"",
      "\"as\"",
      "\"obj\"",
      "\"worker\"",
      "\"steps\"",
      "\"vm\"",
      "\"main\"",
      "\"field\"",
      "\"type\"",
      "\"subclass\"",
      "\"faults\"",
      "\"result\"",
      "\"pass\"",
      "\"leak\"",
      "\"spawn\"",
      "\"switch_vm\"",
      "\"export\"",
      "\"format\"",
      "\"threads\"",
      "\"expect\"",
      "\"\"",
      "\xff",
      "\xc3\xa9",
      "\n",
      "[[[[[[[[[[[[[[[[[[[[",
      "{\"op\": \"yield\"}",
  };
  return kTokens;
}

// Values and keys for structure-aware mutations: names that exist in the examples, names that do
// not, and every kind of JSON value.
const std::vector<nlohmann::ordered_json>& Values() {
  using Json = nlohmann::ordered_json;
  static const std::vector<Json> kValues = {
      Json(nullptr),
      Json(true),
      Json(0),
      Json(1),
      Json(3),
      Json(4),
      Json(-1),
      Json(1.5),
      Json(""),
      Json("o"),
      Json("obj"),
      Json("main"),
      Json("w1"),
      Json("w2"),
      Json("t1"),
      Json("vm1"),
      Json("subclass"),
      Json("x y"),
      Json("pass"),
      Json("leak"),
      Json("gc-worklist-race"),
      Json("expect-mismatch"),
      Json("yield"),
      Json("spawn"),
      Json("export"),
      Json::array(),
      Json::object(),
      Json::array({Json::object({{"op", "yield"}})}),
      Json::object({{"worker", true}, {"steps", Json::array()}})};
  return kValues;
}
const std::vector<std::string>& Keys() {
  static const std::vector<std::string> kKeys = {
      "op",     "obj",    "as",     "to",   "field", "weak",   "held", "token",
      "from",   "vm",     "worker", "type", "steps", "format", "name", "threads",
      "expect", "faults", "result", "w1",   "t1",    "main",   "x"};
  return kKeys;
}

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  // Half of the mutants are made on the parsed document (so they are valid JSON and reach the
  // scenario checks), half on the bytes (so they exercise the JSON reader).
  std::string Mutate(std::string text, const std::vector<std::string>& corpus) {
    int rounds = 1 + static_cast<int>(Below(4));
    if (Below(2) == 0) {
      nlohmann::ordered_json json = nlohmann::ordered_json::parse(text, nullptr, false);
      if (!json.is_discarded()) {
        for (int r = 0; r < rounds; ++r)
          MutateTree(json);
        return json.dump();
      }
    }
    for (int r = 0; r < rounds; ++r)
      MutateOnce(text, corpus);
    return text;
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  static void Collect(nlohmann::ordered_json& node, std::vector<nlohmann::ordered_json*>& out) {
    out.push_back(&node);
    if (node.is_structured()) {
      for (auto& child : node)
        Collect(child, out);
    }
  }

  void MutateTree(nlohmann::ordered_json& root) {
    std::vector<nlohmann::ordered_json*> nodes;
    Collect(root, nodes);
    nlohmann::ordered_json& node = *nodes[Below(nodes.size())];
    switch (Below(4)) {
      case 0:  // replace a value
        node = Values()[Below(Values().size())];
        break;
      case 1:  // remove a member or an element
        if (node.is_object() && !node.empty()) {
          auto it = node.begin();
          std::advance(it, static_cast<std::ptrdiff_t>(Below(node.size())));
          node.erase(it.key());
        } else if (node.is_array() && !node.empty()) {
          node.erase(Below(node.size()));
        }
        break;
      case 2:  // add a member, or duplicate an element
        if (node.is_object()) {
          node[Keys()[Below(Keys().size())]] = Values()[Below(Values().size())];
        } else if (node.is_array() && !node.empty()) {
          nlohmann::ordered_json copy = node[Below(node.size())];
          node.insert(node.begin() + static_cast<std::ptrdiff_t>(Below(node.size() + 1)), copy);
        }
        break;
      default: {  // copy one node over another (moves steps, names and threads around)
        nlohmann::ordered_json copy = *nodes[Below(nodes.size())];
        node = std::move(copy);
        break;
      }
    }
  }

  void MutateOnce(std::string& text, const std::vector<std::string>& corpus) {
    size_t pos = Below(text.size() + 1);
    switch (Below(7)) {
      case 0:  // truncate
        text.resize(pos);
        break;
      case 1:  // flip bits in a few bytes
        for (size_t i = 0, n = 1 + Below(8); i < n && !text.empty(); ++i) {
          text[Below(text.size())] ^= static_cast<char>(1u << Below(8));
        }
        break;
      case 2:  // overwrite a byte with any byte
        if (!text.empty()) text[Below(text.size())] = static_cast<char>(Below(256));
        break;
      case 3: {  // splice: a chunk of another file in place of a chunk of this one
        const std::string& other = corpus[Below(corpus.size())];
        size_t from = Below(other.size() + 1);
        std::string chunk = other.substr(from, Below(other.size() - from + 1));
        text.replace(pos, Below(text.size() - pos + 1), chunk);
        break;
      }
      case 4:  // delete a chunk
        text.erase(pos, Below(std::min<size_t>(64, text.size() - pos) + 1));
        break;
      case 5: {  // duplicate a chunk
        std::string chunk = text.substr(pos, Below(std::min<size_t>(256, text.size() - pos) + 1));
        text.insert(Below(text.size() + 1), chunk);
        break;
      }
      default:  // insert a dictionary token
        text.insert(pos, Dictionary()[Below(Dictionary().size())]);
        break;
    }
  }

  std::mt19937_64 rng_;
};

TEST(ScenarioRobustnessTest, RandomMutationsNeverCrash) {
  std::vector<std::string> corpus;
  for (const std::filesystem::path& file : ::gcs::testing::ScenarioFiles()) {
    corpus.push_back(::gcs::testing::ReadTextFile(file));
  }
  ASSERT_FALSE(corpus.empty());
  LoadOptions options = ::gcs::testing::CoreLoadOptions();
  Mutator mutator(0x6763737472657373);  // "gcstress"
  constexpr int kIterations = 20000;
  int accepted = 0, syntax = 0, semantic = 0;
  for (int i = 0; i < kIterations; ++i) {
    std::string input = mutator.Mutate(corpus[static_cast<size_t>(i) % corpus.size()], corpus);
    Expected<Scenario> s = LoadScenarioText(input, "m.json", options);
    if (s.ok()) {
      ++accepted;
      std::string text = FormatScenario(*s);
      Expected<Scenario> again = LoadScenarioText(text, "m.json", options);
      ASSERT_TRUE(again.ok()) << "iteration " << i << ": " << again.error().Format() << "\n"
                              << text;
      ASSERT_EQ(*again, *s) << "iteration " << i << "\n" << input;
      for (const ThreadSpec& thread : s->threads) {
        for (const Step& step : thread.steps)
          ASSERT_FALSE(FormatStep(*s, step).empty());
      }
      continue;
    }
    const InputError& error = s.error();
    ASSERT_EQ(error.file, "m.json");
    ASSERT_FALSE(error.message.empty()) << "iteration " << i;
    std::string line = error.Format();
    ASSERT_EQ(line.find('\n'), std::string::npos) << "iteration " << i << ": " << line;
    ASSERT_EQ(line.find('\r'), std::string::npos) << "iteration " << i << ": " << line;
    ASSERT_LT(line.size(), 600u) << "iteration " << i << ": " << line;
    (error.where.rfind("line ", 0) == 0 ? syntax : semantic) += 1;
  }
  // The mutations must reach every stage, or this test proves little.
  EXPECT_GT(accepted, kIterations / 50) << accepted;
  EXPECT_GT(syntax, kIterations / 5) << syntax;
  EXPECT_GT(semantic, kIterations / 5) << semantic;
  std::printf("accepted %d, syntax errors %d, other errors %d\n", accepted, syntax, semantic);
}

}  // namespace
}  // namespace gcs
