// gcstress isolation — Symbolize: modules by dl_iterate_phdr, names by llvm-symbolizer,
// addr2line or dladdr.
#include "harness/isolation/symbolizer.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace gcs::isolation {
namespace {

struct Located {
  std::string module;  // "" if no module holds the address
  uintptr_t relative = 0;
};

// The main program has no name in dl_iterate_phdr; a symbolizer needs its path (its own
// /proc/self/exe would be itself).
std::string OwnExecutable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

struct LocateQuery {
  uintptr_t address = 0;
  Located* out = nullptr;
};

int LocateCallback(dl_phdr_info* info, size_t, void* data) {
  auto* q = static_cast<LocateQuery*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (q->address >= start && q->address < start + ph.p_memsz) {
      q->out->module = info->dlpi_name != nullptr ? info->dlpi_name : "";
      q->out->relative = q->address - info->dlpi_addr;
      if (q->out->module.empty()) q->out->module = OwnExecutable();
      return 1;
    }
  }
  return 0;
}

Located Locate(uintptr_t address) {
  Located out;
  LocateQuery q{address, &out};
  dl_iterate_phdr(LocateCallback, &q);
  return out;
}

std::string Hex(uintptr_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Runs argv with stdout captured; stderr and stdin go to /dev/null. Returns false if it could
// not be started or did not exit 0.
bool Capture(const std::vector<std::string>& args, std::string* out) {
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 2);
    }
    ::dup2(fds[1], 1);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

Frame Named(const std::string& function, const std::string& location, const std::string& module) {
  Frame f;
  f.function = function == "??" ? "" : function;
  f.file = location.rfind("??", 0) == 0 ? "" : location;
  f.module = module;
  return f;
}

// llvm-symbolizer: per address, (function, location) pairs innermost first, then a blank line.
bool WithLlvmSymbolizer(const std::string& module, const std::vector<uintptr_t>& relative,
                        std::vector<std::vector<Frame>>* out) {
  std::vector<std::string> args = {"llvm-symbolizer", "--obj=" + module, "--inlining", "--demangle",
                                   "--functions=linkage"};
  for (uintptr_t r : relative)
    args.push_back(Hex(r));
  std::string text;
  if (!Capture(args, &text)) return false;
  std::vector<std::vector<Frame>> result(1);
  const std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      if (!result.back().empty()) result.emplace_back();
      continue;
    }
    const std::string location = i + 1 < lines.size() ? lines[i + 1] : "";
    result.back().push_back(Named(lines[i], location, module));
    ++i;
  }
  if (result.back().empty()) result.pop_back();
  if (result.size() != relative.size()) return false;
  *out = std::move(result);
  return true;
}

// addr2line -a: an address line ("0x...") opens each address's (function, location) pairs.
bool WithAddr2line(const std::string& module, const std::vector<uintptr_t>& relative,
                   std::vector<std::vector<Frame>>* out) {
  std::vector<std::string> args = {"addr2line", "-a", "-f", "-C", "-i", "-e", module};
  for (uintptr_t r : relative)
    args.push_back(Hex(r));
  std::string text;
  if (!Capture(args, &text)) return false;
  std::vector<std::vector<Frame>> result;
  const std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("0x", 0) == 0) {
      result.emplace_back();
      continue;
    }
    if (result.empty()) return false;
    const std::string location = i + 1 < lines.size() ? lines[i + 1] : "";
    result.back().push_back(Named(lines[i], location, module));
    ++i;
  }
  if (result.size() != relative.size()) return false;
  *out = std::move(result);
  return true;
}

// Exported symbols only, and only if the symbol's extent covers the address (dladdr alone would
// name the nearest preceding export, which may be another function entirely).
Frame WithDladdr(uintptr_t address, const std::string& module) {
  Frame f;
  f.module = module;
  Dl_info info{};
  ElfW(Sym)* sym = nullptr;
  if (dladdr1(reinterpret_cast<void*>(address), &info, reinterpret_cast<void**>(&sym),
              RTLD_DL_SYMENT) == 0 ||
      info.dli_sname == nullptr || sym == nullptr) {
    return f;
  }
  const auto start = reinterpret_cast<uintptr_t>(info.dli_saddr);
  if (address < start || address >= start + sym->st_size) return f;
  int status = 0;
  char* demangled = abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &status);
  f.function = status == 0 && demangled != nullptr ? demangled : info.dli_sname;
  std::free(demangled);
  return f;
}

}  // namespace

std::vector<Frame> Symbolize(const uintptr_t* addresses, size_t count) {
  // Return addresses point after their call; one byte back is inside it.
  std::vector<Located> located;
  std::map<std::string, std::vector<size_t>> by_module;  // ordered: spawn order is stable
  for (size_t i = 0; i < count; ++i) {
    const uintptr_t pc = addresses[i] > 0 ? addresses[i] - 1 : 0;
    located.push_back(Locate(pc));
    if (!located.back().module.empty()) by_module[located.back().module].push_back(i);
  }
  std::vector<std::vector<Frame>> per_address(count);
  for (const auto& [module, indices] : by_module) {
    std::vector<uintptr_t> relative;
    for (size_t i : indices)
      relative.push_back(located[i].relative);
    std::vector<std::vector<Frame>> named;
    if (WithLlvmSymbolizer(module, relative, &named) || WithAddr2line(module, relative, &named)) {
      for (size_t k = 0; k < indices.size(); ++k)
        per_address[indices[k]] = std::move(named[k]);
    }
  }
  std::vector<Frame> frames;
  for (size_t i = 0; i < count; ++i) {
    const bool named = !per_address[i].empty() && !per_address[i][0].function.empty();
    if (!named) {
      const uintptr_t pc = addresses[i] > 0 ? addresses[i] - 1 : 0;
      frames.push_back(WithDladdr(pc, located[i].module));
      continue;
    }
    for (Frame& f : per_address[i])
      frames.push_back(std::move(f));
  }
  return frames;
}

}  // namespace gcs::isolation
