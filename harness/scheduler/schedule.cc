// gcstress scheduler — FormatSchedule / ParseSchedule: the gcs1 text form specified in schedule.h.
#include "harness/scheduler/schedule.h"

#include <limits>
#include <optional>

#include "core/check.h"

namespace gcs::sched {

namespace {

constexpr std::string_view kMagic = "gcs";
constexpr std::string_view kVersion = "1";

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsSpecChar(char c) {
  return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '=' || c == ',' || c == ':' || c == '_' ||
         c == '-';
}

// A character as it should appear in a one-line message: 'q', or byte 0x0a for the unprintable.
std::string Describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

// A recursive-descent reader over text[begin, end) (the line without surrounding whitespace).
// Every error names the offset in the original text, so it points at the character to fix.
class Parser {
 public:
  Parser(std::string_view text, std::string_view file)
      : text_(text), file_(file), end_(text.size()) {
    while (pos_ < end_ && IsSpace(text_[pos_]))
      ++pos_;
    while (end_ > pos_ && IsSpace(text_[end_ - 1]))
      --end_;
  }

  Expected<Schedule> Parse() {
    if (pos_ == end_) return Error(0, "empty schedule");
    if (auto e = ParseHeader()) return *e;
    Schedule schedule;
    if (!Consume("seed=")) return Error(pos_, "expected \"seed=\"");
    if (auto e = ParseNumber("seed", std::numeric_limits<uint64_t>::max(), schedule.seed)) {
      return *e;
    }
    if (!Consume(":")) return Error(pos_, "expected \":\" after the seed, found " + Found());
    if (!Consume("strategy=")) return Error(pos_, "expected \"strategy=\"");
    if (auto e = ParseStrategy(schedule.strategy)) return *e;
    if (auto e = ParseDecisions(schedule.decisions)) return *e;
    return schedule;
  }

 private:
  InputError Error(size_t offset, std::string message) const {
    return InputError{std::string(file_), "offset " + std::to_string(offset), std::move(message)};
  }

  std::string Found() const { return pos_ < end_ ? Describe(text_[pos_]) : "end of input"; }

  bool Consume(std::string_view literal) {
    if (text_.substr(pos_, end_ - pos_).starts_with(literal)) {
      pos_ += literal.size();
      return true;
    }
    return false;
  }

  // "gcs1:". A different version number gets its own message: it is a schedule, just not one
  // this build can read.
  std::optional<InputError> ParseHeader() {
    const size_t start = pos_;
    if (!Consume(kMagic)) return Error(start, "not a schedule (expected \"gcs1:\")");
    const size_t digits = pos_;
    while (pos_ < end_ && IsDigit(text_[pos_]))
      ++pos_;
    const std::string_view version = text_.substr(digits, pos_ - digits);
    if (version.empty()) return Error(start, "not a schedule (expected \"gcs1:\")");
    if (version != kVersion) {
      return Error(start, "unsupported schedule version \"gcs" + std::string(version) +
                              "\" (this build reads gcs1)");
    }
    if (!Consume(":")) return Error(pos_, "expected \":\" after \"gcs1\", found " + Found());
    return std::nullopt;
  }

