// gcstress isolation — ChildProcess: fork, the two pipes, non-blocking reads, kill and reap.
#include "harness/isolation/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <utility>

#include "core/check.h"

namespace gcs::isolation {
namespace {

std::string Errno(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    // The parent is gone or stopped reading: nobody wants what this child would do next.
    if (n <= 0) ::_exit(3);
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void CloseFd(int& fd) {
  if (fd >= 0) {
    // Linux closes the descriptor even when close reports EINTR; retrying could close another.
    ::close(fd);
    fd = -1;
  }
}

// Sets up the child's side and runs the body; never returns.
[[noreturn]] void RunChild(const ChildProcess::ServerBody& body, int message_fd, int stderr_fd,
                           int command_fd, pid_t parent, std::span<const int> close_in_child) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(3);
  std::signal(SIGINT, SIG_IGN);
  for (int fd : close_in_child)
    ::close(fd);
  if (::dup2(stderr_fd, STDERR_FILENO) < 0) ::_exit(3);
  ::close(stderr_fd);
  int code = 3;
  try {
    MessageSink sink(message_fd);
    CommandSource commands(command_fd);
    code = body(sink, commands);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gcstress: child process: uncaught exception: %s\n", e.what());
  }
  std::fflush(nullptr);
  ::_exit(code);
}

}  // namespace

namespace {

// Reads exactly `size` bytes (blocking); false at end of file or on an error.
bool ReadAll(int fd, char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string Frame(uint8_t type, std::string_view payload) {
  std::string frame;
  const auto n = static_cast<uint32_t>(payload.size());
  frame.append(reinterpret_cast<const char*>(&n), sizeof n);
  frame.push_back(static_cast<char>(type));
  frame.append(payload);
  return frame;
}

}  // namespace

void MessageSink::Send(uint8_t type, std::string_view payload) {
  const std::string frame = Frame(type, payload);
  WriteAll(fd_, frame.data(), frame.size());
}

bool CommandSource::Receive(Message* out) {
  if (fd_ < 0) return false;
  char header[5];
  if (!ReadAll(fd_, header, sizeof header)) return false;
  uint32_t length = 0;
  std::memcpy(&length, header, sizeof length);
  out->type = static_cast<uint8_t>(header[4]);
  out->payload.resize(length);
  return ReadAll(fd_, out->payload.data(), length);
}

std::string ChildExit::Describe() const {
  if (exited) return "exit code " + std::to_string(code);
  const char* name = sigabbrev_np(signal);
  const char* text = sigdescr_np(signal);
  return "signal " + (name != nullptr ? "SIG" + std::string(name) : std::to_string(signal)) +
         (text != nullptr ? " (" + std::string(text) + ")" : "");
}

Expected<ChildProcess> ChildProcess::Start(const Body& body, std::span<const int> close_in_child) {
  return Launch([&body](MessageSink& sink, CommandSource&) { return body(sink); }, close_in_child,
                /*commands=*/false);
}

Expected<ChildProcess> ChildProcess::StartServer(const ServerBody& body,
                                                 std::span<const int> close_in_child) {
  return Launch(body, close_in_child, /*commands=*/true);
}

Expected<ChildProcess> ChildProcess::Launch(const ServerBody& body,
                                            std::span<const int> close_in_child, bool commands) {
  int messages[2], errors[2], channel[2] = {-1, -1};
  if (::pipe2(messages, O_CLOEXEC) != 0) return InputError{"<isolation>", "", Errno("pipe")};
  if (::pipe2(errors, O_CLOEXEC) != 0) {
    const InputError error{"<isolation>", "", Errno("pipe")};
    ::close(messages[0]);
    ::close(messages[1]);
    return error;
  }
  if (commands && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    const InputError error{"<isolation>", "", Errno("socketpair")};
    for (int fd : {messages[0], messages[1], errors[0], errors[1]})
      ::close(fd);
    return error;
  }
  const pid_t parent = ::getpid();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const InputError error{"<isolation>", "", Errno("fork")};
    for (int fd : {messages[0], messages[1], errors[0], errors[1], channel[0], channel[1]}) {
      if (fd >= 0) ::close(fd);
    }
    return error;
  }
  if (pid == 0) {
    ::close(messages[0]);
    ::close(errors[0]);
    if (commands) ::close(channel[0]);
    RunChild(body, messages[1], errors[1], channel[1], parent, close_in_child);
  }
  ::close(messages[1]);
  ::close(errors[1]);
  if (commands) ::close(channel[1]);
  for (int fd : {messages[0], errors[0]}) {
    const int flags = ::fcntl(fd, F_GETFL);
    GCS_CHECK(flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
  }
  ChildProcess child;
  child.pid_ = pid;
  child.message_fd_ = messages[0];
  child.stderr_fd_ = errors[0];
  child.command_fd_ = channel[0];
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      message_fd_(std::exchange(other.message_fd_, -1)),
      stderr_fd_(std::exchange(other.stderr_fd_, -1)),
      command_fd_(std::exchange(other.command_fd_, -1)),
      frames_(std::move(other.frames_)),
      stderr_(std::move(other.stderr_)),
      reaped_(std::exchange(other.reaped_, false)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  std::swap(pid_, other.pid_);
  std::swap(message_fd_, other.message_fd_);
  std::swap(stderr_fd_, other.stderr_fd_);
  std::swap(command_fd_, other.command_fd_);
  std::swap(frames_, other.frames_);
  std::swap(stderr_, other.stderr_);
  std::swap(reaped_, other.reaped_);
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    Kill();
    Wait();
  }
  Close();
}

void ChildProcess::Close() {
  CloseFd(message_fd_);
  CloseFd(stderr_fd_);
  CloseFd(command_fd_);
}

bool ChildProcess::SendCommand(uint8_t type, std::string_view payload) {
  if (command_fd_ < 0) return false;
  const std::string frame = Frame(type, payload);
  const char* data = frame.data();
  size_t size = frame.size();
  while (size > 0) {
    // MSG_NOSIGNAL: a child that died gives EPIPE here, not a SIGPIPE that would end the parent.
    const ssize_t n = ::send(command_fd_, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void ChildProcess::Pump(std::vector<Message>* out) {
  char buf[64 * 1024];
  while (message_fd_ >= 0) {
    const ssize_t n = ::read(message_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      CloseFd(message_fd_);
      break;
    }
    frames_.append(buf, static_cast<size_t>(n));
  }
  size_t at = 0;
  while (frames_.size() - at >= 5) {
    uint32_t length = 0;
    std::memcpy(&length, frames_.data() + at, sizeof length);
    if (frames_.size() - at - 5 < length) break;
    Message m;
    m.type = static_cast<uint8_t>(frames_[at + 4]);
    m.payload = frames_.substr(at + 5, length);
    out->push_back(std::move(m));
    at += 5 + length;
  }
  frames_.erase(0, at);
  while (stderr_fd_ >= 0) {
    const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      CloseFd(stderr_fd_);
      break;
    }
    stderr_.append(buf, static_cast<size_t>(n));
    if (stderr_.size() > 2 * kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
  }
}

void ChildProcess::Kill() {
  // ESRCH (already reaped) is the only failure possible for our own child.
  if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
}

ChildExit ChildProcess::Wait() {
  ChildExit out;
  if (pid_ <= 0 || reaped_) return out;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    GCS_CHECK_MSG(errno == EINTR, "waitpid on our own child failed");
  }
  reaped_ = true;
  if (WIFEXITED(status)) {
    out.exited = true;
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
  }
  return out;
}

void PollChildren(std::span<ChildProcess* const> children, std::chrono::milliseconds timeout) {
  std::vector<pollfd> fds;
  for (const ChildProcess* c : children) {
    for (int fd : {c->message_fd(), c->stderr_fd()}) {
      if (fd >= 0) fds.push_back(pollfd{fd, POLLIN, 0});
    }
  }
  if (fds.empty()) return;
  const int ms = static_cast<int>(timeout.count());
  // EINTR (a signal such as SIGINT or SIGCHLD) just ends the wait early.
  if (::poll(fds.data(), fds.size(), ms) < 0) GCS_CHECK_MSG(errno == EINTR, "poll failed");
}

}  // namespace gcs::isolation
