// gcstress cli — `gcstress bench [ARGS...]`: runs the Google Benchmark binaries built beside this
// gcstress, passing ARGS on (e.g. --benchmark_filter=Steps).
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "harness/cli/commands.h"
#include "harness/cli/report_output.h"

namespace gcs::cli {
namespace {

// The benchmark binaries, relative to the build directory gcstress is in (bench/CMakeLists.txt).
constexpr const char* kBenchmarks[] = {
    "bench/engine/engine_bench", "bench/scheduler/scheduler_bench", "bench/targets/target_bench",
    "bench/fuzzing/fuzz_case_bench"};

std::string OwnDirectory() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  const std::string exe(buf, static_cast<size_t>(n));
  const size_t slash = exe.rfind('/');
  return slash == std::string::npos ? "." : exe.substr(0, slash);
}

// Runs `path` with `args`, its output going where ours goes; its exit status.
int Spawn(const std::string& path, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::execv(path.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

ExitCode BenchCommand(const Invocation& inv) {
  const std::string dir = OwnDirectory();
  ExitCode code = ExitCode::kPass;
  int found = 0;
  for (const char* bench : kBenchmarks) {
    const std::string path = dir + "/" + bench;
    if (::access(path.c_str(), X_OK) != 0) {
      std::printf("bench: %s not built (configure with -DGCS_BUILD_BENCH=ON)\n", path.c_str());
      continue;
    }
    ++found;
    std::printf("bench: %s\n", path.c_str());
    if (Spawn(path, inv.extra) != 0) code = ExitCode::kInternalError;
  }
  if (found == 0) {
    PrintError("no benchmark binaries beside " + dir + "/gcstress");
    return ExitCode::kBadInput;
  }
  return code;
}

}  // namespace gcs::cli
