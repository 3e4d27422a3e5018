// gcstress scenario — strict JSON input: a SAX handler that builds an ordered_json under limits.
#include "harness/scenario/json_input.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <utility>
#include <vector>

namespace gcs {
namespace {

using Json = nlohmann::ordered_json;

struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};

// Line and column (in UTF-8 characters, both from 1) of the byte at `offset`; offset == size is
// the position just past the last byte.
TextPosition PositionOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  TextPosition pos;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_start = i + 1;
    }
  }
  for (size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++pos.column;
  }
  return pos;
}

std::string Where(std::string_view text, size_t offset) {
  TextPosition pos = PositionOf(text, offset);
  return "line " + std::to_string(pos.line) + " column " + std::to_string(pos.column);
}

// The offset of the bracket that first nests deeper than max_depth. Only called on a prefix the
// parser accepted, so a simple string-aware scan sees the same structure the parser saw.
size_t FindTooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

// Non-printable and non-ASCII bytes as \xNN, so that a message stays one line of plain text.
std::string PrintableAscii(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// nlohmann quotes the whole token it last read ("last read: '<token>'"), which for a broken
// string literal can be kilobytes of the file: keep only its tail, where the problem is.
std::string ShortenLastRead(std::string message) {
  constexpr std::string_view kMarker = "last read: '";
  constexpr size_t kKeep = 32;
  const size_t start = message.find(kMarker);
  if (start == std::string::npos) return message;
  const size_t token = start + kMarker.size();
  size_t end = message.find("'; ", token);  // "...; last read: '<token>'; expected ..."
  if (end == std::string::npos) end = message.rfind('\'');  // "... last read: '<token>'"
  if (end == std::string::npos || end < token || end - token <= kKeep) return message;
  return message.substr(0, token) + "..." + message.substr(end - kKeep);
}

// The message of a parse_error, from nlohmann's what():
//   "[json.exception.parse_error.101] parse error at line 1, column 6: syntax error while parsing
//    value - unexpected '}'; expected ..."  ->  "syntax error: unexpected '}'; expected ..."
//   "[json.exception.out_of_range.406] number overflow parsing '1e400'"
//                                           ->  "number overflow parsing '1e400'"
std::string ParseErrorMessage(std::string_view what) {
  if (what.substr(0, 1) == "[") {
    size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  if (what.substr(0, 11) != "parse error") return PrintableAscii(what);
  size_t dash = what.find(" - ");
  if (dash != std::string_view::npos) {
    return ShortenLastRead("syntax error: " + PrintableAscii(what.substr(dash + 3)));
  }
  size_t colon = what.find(": ");
  if (colon != std::string_view::npos) return PrintableAscii(what.substr(colon + 2));
  return PrintableAscii(what);
}

class DomBuilder {
 public:
  DomBuilder(std::string_view text, std::string_view file, const JsonReadOptions& options)
      : text_(text), file_(file), options_(options) {}

  // nlohmann's SAX interface; returning false stops the parse.
  bool null() { return Add(Json(nullptr)); }
  bool boolean(bool value) { return Add(Json(value)); }
  bool number_integer(Json::number_integer_t value) { return Add(Json(value)); }
  bool number_unsigned(Json::number_unsigned_t value) { return Add(Json(value)); }
  bool number_float(Json::number_float_t value, const Json::string_t& literal) {
    // nlohmann 3.11 already refuses overflowing literals (out_of_range.406); older versions
    // produced infinities, which no scenario field can hold.
    if (!std::isfinite(value)) {
      return Fail(ValuePointer(), "number " + PrintableAscii(literal) + " is out of range");
    }
    return Add(Json(value));
  }
  bool string(Json::string_t& value) { return Add(Json(std::move(value))); }
  bool binary(Json::binary_t& /*value*/) { return Fail(ValuePointer(), "unexpected binary value"); }
  bool start_object(size_t /*elements*/) { return Open(Json::object()); }
  bool start_array(size_t /*elements*/) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(Json::string_t& key) {
    Frame& top = stack_.back();
    if (!top.keys.insert(key).second) {
      std::string pointer = ContainerPointer();
      return Fail(pointer, options_.duplicate_key_message
                               ? options_.duplicate_key_message(pointer, key)
                               : "duplicate key " + QuoteForMessage(key));
    }
    top.key = std::move(key);
    return true;
  }
  bool parse_error(size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    // `position` counts the bytes read, the offending one included.
    error_ = InputError{std::string(file_), Where(text_, position == 0 ? 0 : position - 1),
                        ParseErrorMessage(ex.what())};
    return false;
  }

  Json TakeRoot() { return std::move(root_); }
  InputError TakeError() { return std::move(error_); }

 private:
  struct Frame {
    Json* value = nullptr;
    std::set<std::string, std::less<>> keys;  // objects: keys seen so far
    std::string key;                          // objects: the key of the member being read
    size_t index = 0;                         // arrays: the index of the element being read
  };

  bool Fail(std::string where, std::string message) {
    error_ = InputError{std::string(file_), std::move(where), std::move(message)};
    return false;
  }

  // Appends a value to the innermost open container (or makes it the root); returns it.
  Json* Place(Json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.value->is_array()) {
      top.value->push_back(std::move(value));
      return &top.value->back();
    }
    // Duplicates were refused in key(), so append without ordered_map's linear key search.
    auto& members = top.value->get_ref<Json::object_t&>();
    members.emplace_back(top.key, std::move(value));
    return &members.back().second;
  }

  bool Count() {
    if (++values_ <= options_.max_values) return true;
    return Fail(ValuePointer(),
                "more than " + std::to_string(options_.max_values) + " JSON values");
  }

  bool Add(Json&& value) {
    if (!Count()) return false;
    Place(std::move(value));
    if (!stack_.empty() && stack_.back().value->is_array()) ++stack_.back().index;
    return true;
  }

  bool Open(Json&& container) {
    if (!Count()) return false;
    if (stack_.size() >= options_.max_depth) {
      return Fail(Where(text_, FindTooDeep(text_, options_.max_depth)),
                  "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
    }
    Json* placed = Place(std::move(container));
    stack_.push_back(Frame{placed, {}, {}, 0});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    if (!stack_.empty() && stack_.back().value->is_array()) ++stack_.back().index;
    return true;
  }

  std::string PointerOf(size_t frames) const {
    std::string pointer;
    for (size_t i = 0; i < frames; ++i) {
      const Frame& frame = stack_[i];
      pointer += '/';
      pointer +=
          frame.value->is_array() ? std::to_string(frame.index) : EscapePointerComponent(frame.key);
    }
    return pointer;
  }
  std::string ValuePointer() const { return PointerOf(stack_.size()); }
  std::string ContainerPointer() const { return PointerOf(stack_.size() - 1); }

  std::string_view text_;
  std::string_view file_;
  const JsonReadOptions& options_;
  Json root_;
  std::vector<Frame> stack_;
  size_t values_ = 0;
  InputError error_;
};

}  // namespace

Expected<nlohmann::ordered_json> ParseJson(std::string_view text, std::string_view file,
                                           const JsonReadOptions& options) {
  if (text.size() > options.max_bytes) {
    return InputError{std::string(file), "",
                      "input is larger than " + std::to_string(options.max_bytes) + " bytes"};
  }
  // The builder holds the partial document; keep it off the stack of deep callers.
  auto builder = std::make_unique<DomBuilder>(text, file, options);
  bool ok = false;
  try {
    ok = Json::sax_parse(text.begin(), text.end(), builder.get());
  } catch (const nlohmann::json::exception& ex) {
    // Not expected with a SAX handler that never throws; still bad input, never a crash.
    return InputError{std::string(file), "", "cannot parse: " + PrintableAscii(ex.what())};
  }
  if (!ok) return builder->TakeError();
  return builder->TakeRoot();
}

Expected<std::string> ReadInputFile(const std::string& path, size_t max_bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return InputError{path, "", std::string("cannot open: ") + std::strerror(errno)};
  std::string data;
  char buffer[1 << 16];
  while (true) {
    size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    data.append(buffer, n);
    if (data.size() > max_bytes) {
      return InputError{path, "", "file is larger than " + std::to_string(max_bytes) + " bytes"};
    }
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get())) {
    return InputError{path, "", std::string("cannot read: ") + std::strerror(errno)};
  }
  return data;
}

std::string EscapePointerComponent(std::string_view component) {
  std::string out;
  for (char c : component) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string QuoteForMessage(std::string_view text) {
  constexpr size_t kMaxShown = 64;
  bool cut = text.size() > kMaxShown;
  if (cut) {
    size_t end = kMaxShown;
    // Do not split a UTF-8 sequence: back up to the start of the character at the cut.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    text = text.substr(0, end);
  }
  std::string quoted =
      Json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (cut) quoted.insert(quoted.size() - 1, "...");
  return quoted;
}

std::string DescribeJsonValue(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return std::isfinite(value.get<double>()) ? value.dump() : "a number out of range";
    case Json::value_t::binary:
      return "binary data";
    case Json::value_t::discarded:
      return "a discarded value";
  }
  return "a value";
}

}  // namespace gcs
