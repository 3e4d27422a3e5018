// gcstress remote target — AdapterProcess: an adapter program on the far end of two pipes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gcs::remote {

// How an exchange with the adapter ended.
enum class ReplyStatus : uint8_t {
  kOk,       // a line arrived
  kExited,   // its standard output closed (it exited, or closed it): see AdapterProcess::Ended
  kTimeout,  // no complete line within the timeout
  kTooLong,  // a line longer than the limit
};

// A started adapter: its standard input and output are pipes to us, its standard error a third
// pipe we keep the tail of. It is started with fork + exec in its manifest's folder and never
// inherits another descriptor of ours; it exits when its input closes (when we end).
//
// Not thread-safe: one caller at a time (RemoteTarget serializes its calls).
class AdapterProcess {
 public:
  static constexpr size_t kMaxLine = size_t{16} << 20;
  static constexpr size_t kStderrKeep = size_t{64} << 10;

  // Starts `argv` (argv[0] looked up in PATH unless it holds a '/') in directory `dir`, with
  // `env` added to our environment. On failure (no such program) the adapter still starts and
  // exits with code 127 at once, having said why on its standard error: the caller sees an
  // adapter that exited, like any other.
  AdapterProcess(const std::vector<std::string>& argv, const std::string& dir,
                 const std::vector<std::pair<std::string, std::string>>& env);
  ~AdapterProcess();  // closes its input, waits up to a second, then kills it
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // Writes `line` and a newline. False if the adapter no longer reads (its input pipe closed).
  bool Send(std::string_view line);
  // Waits up to `timeout` for the next line of its standard output (without the newline),
  // draining its standard error meanwhile.
  ReplyStatus Receive(std::chrono::milliseconds timeout, std::string* line);

  // Kills it (SIGKILL) if it still runs, and reaps it. Idempotent.
  void Kill();
  // After Kill, or once Receive said kExited: how it ended — "exit-<code>" or "<signal>" in lower
  // case ("sigsegv"), for a signature; "" while it runs. Reaps it if it has ended.
  std::string Ended();

  // What it wrote to its standard error since the last ClearStderr, at most the last
  // kStderrKeep bytes (drained first).
  const std::string& Stderr();
  void ClearStderr() { stderr_.clear(); }
  pid_t pid() const { return pid_; }

 private:
  void DrainStderr();
  void Reap(bool block);

  pid_t pid_ = -1;
  int in_fd_ = -1;      // its standard input
  int out_fd_ = -1;     // its standard output
  int err_fd_ = -1;     // its standard error
  std::string buffer_;  // bytes read from its output, not yet a line
  std::string stderr_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace gcs::remote
