// gcstress isolation — finding, parsing and classifying sanitizer reports.
#include "harness/isolation/sanitizer_report.h"

#include <algorithm>
#include <array>

namespace gcs::isolation {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct Marker {
  std::string_view text;
  std::string_view tool;
};

// What starts a report, and whose it is. ": runtime error: " is UBSan's (its line starts with
// the source location).
constexpr std::array<Marker, 6> kMarkers = {{
    {"ERROR: AddressSanitizer: ", "AddressSanitizer"},
    {"ERROR: LeakSanitizer: ", "LeakSanitizer"},
    {"WARNING: ThreadSanitizer: ", "ThreadSanitizer"},
    {"ERROR: ThreadSanitizer: ", "ThreadSanitizer"},
    {"ERROR: UndefinedBehaviorSanitizer: ", "UndefinedBehaviorSanitizer"},
    {": runtime error: ", "UndefinedBehaviorSanitizer"},
}};

// The report's own name for what happened, without the addresses and numbers that follow it:
// "heap-use-after-free on address 0x6020..."  -> "heap-use-after-free"
// "data race (pid=4242)"                      -> "data race"
// "signed integer overflow: 2147483647 + 1"   -> "signed integer overflow"
// "data race /src/core/vm.cc:210:25 in ..."    -> "data race"     (a SUMMARY line)
std::string ReduceWhat(std::string_view rest) {
  const size_t colon = rest.find(':');
  if (colon != std::string_view::npos) rest = rest.substr(0, colon);
  std::string out;
  while (!rest.empty()) {
    rest = Trim(rest);
    const size_t end = std::min(rest.find(' '), rest.size());
    const std::string_view word = rest.substr(0, end);
    if (word.empty() || word == "on" || StartsWith(word, "0x") || IsDigit(word[0]) ||
        word[0] == '(' || word[0] == '\'' || word[0] == '=' || word[0] == '/') {
      break;
    }
    out += (out.empty() ? "" : " ") + std::string(word);
    rest.remove_prefix(end);
  }
  if (out.size() > 64) out.resize(64);
  return out;
}

// "/a/b/core/heap.cc:12:5" -> "heap.cc"
std::string FileBaseName(std::string_view location) {
  const size_t colon = location.find(':');
  std::string_view path = location.substr(0, colon);
  const size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return std::string(path);
}

// A source location token: "path/file.ext:LINE[:COL]" or an absolute path.
bool IsLocation(std::string_view token) {
  if (token.empty()) return false;
  if (token[0] == '/' || token == "<null>") return true;
  const size_t colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= token.size()) return false;
  return token.substr(0, colon).find('.') != std::string_view::npos && IsDigit(token[colon + 1]) &&
         token.find('(') == std::string_view::npos;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string DataRaceSite(const std::vector<std::vector<Frame>>& stacks) {
  std::vector<std::string> sites;
  for (size_t i = 0; i < stacks.size() && i < 2; ++i) {
    std::string fn = FirstOwnFunction(stacks[i]);
    if (!fn.empty()) sites.push_back(std::move(fn));
  }
  std::sort(sites.begin(), sites.end());
  sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
  std::string out;
  for (const std::string& s : sites)
    out += (out.empty() ? "" : "+") + s;
  return out;
}

// Only a SUMMARY line to go on: "SUMMARY: <tool>: <what> <location> in <function>".
std::optional<SanitizerFinding> FromSummary(std::string_view summary) {
  constexpr std::string_view kPrefix = "SUMMARY: ";
  summary = Trim(summary);
  if (!StartsWith(summary, kPrefix)) return std::nullopt;
  summary.remove_prefix(kPrefix.size());
  const size_t colon = summary.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  SanitizerFinding f;
  f.tool = std::string(summary.substr(0, colon));
  const std::string_view rest = summary.substr(colon + 2);
  if (Contains(rest, " leaked in ")) {
    f.tool = "LeakSanitizer";
    f.what = "detected memory leaks";
  } else {
    f.what = ReduceWhat(rest);
  }
  f.kind = ClassifySanitizerReport(f.tool, f.what);
  const size_t in = rest.rfind(" in ");
  if (in != std::string_view::npos) {
    const Frame frame{std::string(rest.substr(in + 4)), "", ""};
    if (!IsRuntimeFrame(frame)) f.site = NormalizeFunction(frame.function);
  }
  return f;
}

}  // namespace

