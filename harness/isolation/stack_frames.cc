// gcstress isolation — stack frames: runtime frames and function-name reduction.
#include "harness/isolation/stack_frames.h"

#include <array>

namespace gcs::isolation {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

// After "operator": the operator's own spelling, which may contain the brackets the reduction
// otherwise drops ("operator()", "operator<<", "operator[]", "operator new[]").
size_t OperatorLength(std::string_view rest) {
  constexpr std::array<std::string_view, 12> kSpelled = {"()", "[]", "<<=", ">>=", "<=>", "<<",
                                                         ">>", "<=", ">=",  "->*", "->",  " new[]"};
  for (std::string_view op : kSpelled) {
    if (StartsWith(rest, op)) return op.size();
  }
  if (StartsWith(rest, " delete[]")) return 9;
  size_t n = 0;
  // Symbols ("+", "==", "<") or a word ("new", "delete", a conversion's type name).
  if (!rest.empty() && rest[0] == ' ') ++n;
  while (n < rest.size() && !IsWordChar(rest[n]) && rest[n] != '(' && rest[n] != ' ')
    ++n;
  while (n < rest.size() && IsWordChar(rest[n]))
    ++n;
  return n;
}

// Drops every bracketed group "(...)" and "<...>" (but not "{...}": gcc names lambdas
// "{lambda(int)#1}", whose parameter list alone goes).
std::string DropGroups(std::string_view in) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (depth == 0 && c == 'o' && in.substr(i, 8) == "operator" &&
        (i == 0 || !IsWordChar(in[i - 1])) &&
        (i + 8 >= in.size() || !IsWordChar(in[i + 8]) || in[i + 8] == ' ')) {
      const size_t n = 8 + OperatorLength(in.substr(i + 8));
      out.append(in.substr(i, n));
      i += n - 1;
      continue;
    }
    if (c == '(' || c == '<') {
      ++depth;
    } else if ((c == ')' || c == '>') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::string NormalizeFunction(std::string_view demangled) {
  std::string text(Trim(demangled));
  if (text.empty() || text == "<null>" || text == "??") return "";
  // Anonymous namespaces go before the groups do, or their "(...)" would leave a stray "::".
  for (std::string_view anon : {"(anonymous namespace)::", "{anonymous}::"}) {
    for (size_t at = text.find(anon); at != std::string::npos; at = text.find(anon))
      text.erase(at, anon.size());
  }
  std::string reduced = DropGroups(text);
  // What trails the (dropped) parameter list: qualifiers, "[clone .cold]" and the like.
  std::string_view s = Trim(reduced);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view q : {" const", " volatile", " &&", " &", " noexcept"}) {
      if (EndsWith(s, q)) {
        s.remove_suffix(q.size());
        changed = true;
      }
    }
    const size_t bracket = s.rfind(" [");
    if (bracket != std::string_view::npos && EndsWith(s, "]")) {
      s = s.substr(0, bracket);
      changed = true;
    }
    s = Trim(s);
  }
  // A return type (demangled templates carry one) is whatever precedes the last top-level space,
  // unless that space belongs to an operator's spelling.
  size_t space = s.rfind(' ');
  while (space != std::string_view::npos && space >= 8 && s.substr(space - 8, 8) == "operator") {
    space = space >= 9 ? s.rfind(' ', space - 9) : std::string_view::npos;
  }
  if (space != std::string_view::npos) s = s.substr(space + 1);
  return std::string(s);
}

bool IsRuntimeFrame(const Frame& frame) {
  const std::string fn = NormalizeFunction(frame.function);
  if (fn.empty()) return true;
  if (StartsWith(frame.module, "/lib") || StartsWith(frame.module, "/usr/lib")) return true;
  constexpr std::array<std::string_view, 21> kPrefixes = {
      "__interceptor_", "__interception",  "__asan",           "__tsan",           "__lsan",
      "__ubsan",        "__sanitizer",     "__cxa_",           "__cxxabiv1",       "__gnu_cxx::",
      "std::",          "__GI_",           "__libc_",          "__pthread_",       "pthread_",
      "operator new",   "operator delete", "gcs::isolation::", "gcs::CheckFailed", "_Unwind_",
      "__clone"};
  for (std::string_view p : kPrefixes) {
    if (StartsWith(fn, p)) return true;
  }
  // sighandler, rtl_sighandler, rtl_sigaction: TSan's signal interception, outside __tsan.
  constexpr std::array<std::string_view, 24> kExact = {
      "malloc",   "free",          "calloc",       "realloc",    "reallocarray",   "posix_memalign",
      "memalign", "aligned_alloc", "valloc",       "memcpy",     "memmove",        "memset",
      "memcmp",   "strlen",        "abort",        "raise",      "gsignal",        "start_thread",
      "clone",    "_start",        "__restore_rt", "sighandler", "rtl_sighandler", "rtl_sigaction"};
  for (std::string_view e : kExact) {
    if (fn == e) return true;
  }
  return false;
}

std::string FirstOwnFunction(const std::vector<Frame>& stack) {
  for (const Frame& f : stack) {
    if (!IsRuntimeFrame(f)) return NormalizeFunction(f.function);
  }
  return "";
}

}  // namespace gcs::isolation
