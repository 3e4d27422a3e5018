// gcstress remote target — reading target.json, and the manifest search path.
#include "harness/targets/remote/manifest.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "harness/scenario/json_input.h"

namespace gcs::remote {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

bool IsName(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), IsNameChar);
}

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  Expected<Manifest> Read(const Json& root) {
    Manifest m;
    m.path = path_;
    m.dir = fs::absolute(fs::path(path_)).parent_path().lexically_normal().string();
    if (!root.is_object()) return Fail("", "expected an object, got " + DescribeJsonValue(root));
    static const char* const kFields[] = {"format",
                                          "name",
                                          "help",
                                          "command",
                                          "versions",
                                          "ops",
                                          "faults",
                                          "full_event_stream",
                                          "reports_holders",
                                          "reply_timeout_ms"};
    for (const auto& item : root.items()) {
      const std::string& key = item.key();
      if (std::find_if(std::begin(kFields), std::end(kFields),
                       [&](const char* f) { return key == f; }) == std::end(kFields)) {
        return Fail("/" + EscapePointerComponent(key), "unknown field " + QuoteForMessage(key));
      }
    }
    auto format = root.find("format");
    if (format == root.end()) return Fail("", "missing required field \"format\"");
    if (!format->is_number_integer() || *format != 1) {
      return Fail("/format", "expected the integer 1, got " + DescribeJsonValue(*format));
    }
    if (auto e = String(root, "name", true, &m.name)) return *e;
    if (!IsName(m.name)) {
      return Fail("/name", "target name " + QuoteForMessage(m.name) +
                               " must be 1 to 64 letters, digits, '_', '-' or '.'");
    }
    for (const BuiltinTarget& builtin : kBuiltinTargets) {
      if (builtin.name == m.name) {
        return Fail("/name", "\"" + m.name + "\" is a built-in target's name");
      }
    }
    const std::string folder = fs::path(m.dir).filename().string();
    if (folder != m.name) {
      return Fail("/name", "name " + QuoteForMessage(m.name) +
                               " differs from the manifest's folder " + QuoteForMessage(folder));
    }
    if (auto e = String(root, "help", false, &m.help)) return *e;
    if (auto e = Strings(root, "command", true, &m.command)) return *e;
    if (m.command.empty()) return Fail("/command", "the command line is empty");
    for (size_t i = 0; i < m.command.size(); ++i) {
      if (m.command[i].empty() || m.command[i].find('\0') != std::string::npos) {
        return Fail("/command/" + std::to_string(i), "empty or not a C string");
      }
    }
    if (auto e = Strings(root, "versions", false, &m.versions)) return *e;
    for (size_t i = 0; i < m.versions.size(); ++i) {
      if (!IsName(m.versions[i])) {
        return Fail("/versions/" + std::to_string(i),
                    "version " + QuoteForMessage(m.versions[i]) +
                        " must be 1 to 64 letters, digits, '_', '-' or '.'");
      }
      if (std::count(m.versions.begin(), m.versions.end(), m.versions[i]) > 1) {
        return Fail("/versions/" + std::to_string(i),
                    "version " + QuoteForMessage(m.versions[i]) + " is listed twice");
      }
    }
    std::vector<std::string> ops;
    if (auto e = Strings(root, "ops", true, &ops)) return *e;
    for (size_t i = 0; i < ops.size(); ++i) {
      const std::optional<Op> op = OpFromName(ops[i]);
      if (!op) return Fail("/ops/" + std::to_string(i), "unknown op " + QuoteForMessage(ops[i]));
      m.ops.set(static_cast<size_t>(*op));
    }
    if (auto e = Strings(root, "faults", false, &m.faults)) return *e;
    for (size_t i = 0; i < m.faults.size(); ++i) {
      if (!IsName(m.faults[i])) {
        return Fail("/faults/" + std::to_string(i),
                    "fault " + QuoteForMessage(m.faults[i]) + " is not a valid name");
      }
    }
    if (auto e = Bool(root, "full_event_stream", &m.full_event_stream)) return *e;
    if (auto e = Bool(root, "reports_holders", &m.reports_holders)) return *e;
    if (auto t = root.find("reply_timeout_ms"); t != root.end()) {
      if (!t->is_number_integer() || *t < 1 || *t > 600000) {
        return Fail("/reply_timeout_ms",
                    "expected an integer from 1 to 600000, got " + DescribeJsonValue(*t));
      }
      m.reply_timeout = std::chrono::milliseconds(t->get<int64_t>());
    }
    return m;
  }

 private:
  InputError Fail(const std::string& pointer, const std::string& message) const {
    return InputError{path_, pointer, message};
  }

  std::optional<InputError> String(const Json& root, const char* key, bool required,
                                   std::string* out) const {
    auto it = root.find(key);
    if (it == root.end()) {
      if (required) return Fail("", std::string("missing required field \"") + key + "\"");
      return std::nullopt;
    }
    if (!it->is_string()) {
      return Fail(std::string("/") + key, "expected a string, got " + DescribeJsonValue(*it));
    }
    *out = it->get<std::string>();
    return std::nullopt;
  }

  std::optional<InputError> Strings(const Json& root, const char* key, bool required,
                                    std::vector<std::string>* out) const {
    auto it = root.find(key);
    if (it == root.end()) {
      if (required) return Fail("", std::string("missing required field \"") + key + "\"");
      return std::nullopt;
    }
    if (!it->is_array()) {
      return Fail(std::string("/") + key,
                  "expected an array of strings, got " + DescribeJsonValue(*it));
    }
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return Fail(std::string("/") + key + "/" + std::to_string(i),
                    "expected a string, got " + DescribeJsonValue((*it)[i]));
      }
      out->push_back((*it)[i].get<std::string>());
    }
    return std::nullopt;
  }

  std::optional<InputError> Bool(const Json& root, const char* key, bool* out) const {
    auto it = root.find(key);
    if (it == root.end()) return std::nullopt;
    if (!it->is_boolean()) {
      return Fail(std::string("/") + key, "expected true or false, got " + DescribeJsonValue(*it));
    }
    *out = it->get<bool>();
    return std::nullopt;
  }

  std::string path_;
};

}  // namespace