  // Unsigned decimal in [0, max], no leading zeros; `what` names it in messages.
  std::optional<InputError> ParseNumber(std::string_view what, uint64_t max, uint64_t& out) {
    const size_t start = pos_;
    if (pos_ >= end_ || !IsDigit(text_[pos_])) {
      return Error(start, "expected a " + std::string(what) + ", found " + Found());
    }
    if (text_[pos_] == '0' && pos_ + 1 < end_ && IsDigit(text_[pos_ + 1])) {
      return Error(start, "leading zero in " + std::string(what));
    }
    uint64_t value = 0;
    while (pos_ < end_ && IsDigit(text_[pos_])) {
      const auto digit = static_cast<uint64_t>(text_[pos_] - '0');
      if (value > (max - digit) / 10) {
        return Error(start, std::string(what) + " out of range (max " + std::to_string(max) + ")");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    out = value;
    return std::nullopt;
  }

  // The spec runs up to the last ':' (decisions never contain one).
  std::optional<InputError> ParseStrategy(std::string& out) {
    const size_t start = pos_;
    const size_t colon = text_.substr(0, end_).rfind(':');
    if (colon == std::string_view::npos || colon < start) {
      pos_ = end_;
      return Error(end_, "expected \":\" and the decisions after the strategy");
    }
    if (colon == start) return Error(start, "empty strategy");
    for (size_t i = start; i < colon; ++i) {
      if (!IsSpecChar(text_[i])) {
        return Error(i, "invalid character " + Describe(text_[i]) + " in the strategy");
      }
    }
    out.assign(text_.substr(start, colon - start));
    pos_ = colon + 1;
    return std::nullopt;
  }

  std::optional<InputError> ParseDecisions(std::vector<Decision>& out) {
    if (pos_ == end_) return std::nullopt;  // an execution with no choice point
    for (;;) {
      const size_t item = pos_;
      if (pos_ == end_) return Error(item, "expected a decision after \".\"");
      const char c = text_[pos_];
      if (c == 'r') {
        ++pos_;
        uint64_t value = 0;
        if (auto e = ParseNumber("draw value", std::numeric_limits<uint64_t>::max(), value)) {
          return e;
        }
        if (out.size() >= kMaxScheduleDecisions) return TooLong(item);
        out.push_back(DrawDecision(value));
      } else if (IsDigit(c)) {
        uint64_t thread = 0;
        if (auto e = ParseNumber("thread index", std::numeric_limits<uint32_t>::max(), thread)) {
          return e;
        }
        uint64_t count = 1;
        if (pos_ < end_ && text_[pos_] == 'x') {
          ++pos_;
          const size_t count_at = pos_;
          if (auto e = ParseNumber("repeat count", kMaxScheduleDecisions, count)) return e;
          if (count < 2) return Error(count_at, "repeat count must be at least 2");
        }
        if (count > kMaxScheduleDecisions - out.size()) return TooLong(item);
        out.insert(out.end(), count, ThreadDecision(thread));
      } else if (c == '.') {
        return Error(item, "empty decision");
      } else {
        return Error(item, "expected a thread index or \"r\", found " + Found());
      }
      if (pos_ == end_) return std::nullopt;
      if (text_[pos_] != '.') {
        return Error(pos_, "expected \".\" between decisions, found " + Found());
      }
      ++pos_;
    }
  }

  InputError TooLong(size_t offset) const {
    return Error(offset,
                 "more than " + std::to_string(kMaxScheduleDecisions) + " decisions in a schedule");
  }

  std::string_view text_;
  std::string_view file_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

}  // namespace

std::string FormatSchedule(const Schedule& schedule) {
  GCS_CHECK_MSG(!schedule.strategy.empty(), "a schedule needs its strategy spec");
  for (char c : schedule.strategy)
    GCS_CHECK_MSG(IsSpecChar(c), "strategy spec not in [a-z0-9=,:_-]");

  std::string out =
      "gcs1:seed=" + std::to_string(schedule.seed) + ":strategy=" + schedule.strategy + ":";
  const std::vector<Decision>& d = schedule.decisions;
  for (size_t i = 0; i < d.size();) {
    if (i > 0) out += '.';
    if (d[i].kind == Decision::Kind::kDraw) {
      out += 'r';
      out += std::to_string(d[i].value);
      ++i;
      continue;
    }
    GCS_CHECK_MSG(d[i].value <= std::numeric_limits<uint32_t>::max(), "thread index over 32 bits");
    size_t run = 1;
    while (i + run < d.size() && d[i + run] == d[i])
      ++run;
    out += std::to_string(d[i].value);
    if (run > 1) out += 'x' + std::to_string(run);
    i += run;
  }
  return out;
}

Expected<Schedule> ParseSchedule(std::string_view text, std::string_view file) {
  return Parser(text, file).Parse();
}

}  // namespace gcs::sched
