// gcstress remote target — AdapterProcess: fork + exec, pipes, poll.
#include "harness/targets/remote/adapter_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gcs::remote {
namespace {

using Clock = std::chrono::steady_clock;

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Writes all of `data`, retrying on EINTR. False on any other failure (EPIPE: it stopped reading).
bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(char* const* argv, const char* dir, int in, int out, int err) {
  // No PR_SET_PDEATHSIG: it fires when the *thread* that forked exits, and executions move
  // between threads. An adapter whose gcstress is gone reads end of file and exits (protocol);
  // one that hangs instead is killed by its RemoteTarget at its reply timeout.
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  // Nothing else of ours: pipes of other adapters and children, the progress page's files.
  const long max_fd = ::sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); ++fd)
    ::close(fd);
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGINT, SIG_IGN);  // Ctrl-C reaches the process group; stopping it is our call
  if (::chdir(dir) != 0) {
    constexpr char kMsg[] = "gcstress: cannot enter the adapter's folder\n";
    (void)!::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  ::execvp(argv[0], argv);
  constexpr char kMsg[] = "gcstress: cannot start the adapter: exec failed\n";
  (void)!::write(2, kMsg, sizeof kMsg - 1);
  ::_exit(127);
}

}  // namespace

AdapterProcess::AdapterProcess(const std::vector<std::string>& argv, const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& env) {
  // Everything the child needs is built before the fork: after it, only exec-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& [key, value] : env)
      replaced |= entry.rfind(key + "=", 0) == 0;
    if (!replaced) env_strings.push_back(entry);
  }
  for (const auto& [key, value] : env)
    env_strings.push_back(key + "=" + value);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    return;  // pid_ stays -1: Receive reports kExited, Ended "exit-127"
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    environ = envp.data();
    ExecChild(args.data(), dir.c_str(), in[0], out[1], err[1]);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  pid_ = pid;
  in_fd_ = in[1];
  out_fd_ = out[0];
  err_fd_ = err[0];
  if (pid < 0) {
    CloseFd(in_fd_);
    CloseFd(out_fd_);
    CloseFd(err_fd_);
  }
}

AdapterProcess::~AdapterProcess() {
  CloseFd(in_fd_);  // an adapter exits when it reads end of file
  if (pid_ > 0 && !reaped_) {
    const auto deadline = Clock::now() + std::chrono::seconds(1);
    while (!reaped_ && Clock::now() < deadline) {
      Reap(/*block=*/false);
      if (!reaped_) ::usleep(1000);
    }
  }
  Kill();
  CloseFd(out_fd_);
  CloseFd(err_fd_);
}

bool AdapterProcess::Send(std::string_view line) {
  if (in_fd_ < 0) return false;
  // A dead reader must be an error return (EPIPE), not a signal that kills us.
  struct sigaction ignore = {}, old = {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  bool ok = WriteAll(in_fd_, line.data(), line.size()) && WriteAll(in_fd_, "\n", 1);
  ::sigaction(SIGPIPE, &old, nullptr);
  if (!ok) CloseFd(in_fd_);
  return ok;
}

ReplyStatus AdapterProcess::Receive(std::chrono::milliseconds timeout, std::string* line) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const size_t newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      line->assign(buffer_, 0, newline);
      buffer_.erase(0, newline + 1);
      return ReplyStatus::kOk;
    }
    if (buffer_.size() > kMaxLine) return ReplyStatus::kTooLong;
    if (out_fd_ < 0) return ReplyStatus::kExited;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return ReplyStatus::kTimeout;
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    const int n = ::poll(fds, err_fd_ >= 0 ? 2 : 1, static_cast<int>(left));
    if (n < 0 && errno != EINTR) return ReplyStatus::kExited;
    if (n <= 0) continue;
    if (err_fd_ >= 0 && fds[1].revents != 0) DrainStderr();
    if (fds[0].revents != 0) {
      char chunk[65536];
      const ssize_t got = ::read(out_fd_, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        CloseFd(out_fd_);
        continue;  // a last line without its newline is not a reply
      }
      buffer_.append(chunk, static_cast<size_t>(got));
    }
  }
}

void AdapterProcess::DrainStderr() {
  while (err_fd_ >= 0) {
    pollfd fd = {err_fd_, POLLIN, 0};
    if (::poll(&fd, 1, 0) <= 0) return;
    char chunk[16384];
    const ssize_t got = ::read(err_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      CloseFd(err_fd_);
      return;
    }
    stderr_.append(chunk, static_cast<size_t>(got));
    if (stderr_.size() > kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
  }
}

const std::string& AdapterProcess::Stderr() {
  DrainStderr();
  return stderr_;
}

void AdapterProcess::Kill() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
  CloseFd(in_fd_);
}

void AdapterProcess::Reap(bool block) {
  if (pid_ <= 0 || reaped_) return;
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_ || got < 0) {
    reaped_ = true;
    status_ = got == pid_ ? status : 0;
  }
}

std::string AdapterProcess::Ended() {
  if (pid_ <= 0) return "exit-127";
  if (!reaped_) {
    // Its output closed: it is exiting. Give it a moment, then make sure.
    for (int i = 0; i < 200 && !reaped_; ++i) {
      Reap(/*block=*/false);
      if (!reaped_) ::usleep(1000);
    }
    if (!reaped_) Kill();
  }
  DrainStderr();
  if (WIFEXITED(status_)) return "exit-" + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    const char* abbrev = ::sigabbrev_np(WTERMSIG(status_));
    std::string name = abbrev != nullptr ? "sig" + std::string(abbrev)
                                         : "signal-" + std::to_string(WTERMSIG(status_));
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }
  return "exit-unknown";
}

}  // namespace gcs::remote
