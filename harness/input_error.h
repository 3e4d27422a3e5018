// gcstress harness — InputError and Expected<T>: the bad-input tier (exit code 2) of every loader.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

#include "core/check.h"

namespace gcs {

// Bad input: a scenario, repro, schedule, corpus file or flag the user gave us. Always reported as
// one line "<file>: <where>: <message>" and exit code 2; never a crash, never a silent default.
struct InputError {
  std::string file;     // the file (or "<flag>", "<stdin>") the input came from
  std::string where;    // a JSON pointer ("/threads/main/3/op"), "line 3 column 7", or a flag name
  std::string message;  // one line, no trailing period: unknown op "clnoe"

  // One line whatever the input held: a control character from a key, a name or a file name
  // (a JSON key may hold a newline) is written as an escape, \n \r \t or \xNN.
  std::string Format() const {
    std::string line = file;
    if (!where.empty()) line += (line.empty() ? "" : ": ") + where;
    line += (line.empty() ? "" : ": ") + message;
    std::string out;
    out.reserve(line.size());
    for (const char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u != 0x7f) {
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
      }
    }
    return out;
  }
};

// A value or the InputError explaining why there is none.
template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Expected(InputError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    GCS_CHECK_MSG(ok(), "Expected::value() on an error");
    return std::get<0>(v_);
  }
  const T& value() const& {
    GCS_CHECK_MSG(ok(), "Expected::value() on an error");
    return std::get<0>(v_);
  }
  T&& value() && {
    GCS_CHECK_MSG(ok(), "Expected::value() on an error");
    return std::get<0>(std::move(v_));
  }
  const InputError& error() const {
    GCS_CHECK_MSG(!ok(), "Expected::error() on a value");
    return std::get<1>(v_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, InputError> v_;
};

}  // namespace gcs
