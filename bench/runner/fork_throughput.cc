// gcstress runner — benchmark: executions/s of a generated search in fork mode against --no-fork.
//
//   fork_throughput [SCENARIOS=300] [ITERATIONS=20] [RUNS=3] [GCSTRESS=gcstress beside this]
//
// Runs `gcstress run --generate SCENARIOS --seed 1 --iterations ITERATIONS` on the fixed core, the
// way a user runs a generated search (the CLI's defaults for everything else: the portfolio
// strategy, --batch, --step-timeout), RUNS times in fork mode and RUNS times with --no-fork,
// alternating, each in a fresh reports folder. Executions are the sum of the per-scenario counts
// gcstress prints on stderr; time is the wall time of the whole command (start-up and generation
// included, the same in both modes). Every run of both modes must print the same stdout — the
// same scenarios, verdicts and strategies — or the benchmark fails (exit 3). Prints each run, the
// median executions/s per mode, and their ratio, the figure that stays meaningful on a loaded
// machine; exits 1 if fork mode runs below 50% of --no-fork (the target), 0 otherwise.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Result {
  int code = -1;
  std::string out;
  uint64_t executions = 0;
  double seconds = 0;
  double Rate() const { return seconds > 0 ? static_cast<double>(executions) / seconds : 0; }
};

std::string OwnDirectory() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  const std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs gcstress with `args` in `dir`, stdout and stderr into files there.
Result Run(const std::string& gcstress, const std::vector<std::string>& args,
           const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(gcstress.c_str()));
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string out_path = (dir / "out.txt").string();
  const std::string err_path = (dir / "err.txt").string();
  std::fflush(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0 || !std::freopen(out_path.c_str(), "w", stdout) ||
        !std::freopen(err_path.c_str(), "w", stderr)) {
      _exit(127);
    }
    ::execv(gcstress.c_str(), argv.data());
    _exit(127);
  }
  Result r;
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out_path);
  const std::string err = ReadFile(err_path);
  const std::regex executions(R"((\d+) executions? in )");
  for (auto it = std::sregex_iterator(err.begin(), err.end(), executions);
       it != std::sregex_iterator(); ++it) {
    r.executions += std::stoull((*it)[1]);
  }
  return r;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string scenarios = argc > 1 ? argv[1] : "300";
  const std::string iterations = argc > 2 ? argv[2] : "20";
  const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  const std::string gcstress = argc > 4 ? argv[4] : OwnDirectory() + "/../../gcstress";
  if (::access(gcstress.c_str(), X_OK) != 0 || runs < 1) {
    std::fprintf(stderr, "fork_throughput: no gcstress at %s (or RUNS < 1)\n", gcstress.c_str());
    return 2;
  }
  const std::vector<std::string> args = {"run", "--generate",   scenarios, "--seed",
                                         "1",   "--iterations", iterations};
  std::vector<std::string> no_fork_args = args;
  no_fork_args.push_back("--no-fork");
  const std::filesystem::path base =
      std::filesystem::temp_directory_path() / ("fork_throughput." + std::to_string(::getpid()));
  std::printf("gcstress run --generate %s --seed 1 --iterations %s [--no-fork]  (%s)\n",
              scenarios.c_str(), iterations.c_str(), gcstress.c_str());
  std::vector<double> fork_rates, no_fork_rates;
  std::string expected_out;
  bool same = true;
  for (int k = 0; k < runs; ++k) {
    for (const bool fork : {true, false}) {
      const Result r = Run(gcstress, fork ? args : no_fork_args, base / "run");
      std::printf("  run %d %-10s exit %d %8llu executions %7.2f s %9.0f exec/s\n", k + 1,
                  fork ? "fork" : "--no-fork", r.code,
                  static_cast<unsigned long long>(r.executions), r.seconds, r.Rate());
      if (k == 0 && fork) expected_out = r.out;
      if (r.out != expected_out || r.code != 0) same = false;
      (fork ? fork_rates : no_fork_rates).push_back(r.Rate());
    }
  }
  std::filesystem::remove_all(base);
  if (!same) {
    std::printf("the runs disagree (stdout or exit code): not a valid measurement\n");
    return 3;
  }
  const double fork_rate = Median(fork_rates), no_fork_rate = Median(no_fork_rates);
  const double ratio = no_fork_rate > 0 ? fork_rate / no_fork_rate : 0;
  std::printf("median: fork %.0f exec/s, --no-fork %.0f exec/s\n", fork_rate, no_fork_rate);
  std::printf("fork / --no-fork: %.1f%% (target: at least 50%%)\n", ratio * 100.0);
  return ratio >= 0.5 ? 0 : 1;
}
