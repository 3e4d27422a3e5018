// gcstress fuzzing — reading and checking a fuzzer's fault list.
#include "harness/fuzzing/fuzz_faults.h"

#include <algorithm>

namespace gcs {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

FuzzFaultSetting FindFuzzFaultSetting(const char* env_value, std::span<char* const> args) {
  FuzzFaultSetting s;
  if (env_value != nullptr) s = {env_value, kFuzzFaultsEnv};
  for (const char* arg : args) {
    if (arg == nullptr) continue;
    const std::string_view a(arg);
    if (a.substr(0, kFuzzFaultsFlag.size()) == kFuzzFaultsFlag) {
      s = {std::string(a.substr(kFuzzFaultsFlag.size())), "-gcs_faults"};
    }
  }
  return s;
}

Expected<std::vector<std::string>> ParseFaultList(std::string_view text,
                                                  const std::vector<std::string>& known,
                                                  const std::string& source) {
  std::vector<std::string> out;
  text = Trim(text);
  if (text.empty()) return out;
  size_t entry = 0;
  while (true) {
    ++entry;
    const size_t comma = text.find(',');
    const std::string name(Trim(text.substr(0, comma)));
    if (name.empty()) {
      return InputError{source, "", "entry " + std::to_string(entry) + " is empty"};
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InputError{source, "", "unknown fault \"" + name + "\" (known: " + Join(known) + ")"};
    }
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      return InputError{source, "", "fault \"" + name + "\" is given twice"};
    }
    out.push_back(name);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace gcs
