// gcstress scenario — scenarios/README.md against the code: its generated tables must equal the
// ones the declaration tables produce, and its per-op examples must be valid steps.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/scenario/field.h"
#include "harness/scenario/op.h"
#include "harness/scenario/violation.h"
#include "tests/harness/scenario/scenario_test_support.h"

namespace gcs {
namespace {

std::string Readme() {
  return ::gcs::testing::ReadTextFile(::gcs::testing::SourceDir() / "scenarios" / "README.md");
}

// The text between "<!-- generated: <generator> ..." and "<!-- end generated -->".
std::string GeneratedBlock(const std::string& readme, const std::string& generator) {
  std::string begin = "<!-- generated: " + generator;
  size_t start = readme.find(begin);
  if (start == std::string::npos) return "(no block for " + generator + ")";
  start = readme.find('\n', start) + 1;
  size_t end = readme.find("<!-- end generated -->", start);
  if (end == std::string::npos) return "(unterminated block for " + generator + ")";
  return readme.substr(start, end - start);
}

TEST(ScenariosReadmeTest, OpsTableMatchesOpsDef) {
  EXPECT_EQ(GeneratedBlock(Readme(), "FormatOpsTable()"), FormatOpsTable())
      << "scenarios/README.md's ops table is stale; replace it with the expected text above";
}

TEST(ScenariosReadmeTest, FieldsTableMatchesFieldsDef) {
  EXPECT_EQ(GeneratedBlock(Readme(), "FormatFieldsTable()"), FormatFieldsTable())
      << "scenarios/README.md's fields table is stale; replace it with the expected text above";
}

TEST(ScenariosReadmeTest, ViolationsTableMatchesViolationsDef) {
  EXPECT_EQ(GeneratedBlock(Readme(), "FormatViolationsTable()"), FormatViolationsTable())
      << "scenarios/README.md's results table is stale; replace it with the expected text above";
}

// Each op has a "### `op`" section whose first ```json block is one step of that op, with every
// required field, no field the op lacks, and values of the right JSON type.
TEST(ScenariosReadmeTest, EveryOpHasAValidExample) {
  std::string readme = Readme();
  for (const OpInfo& info : kOpTable) {
    SCOPED_TRACE(std::string(info.json));
    size_t heading = readme.find("\n### `" + std::string(info.json) + "`\n");
    ASSERT_NE(heading, std::string::npos) << "no example section";
    size_t block = readme.find("```json\n", heading);
    ASSERT_NE(block, std::string::npos);
    size_t next_heading = readme.find("\n#", heading + 1);
    ASSERT_LT(block, next_heading) << "the section has no json block";
    block += 8;
    std::string text = readme.substr(block, readme.find("```", block) - block);
    nlohmann::ordered_json step = nlohmann::ordered_json::parse(text, nullptr, false);
    ASSERT_TRUE(step.is_object()) << text;
    EXPECT_EQ(step.value("op", ""), info.json);
    for (const auto& [key, value] : step.items()) {
      if (key == "op") continue;
      std::optional<Field> field = FieldFromName(key);
      ASSERT_TRUE(field.has_value()) << key;
      EXPECT_NE(info.FindField(*field), nullptr) << key;
      bool integer = GetFieldInfo(*field).kind == FieldKind::kFieldIndex;
      EXPECT_EQ(value.is_number_integer(), integer) << key;
      EXPECT_EQ(value.is_string(), !integer) << key;
    }
    for (const FieldSpec& spec : info.Fields()) {
      if (!spec.optional) {
        EXPECT_TRUE(step.contains(std::string(FieldName(spec.field)))) << FieldName(spec.field);
      }
    }
  }
}

}  // namespace
}  // namespace gcs