ViolationKind ClassifySanitizerReport(std::string_view tool, std::string_view what) {
  constexpr std::array<std::string_view, 8> kDeadly = {
      "SEGV", "BUS", "FPE", "ILL", "ABRT", "TRAP", "stack-overflow", "deadly signal"};
  for (std::string_view d : kDeadly) {
    if (what == d) return ViolationKind::kCrash;
  }
  for (std::string_view uaf :
       {"use-after-free", "use-after-poison", "use-after-return", "use-after-scope"}) {
    if (Contains(what, uaf)) return ViolationKind::kUseAfterFree;
  }
  if (Contains(what, "double-free")) return ViolationKind::kDoubleFree;
  if (tool == "LeakSanitizer" || Contains(what, "leak")) return ViolationKind::kLeak;
  if (tool == "ThreadSanitizer") {
    if (StartsWith(what, "data race")) return ViolationKind::kDataRace;
    if (StartsWith(what, "lock-order-inversion")) return ViolationKind::kDeadlock;
  }
  if (tool == "UndefinedBehaviorSanitizer") return ViolationKind::kUndefinedBehavior;
  return ViolationKind::kCrash;
}

std::optional<Frame> ParseFrameLine(std::string_view line) {
  line = Trim(line);
  if (line.size() < 3 || line[0] != '#' || !IsDigit(line[1])) return std::nullopt;
  size_t i = 1;
  while (i < line.size() && IsDigit(line[i]))
    ++i;
  if (i >= line.size() || line[i] != ' ') return std::nullopt;
  std::string_view rest = Trim(line.substr(i));
  if (StartsWith(rest, "0x")) {
    const size_t space = rest.find(' ');
    rest = space == std::string_view::npos ? std::string_view() : Trim(rest.substr(space));
    if (StartsWith(rest, "in ")) rest = Trim(rest.substr(3));
  }
  Frame frame;
  // Trailing "(module+0xoffset)" and "(BuildId: ...)" groups.
  while (!rest.empty() && rest.back() == ')') {
    const size_t open = rest.rfind(" (");
    const size_t at = open == std::string_view::npos ? (rest[0] == '(' ? 0 : rest.npos) : open + 1;
    if (at == std::string_view::npos) break;
    const std::string_view group = rest.substr(at + 1, rest.size() - at - 2);
    if (StartsWith(group, "BuildId: ")) {
      rest = Trim(rest.substr(0, at));
      continue;
    }
    const size_t plus = group.rfind("+0x");
    if (plus == std::string_view::npos) break;
    frame.module = std::string(group.substr(0, plus));
    rest = Trim(rest.substr(0, at));
    break;
  }
  const size_t space = rest.rfind(' ');
  const std::string_view last = space == std::string_view::npos ? rest : rest.substr(space + 1);
  if (IsLocation(last) && space != std::string_view::npos) {
    frame.file = std::string(last);
    rest = Trim(rest.substr(0, space));
  } else if (IsLocation(last) && last[0] == '/') {
    frame.file = std::string(last);
    rest = {};
  }
  if (rest != "<null>") frame.function = std::string(rest);
  return frame;
}

std::optional<SanitizerFinding> FindSanitizerReport(std::string_view text,
                                                    std::string_view summary) {
  size_t best = std::string_view::npos;
  const Marker* marker = nullptr;
  for (const Marker& m : kMarkers) {
    const size_t at = text.find(m.text);
    if (at < best) {
      best = at;
      marker = &m;
    }
  }
  if (marker == nullptr) return FromSummary(summary);

  SanitizerFinding f;
  f.tool = std::string(marker->tool);
  const size_t line_end = std::min(text.find('\n', best), text.size());
  const std::string_view rest =
      text.substr(best + marker->text.size(), line_end - best - marker->text.size());
  f.what = ReduceWhat(rest);
  f.kind = ClassifySanitizerReport(f.tool, f.what);

  // The report's stacks: from its first line to its SUMMARY line.
  const size_t line_start = text.rfind('\n', best);
  const std::string_view head =
      text.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
  for (std::string_view line : SplitLines(head)) {
    if (StartsWith(Trim(line), "SUMMARY: ")) break;
    std::optional<Frame> frame = ParseFrameLine(line);
    if (!frame) continue;
    if (StartsWith(Trim(line), "#0 ") || f.stacks.empty()) f.stacks.emplace_back();
    f.stacks.back().push_back(std::move(*frame));
  }
  if (f.kind == ViolationKind::kDataRace) {
    f.site = DataRaceSite(f.stacks);
  } else if (!f.stacks.empty()) {
    f.site = FirstOwnFunction(f.stacks[0]);
  }
  if (f.site.empty() && marker->text == ": runtime error: ") {
    const std::string_view first_line = head.substr(0, std::min(head.find('\n'), head.size()));
    f.site = FileBaseName(Trim(first_line));
  }
  return f;
}

}  // namespace gcs::isolation
