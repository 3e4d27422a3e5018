// gcstress fuzzing — tests: scenario_json_fuzzer.dict has every op, field, verdict kind and core
// fault as a quoted JSON string, so the dictionary cannot drift from the tables.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "fuzz_test_support.h"
#include "harness/scenario/field.h"
#include "harness/scenario/op.h"
#include "harness/scenario/violation.h"
#include "harness/targets/core/core_target.h"

namespace gcs {
namespace {

// The values of a libFuzzer dictionary (name="value" lines, # comments), unescaped: \\ \" \xAB.
std::set<std::string> ReadDict(const std::string& path, std::vector<std::string>* bad) {
  std::set<std::string> values;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t q = line.find('"');
    if (q == std::string::npos || line.size() < q + 2 || line.back() != '"') {
      bad->push_back(line);
      continue;
    }
    const std::string raw = line.substr(q + 1, line.size() - q - 2);
    std::string v;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        v += raw[i];
        continue;
      }
      if (++i >= raw.size()) {
        bad->push_back(line);
        break;
      }
      if (raw[i] == 'x' && i + 2 < raw.size()) {
        v += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        v += raw[i];
      }
    }
    values.insert(v);
  }
  return values;
}

std::string Quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

TEST(DictTest, TheJsonFuzzersDictionaryHasEveryTableEntry) {
  std::vector<std::string> bad;
  const std::set<std::string> dict =
      ReadDict(testing::SourcePath("fuzz/scenario_json_fuzzer.dict"), &bad);
  EXPECT_TRUE(bad.empty()) << "malformed line: " << bad.front();
  ASSERT_FALSE(dict.empty());
  for (size_t i = 0; i < kOpCount; ++i) {
    const std::string_view name = OpName(static_cast<Op>(i));
    EXPECT_TRUE(dict.count(Quoted(name))) << "op " << name << " (harness/ops.def)";
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    const std::string_view name = FieldName(static_cast<Field>(i));
    EXPECT_TRUE(dict.count(Quoted(name))) << "field " << name << " (harness/fields.def)";
  }
  for (size_t i = 0; i < kViolationKindCount; ++i) {
    const std::string_view name = ViolationName(static_cast<ViolationKind>(i));
    EXPECT_TRUE(dict.count(Quoted(name))) << "verdict " << name << " (harness/violations.def)";
  }
  for (const std::string& fault : CoreTarget().FaultNames())
    EXPECT_TRUE(dict.count(Quoted(fault))) << "core fault " << fault;
  for (const char* key : {"format", "name", "description", "source", "threads", "expect", "worker",
                          "steps", "op", "faults", "result", "pass", "gcstress_repro", "schedule"})
    EXPECT_TRUE(dict.count(Quoted(key))) << key;
}

}  // namespace
}  // namespace gcs
