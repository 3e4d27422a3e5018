// gcstress isolation — ChildProcess: a forked child running a function, its messages and its
// stderr read by the parent, its end observed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/input_error.h"

namespace gcs::isolation {

// One message from the child: a type the two ends agree on, and bytes.
struct Message {
  uint8_t type = 0;
  std::string payload;
};

// The child's end of the message pipe. Each Send is one frame: u32 length, u8 type, payload.
class MessageSink {
 public:
  explicit MessageSink(int fd) : fd_(fd) {}
  // Blocks until written (the parent always drains). A parent that is gone ends the child.
  void Send(uint8_t type, std::string_view payload);

 private:
  int fd_;
};

// The child's end of a server child's command channel (ChildProcess::StartServer): frames as
// MessageSink's, from the parent.
class CommandSource {
 public:
  explicit CommandSource(int fd) : fd_(fd) {}
  // Blocks until one whole command is read. False at end of file, on an error or with no channel:
  // the parent has no more work for this child.
  bool Receive(Message* out);

 private:
  int fd_;
};

// How a child ended.
struct ChildExit {
  bool exited = false;  // returned or called exit: `code`; else killed by `signal`
  int code = 0;
  int signal = 0;
  // "exit code 1", "signal SIGSEGV (Segmentation fault)"
  std::string Describe() const;
};

// fork(), no exec: the child is this process's image, so it can run any function with any state
// the parent had at the fork — and must not touch threads the parent had (they do not exist in
// the child) or objects they might have been in the middle of changing. So fork from a thread
// that holds no locks, and let the child build what it runs on (its own target, engine, pools).
//
// In the child: stderr goes to a pipe the parent reads (sanitizer reports, GCS_CHECK messages);
// SIGINT is ignored (Ctrl-C reaches the whole process group; stopping is the parent's call);
// PR_SET_PDEATHSIG kills it if the parent dies; `body` runs; its return value is the exit code
// (_exit, so nothing of the parent's — atexit handlers, stdio buffers, static destructors —
// runs twice). The parent's stdout and stderr are flushed before the fork for the same reason.
class ChildProcess {
 public:
  using Body = std::function<int(MessageSink&)>;
  using ServerBody = std::function<int(MessageSink&, CommandSource&)>;

  // `close_in_child`: descriptors of the parent the child must not hold (other children's pipes).
  static Expected<ChildProcess> Start(const Body& body, std::span<const int> close_in_child = {});
  // Start, plus a command channel (a socket pair): the parent hands the running child more work
  // with SendCommand, the child reads it from its CommandSource, so one child can serve many
  // pieces of work, saving a fork for each. Closing the channel (the parent's end goes with this
  // object) tells it there is no more.
  static Expected<ChildProcess> StartServer(const ServerBody& body,
                                            std::span<const int> close_in_child = {});

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kills and reaps a child still running

  pid_t pid() const { return pid_; }
  // The descriptors to poll for reading (-1 once closed).
  int message_fd() const { return message_fd_; }
  int stderr_fd() const { return stderr_fd_; }
  int command_fd() const { return command_fd_; }
  // Both pipes reached end of file: the child has exited (or closed them).
  bool drained() const { return message_fd_ < 0 && stderr_fd_ < 0; }

  // Reads whatever is available without blocking: complete messages are appended to `out`,
  // stderr text to the kept tail. A read error counts as end of file.
  void Pump(std::vector<Message>* out);

  // The last kStderrKeep bytes the child wrote to stderr.
  static constexpr size_t kStderrKeep = size_t{1} << 20;
  const std::string& stderr_text() const { return stderr_; }
  // Forgets the stderr text read so far (a server child's, between two pieces of work).
  void ClearStderr() { stderr_.clear(); }

  // A server child: sends one command frame, blocking until written. False if the child is gone
  // (its end is closed) or has no command channel; never raises SIGPIPE.
  bool SendCommand(uint8_t type, std::string_view payload);

  void Kill();       // SIGKILL; harmless if it already ended
  ChildExit Wait();  // reaps it (blocking); call once drained, or after Kill

 private:
  ChildProcess() = default;
  static Expected<ChildProcess> Launch(const ServerBody& body, std::span<const int> close_in_child,
                                       bool commands);
  void Close();

  pid_t pid_ = -1;
  int message_fd_ = -1;
  int stderr_fd_ = -1;
  int command_fd_ = -1;
  std::string frames_;  // message bytes not yet a complete frame
  std::string stderr_;
  bool reaped_ = false;
};

// Waits until one of the children has something to read (or has closed a pipe), or `timeout`
// passed. Children already drained are skipped.
void PollChildren(std::span<ChildProcess* const> children, std::chrono::milliseconds timeout);

}  // namespace gcs::isolation
