// gcstress scenario — strict JSON input: bounded parsing, pointers and quoting for error messages.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"

namespace gcs {

inline constexpr size_t kMaxInputBytes = size_t{16} << 20;  // 16 MiB

struct JsonReadOptions {
  size_t max_bytes = kMaxInputBytes;
  size_t max_depth = 16;                // containers nested deeper are an error
  size_t max_values = size_t{1} << 20;  // values of any type, containers included
  // Words the message for a key repeated in the object at `pointer`; the default says
  // `duplicate key "k"`. (nlohmann keeps the last duplicate silently; we never do.)
  std::function<std::string(std::string_view pointer, std::string_view key)> duplicate_key_message;
};

// Parses `text` as one JSON value, keeping object keys in file order. Never throws and never
// trusts the input: syntax errors and truncation ("line 3 column 7: syntax error: ..."),
// duplicate keys, non-finite numbers, nesting deeper than max_depth and more than max_values
// values are InputErrors. Columns count UTF-8 characters from 1.
Expected<nlohmann::ordered_json> ParseJson(std::string_view text, std::string_view file,
                                           const JsonReadOptions& options = {});

// Reads a whole file of at most max_bytes. Errors: "cannot open: <reason>", "cannot read:
// <reason>", "file is larger than <max_bytes> bytes".
Expected<std::string> ReadInputFile(const std::string& path, size_t max_bytes = kMaxInputBytes);

// One JSON pointer component: "~" -> "~0", "/" -> "~1" (RFC 6901).
std::string EscapePointerComponent(std::string_view component);

// A string as a JSON literal for a one-line message, cut after 64 bytes with "...":
// `"clnoe"`, `"a\nb"`, `"aaaa...aaa..."`. Safe for any bytes.
std::string QuoteForMessage(std::string_view text);

// A value's type for "expected X, got Y" messages: "a string", "an array", "null"; numbers are
// shown as themselves ("1.5", "-3").
std::string DescribeJsonValue(const nlohmann::ordered_json& value);

}  // namespace gcs
