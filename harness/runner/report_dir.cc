// gcstress runner — report directories: mkdir as the uniqueness test, write-then-rename.
#include "harness/runner/report_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gcs {
namespace {

std::string Errno() {
  return std::strerror(errno);
}

// mkdir -p: each missing component in turn; an existing directory is fine.
std::optional<InputError> MakeDirectories(const std::string& path) {
  if (path.empty()) return std::nullopt;
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    const std::string prefix = path.substr(0, i);
    if (::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      return InputError{prefix, "", "cannot create directory: " + Errno()};
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return InputError{path, "", "not a directory"};
  }
  return std::nullopt;
}

}  // namespace

std::string SignatureSlug(std::string_view signature) {
  constexpr size_t kMaxSlug = 96;
  std::string out;
  bool dash = false;
  for (char c : signature) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    // A dot only inside a word ("lifecycle.dealloc"): never leading, never doubled, so no slug
    // is ".", ".." or hidden.
    const bool dot_ok = c == '.' && !out.empty() && !dash && out.back() != '.';
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || dot_ok;
    if (!keep) {
      dash = !out.empty();
      continue;
    }
    if (dash) out += '-';
    dash = false;
    out += c;
    if (out.size() >= kMaxSlug) break;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.'))
    out.pop_back();
  return out.empty() ? "violation" : out;
}

Expected<std::string> CreateUniqueDirectory(const std::string& parent, std::string_view name) {
  if (auto error = MakeDirectories(parent)) return *error;
  const std::string base = (parent.empty() ? "" : parent + "/") + std::string(name);
  for (int n = 1; n < 10000; ++n) {
    const std::string path = n == 1 ? base : base + "-" + std::to_string(n);
    if (::mkdir(path.c_str(), 0777) == 0) return path;
    if (errno != EEXIST) return InputError{path, "", "cannot create directory: " + Errno()};
  }
  return InputError{base, "", "cannot create directory: 9999 of that name exist already"};
}

std::optional<InputError> WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return InputError{temp, "", "cannot create: " + Errno()};
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = Errno();
      ::close(fd);
      ::unlink(temp.c_str());
      return InputError{temp, "", "cannot write: " + why};
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  std::string why = synced ? "" : Errno();
  if (::close(fd) != 0 && synced) why = Errno();
  if (!why.empty()) {
    ::unlink(temp.c_str());
    return InputError{temp, "", "cannot write: " + why};
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string rename_error = Errno();
    ::unlink(temp.c_str());
    return InputError{path, "", "cannot rename into place: " + rename_error};
  }
  return std::nullopt;
}

}  // namespace gcs
