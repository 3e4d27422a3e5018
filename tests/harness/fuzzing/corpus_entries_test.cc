// gcstress fuzzing — tests: corpus entries made from scenarios decode to what they promise.
#include "harness/fuzzing/corpus_entries.h"

#include <gtest/gtest.h>

#include <set>

#include "fuzz_test_support.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

TEST(CorpusEntriesTest, TheJsonEntryIsTheCanonicalScenarioText) {
  const Scenario s = testing::LoadScenarioForCore("terminate/terminate-minimal.json");
  const CorpusEntry e = JsonCorpusEntry(s);
  EXPECT_EQ(e.file, "terminate-minimal.json");
  const std::string text(e.bytes.begin(), e.bytes.end());
  Expected<Scenario> back = LoadScenarioText(text, "<entry>", testing::CoreLoadOptions());
  ASSERT_TRUE(back.ok()) << back.error().Format();
  EXPECT_TRUE(*back == s);
}

TEST(CorpusEntriesTest, TheStructuredEntryDecodesToTheScenariosShape) {
  const FuzzDecodeOptions options = DecodeOptionsFor(CoreTarget());
  for (const char* file : {"refpool/refpool-minimal.json", "terminate/terminate-minimal.json",
                           "vm-switch/vm-switch-two-threads.json"}) {
    SCOPED_TRACE(file);
    const Scenario s = testing::LoadScenarioForCore(file);
    size_t workers = 0;
    for (const ThreadSpec& t : s.threads)
      workers += t.worker ? 1 : 0;
    std::set<Op> used;
    for (const ThreadSpec& t : s.threads) {
      for (const Step& step : t.steps)
        used.insert(step.op);
    }
    for (uint32_t variant = 0; variant < 5; ++variant) {
      const CorpusEntry e = StructuredCorpusEntry(s, options, variant);
      EXPECT_EQ(e.file, s.name + "-" + std::to_string(variant) + ".bin");
      EXPECT_EQ(e.bytes, StructuredCorpusEntry(s, options, variant).bytes);  // deterministic
      const FuzzCase c = DecodeFuzzInput(e.bytes.data(), e.bytes.size(), options);
      EXPECT_EQ(c.scenario.threads.size(), s.threads.size());
      size_t decoded_workers = 0;
      for (const ThreadSpec& t : c.scenario.threads) {
        decoded_workers += t.worker ? 1 : 0;
        for (const Step& step : t.steps)
          EXPECT_TRUE(used.count(step.op)) << OpName(step.op) << " is not in the family's mix";
      }
      EXPECT_LE(decoded_workers, workers);
      EXPECT_TRUE(c.schedule_bytes.empty());
    }
    EXPECT_NE(StructuredCorpusEntry(s, options, 0).bytes,
              StructuredCorpusEntry(s, options, 1).bytes);
  }
}

}  // namespace
}  // namespace gcs