Expected<Manifest> LoadManifest(const std::string& path) {
  Expected<std::string> text = ReadInputFile(path, size_t{1} << 20);
  if (!text) return text.error();
  Expected<Json> json = ParseJson(*text, path);
  if (!json) return json.error();
  return Reader(path).Read(*json);
}

std::vector<std::string> ManifestSearchPath() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("GCS_TARGET_PATH"); env != nullptr) {
    std::string rest(env);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t colon = rest.find(':', start);
      const std::string dir = rest.substr(start, colon - start);
      if (!dir.empty()) dirs.push_back(dir);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  dirs.push_back(std::string(GCS_SOURCE_DIR) + "/targets");
  return dirs;
}

std::vector<std::string> FindManifests() {
  std::map<std::string, std::string> by_name;  // sorted, the first on the path wins
  for (const std::string& dir : ManifestSearchPath()) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) continue;
    for (const fs::directory_entry& entry : it) {
      const fs::path manifest = entry.path() / "target.json";
      if (!fs::is_regular_file(manifest, ec)) continue;
      by_name.emplace(entry.path().filename().string(), manifest.string());
    }
  }
  std::vector<std::string> out;
  for (auto& [name, path] : by_name)
    out.push_back(std::move(path));
  return out;
}

std::optional<std::string> FindManifest(const std::string& name) {
  if (!IsName(name)) return std::nullopt;
  for (const std::string& dir : ManifestSearchPath()) {
    const fs::path manifest = fs::path(dir) / name / "target.json";
    std::error_code ec;
    if (fs::is_regular_file(manifest, ec)) return manifest.string();
  }
  return std::nullopt;
}

bool IsManifestPath(const std::string& spec) {
  return spec.find('/') != std::string::npos ||
         (spec.size() > 5 && spec.compare(spec.size() - 5, 5, ".json") == 0);
}

}  // namespace gcs::remote
