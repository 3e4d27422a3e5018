// gcstress scenario — tests for the strict JSON reader and the message helpers.
#include "harness/scenario/json_input.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace gcs {
namespace {

std::string ParseError(std::string_view text, const JsonReadOptions& options = {}) {
  Expected<nlohmann::ordered_json> json = ParseJson(text, "in.json", options);
  if (json) return "(parsed)";
  return json.error().Format();
}

TEST(JsonInputTest, ParsesAndKeepsKeyOrder) {
  Expected<nlohmann::ordered_json> json =
      ParseJson(R"({"b": 1, "a": [true, null, "x"], "c": {}})", "in.json");
  ASSERT_TRUE(json.ok()) << json.error().Format();
  std::vector<std::string> keys;
  for (const auto& [key, value] : json->items())
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ((*json)["a"].dump(), R"([true,null,"x"])");
  EXPECT_EQ(json->dump(), R"({"b":1,"a":[true,null,"x"],"c":{}})");
}

TEST(JsonInputTest, SyntaxErrorsNameLineAndColumn) {
  EXPECT_EQ(ParseError(""),
            "in.json: line 1 column 1: syntax error: unexpected end of input; expected '[', '{', "
            "or a literal");
  EXPECT_EQ(ParseError("{"),
            "in.json: line 1 column 2: syntax error: unexpected end of input; expected string "
            "literal");
  EXPECT_EQ(ParseError("{\n  \"a\": 1,\n  \"b\" 2\n}"),
            "in.json: line 3 column 7: syntax error: unexpected number literal; expected ':'");
  // Columns count characters, not bytes: "é" is one column.
  EXPECT_EQ(ParseError("[\"é\", x]"),
            "in.json: line 1 column 7: syntax error: invalid literal; last read: '\"\\xC3\\xA9\", "
            "x'");
  EXPECT_EQ(ParseError("{\"format\": NaN}"),
            "in.json: line 1 column 12: syntax error: invalid literal; last read: '\"format\": N'");
  EXPECT_EQ(ParseError("[1] [2]"),
            "in.json: line 1 column 5: syntax error: unexpected '['; expected end of input");
  EXPECT_EQ(ParseError("[1e400]"), "in.json: line 1 column 6: number overflow parsing '1e400'");
  EXPECT_EQ(ParseError("[\"a\xff\"]"),
            "in.json: line 1 column 4: syntax error: invalid string: ill-formed UTF-8 byte; last "
            "read: '\"a\\xFF'");
}

TEST(JsonInputTest, EveryTruncationIsASyntaxError) {
  std::string text = R"({"format": 1, "threads": {"t1": [{"op": "new", "as": "o"}]}, "x": -1.5e3})";
  ASSERT_TRUE(ParseJson(text, "in.json").ok());
  for (size_t n = 0; n < text.size(); ++n) {
    Expected<nlohmann::ordered_json> json = ParseJson(text.substr(0, n), "in.json");
    ASSERT_FALSE(json.ok()) << n;
    EXPECT_EQ(json.error().where.rfind("line 1 column ", 0), 0u) << json.error().Format();
    EXPECT_EQ(json.error().message.rfind("syntax error: ", 0), 0u) << json.error().Format();
  }
}

// Found by scenario_json_fuzzer: a key holding a newline made the error two lines.
TEST(JsonInputTest, ControlCharactersInKeysStayOnTheErrorsOneLine) {
  EXPECT_EQ(ParseError("{\"a\\n\": {\"e\": 1, \"e\": 2}}"), R"(in.json: /a\n: duplicate key "e")");
  EXPECT_EQ(ParseError("{\"\\u0001\\t\": 1, \"\\u0001\\t\": 2}"),
            R"(in.json: duplicate key "\u0001\t")");  // the message escapes keys itself
  InputError e{"bad\x02name.json", "/a\rb", "x"};
  EXPECT_EQ(e.Format(), R"(bad\x02name.json: /a\rb: x)");
}

TEST(JsonInputTest, DuplicateKeysAreErrorsWithThePointerOfTheirObject) {
  EXPECT_EQ(ParseError(R"({"a": 1, "a": 2})"), R"(in.json: duplicate key "a")");
  EXPECT_EQ(ParseError(R"({"x": [0, {"k/~": 1, "k/~": 2}]})"),
            R"(in.json: /x/1: duplicate key "k/~")");
  EXPECT_EQ(ParseError(R"({"a/b": {"c": [{}, {"d": 1, "e": 2, "d": 3}]}})"),
            R"(in.json: /a~1b/c/1: duplicate key "d")");
  JsonReadOptions options;
  options.duplicate_key_message = [](std::string_view pointer, std::string_view key) {
    return "at [" + std::string(pointer) + "] again: " + std::string(key);
  };
  EXPECT_EQ(ParseError(R"({"t": {"x": 1, "x": 1}})", options), "in.json: /t: at [/t] again: x");
  // The same key in different objects is fine.
  EXPECT_EQ(ParseError(R"({"a": {"k": 1}, "b": {"k": 1}, "k": 1})"), "(parsed)");
}

TEST(JsonInputTest, NestingIsBounded) {
  std::string ok = std::string(16, '[') + std::string(16, ']');
  EXPECT_EQ(ParseError(ok), "(parsed)");
  std::string deep = std::string(17, '[') + std::string(17, ']');
  EXPECT_EQ(ParseError(deep), "in.json: line 1 column 17: nesting deeper than 16 levels");
  // Brackets inside strings do not count.
  EXPECT_EQ(ParseError("[\"[[[[[[[[[[[[[[[[[[[[[[\"]"), "(parsed)");
  std::string mixed = "{\"a\":\n" + std::string(20, '[') + "{";
  EXPECT_EQ(ParseError(mixed), "in.json: line 2 column 16: nesting deeper than 16 levels");
  // Deeply nested input never reaches a recursive destructor or walker.
  std::string huge(1 << 20, '[');
  EXPECT_EQ(ParseError(huge), "in.json: line 1 column 17: nesting deeper than 16 levels");
}

TEST(JsonInputTest, ValueCountAndSizeAreBounded) {
  JsonReadOptions options;
  options.max_values = 4;
  EXPECT_EQ(ParseError("[1, 2, 3]", options), "(parsed)");
  EXPECT_EQ(ParseError("[1, 2, 3, 4]", options), "in.json: /3: more than 4 JSON values");
  EXPECT_EQ(ParseError(R"({"a": {"b": [1, 2]}})", options),
            "in.json: /a/b/1: more than 4 JSON values");
  options = JsonReadOptions{};
  options.max_bytes = 8;
  EXPECT_EQ(ParseError("[1,2,3,4]", options), "in.json: input is larger than 8 bytes");
  EXPECT_EQ(ParseError("[1,2,34]", options), "(parsed)");
}

TEST(JsonInputTest, ManyKeysParseInLinearTime) {
  // ordered_map looks keys up linearly; the reader must not (this would take minutes if it did).
  std::string text = "{";
  for (int i = 0; i < 200000; ++i)
    text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  text += "}";
  Expected<nlohmann::ordered_json> json = ParseJson(text, "in.json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->size(), 200000u);
  EXPECT_EQ(json->begin().key(), "k0");
}

TEST(JsonInputTest, ReadInputFile) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "gcs_json_input_test";
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "f.json";
  {
    std::ofstream out(file, std::ios::binary);
    out << "[1, 2]\n";
  }
  Expected<std::string> text = ReadInputFile(file.string());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[1, 2]\n");
  Expected<std::string> small = ReadInputFile(file.string(), 6);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().Format(), file.string() + ": file is larger than 6 bytes");
  Expected<std::string> missing = ReadInputFile((dir / "missing.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().Format(),
            (dir / "missing.json").string() + ": cannot open: No such file or directory");
  Expected<std::string> directory = ReadInputFile(dir.string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().Format(), dir.string() + ": cannot read: Is a directory");
  std::filesystem::remove_all(dir);
}

TEST(JsonInputTest, MessageHelpers) {
  EXPECT_EQ(EscapePointerComponent("a/b~c"), "a~1b~0c");
  EXPECT_EQ(EscapePointerComponent(""), "");
  EXPECT_EQ(QuoteForMessage("clnoe"), "\"clnoe\"");
  EXPECT_EQ(QuoteForMessage("a\nb\"c"), "\"a\\nb\\\"c\"");
  EXPECT_EQ(QuoteForMessage(std::string(64, 'a')), "\"" + std::string(64, 'a') + "\"");
  EXPECT_EQ(QuoteForMessage(std::string(100, 'a')), "\"" + std::string(64, 'a') + "...\"");
  // A cut never splits a UTF-8 character; invalid bytes are replaced, not thrown on.
  EXPECT_EQ(QuoteForMessage(std::string(63, 'a') + "é"), "\"" + std::string(63, 'a') + "...\"");
  EXPECT_EQ(QuoteForMessage("a\xff"), "\"a\xEF\xBF\xBD\"");
  using Json = nlohmann::ordered_json;
  EXPECT_EQ(DescribeJsonValue(Json("x")), "a string");
  EXPECT_EQ(DescribeJsonValue(Json::array()), "an array");
  EXPECT_EQ(DescribeJsonValue(Json::object()), "an object");
  EXPECT_EQ(DescribeJsonValue(Json(nullptr)), "null");
  EXPECT_EQ(DescribeJsonValue(Json(true)), "true");
  EXPECT_EQ(DescribeJsonValue(Json(-3)), "-3");
  EXPECT_EQ(DescribeJsonValue(Json(1.5)), "1.5");
  EXPECT_EQ(DescribeJsonValue(Json(18446744073709551615u)), "18446744073709551615");
  EXPECT_EQ(DescribeJsonValue(Json(std::numeric_limits<double>::infinity())),
            "a number out of range");
}

}  // namespace
}  // namespace gcs

// A broken literal in the middle of a long string must not drag the whole token into the
// one-line message: only its tail is quoted.
TEST(JsonInputTest, LongBrokenTokenIsQuotedByItsTail) {
  const std::string text = "{\"a\": \"" + std::string(5000, 'x') + "\",g}";
  auto r = gcs::ParseJson(text, "long.json");
  ASSERT_FALSE(r.ok());
  const std::string line = r.error().Format();
  EXPECT_LT(line.size(), 200u) << line;
  EXPECT_NE(line.find("last read: '..."), std::string::npos) << line;
  // A raw line break inside a long string: the message ends with the quoted token.
  const std::string broken = "{\"a\": \"" + std::string(5000, 'y') + "\n\"}";
  auto r2 = gcs::ParseJson(broken, "long.json");
  ASSERT_FALSE(r2.ok());
  EXPECT_LT(r2.error().Format().size(), 240u) << r2.error().Format();
}
