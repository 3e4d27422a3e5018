// gcstress fuzzing — tests: the checked-in corpora and repros. Every seed entry of both fuzzers
// is still a valid input, the structured ones pass on the fixed core, and every repro ever found
// (corpus/repros/) replays to its recorded verdict, with its faults on.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz_test_support.h"
#include "harness/fuzzing/corpus_entries.h"
#include "harness/fuzzing/fuzz_executor.h"
#include "harness/runner/repro_replay.h"
#include "harness/scenario/scenario_encoder.h"
#include "harness/targets/core/core_target.h"
#include "tests/harness/generator/seed_faults.h"

namespace gcs {
namespace {

using testing::FilesIn;
using testing::ReadFileBytes;
using testing::SourcePath;

TEST(CorpusTest, JsonEntriesLoadAndRoundTrip) {
  const std::vector<std::string> files = FilesIn(SourcePath(std::string("corpus/") + kJsonFuzzer));
  ASSERT_FALSE(files.empty());
  const LoadOptions load = testing::CoreLoadOptions();
  size_t loaded = 0;
  for (const std::string& file : files) {
    const std::vector<uint8_t> bytes = ReadFileBytes(file);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    Expected<Scenario> s = LoadScenarioText(text, file, load);
    if (!s) {
      // Entries may be deliberately bad input: then the error is one line.
      EXPECT_EQ(s.error().Format().find('\n'), std::string::npos) << file;
      continue;
    }
    ++loaded;
    Expected<Scenario> again = LoadScenarioText(FormatScenario(*s), file, load);
    ASSERT_TRUE(again.ok()) << again.error().Format();
    EXPECT_TRUE(*again == *s) << file;
  }
  EXPECT_GT(loaded, files.size() / 2);
}

TEST(CorpusTest, StructuredEntriesPassOnTheFixedCore) {
  const std::vector<std::string> files =
      FilesIn(SourcePath(std::string("corpus/") + kStructuredFuzzer));
  ASSERT_FALSE(files.empty());
  FuzzExecutor ex(std::make_unique<CoreTarget>(), {});
  for (const std::string& file : files) {
    const std::vector<uint8_t> bytes = ReadFileBytes(file);
    const FuzzCase c = DecodeFuzzInput(bytes.data(), bytes.size(), ex.decode_options());
    const FuzzRun run = ex.Run(c);
    EXPECT_FALSE(run.verdict.has_value())
        << file << ": " << run.verdict->Signature() << ": " << run.verdict->message;
  }
}

class ReproTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReproTest, ReplaysToItsRecordedVerdict) {
  const std::string& path = GetParam();
  Expected<Repro> repro = LoadRepro(path);
  ASSERT_TRUE(repro.ok()) << repro.error().Format();
  const ViolationKind kind = repro->verdict.kind;
  if (testing::kAddressSanitizer &&
      (kind == ViolationKind::kDoubleFree || kind == ViolationKind::kUseAfterFree)) {
    GTEST_SKIP() << "its replay touches freed memory, which ASan reports";
  }
  Expected<std::unique_ptr<Target>> target = MakeTarget(repro->target);
  ASSERT_TRUE(target.ok()) << target.error().Format();
  Executor executor(std::move(target).value(), OracleOptions{.free_mode = repro->free_mode});
  const ReplayResult r = ReplayRepro(executor, *repro);
  EXPECT_TRUE(r.matches) << "recorded " << repro->verdict.Signature() << ", replayed "
                         << (r.run.verdict ? r.run.verdict->Signature() : "pass");
  EXPECT_FALSE(r.diverged_at.has_value());
}

std::vector<std::string> Repros() {
  std::vector<std::string> out;
  for (const std::string& f : FilesIn(SourcePath("corpus/repros"))) {
    if (f.ends_with(".json")) out.push_back(f);
  }
  return out;
}

// The test's name: the file's stem, as a C identifier.
std::string ReproTestName(const ::testing::TestParamInfo<std::string>& param) {
  std::string name = std::filesystem::path(param.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(CorpusRepros, ReproTest, ::testing::ValuesIn(Repros()), ReproTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReproTest);

TEST(CorpusTest, EveryReproIsListedAsATest) {
  // A file that is not *.json would be skipped silently; nothing else belongs there.
  for (const std::string& f : FilesIn(SourcePath("corpus/repros"))) {
    EXPECT_TRUE(f.ends_with(".json") || f.ends_with("README.md")) << f;
  }
}

}  // namespace
}  // namespace gcs
