// gcstress tests — ChildProcess: messages in order, stderr captured, exit codes and signals told
// apart, a stuck child killed.
#include "harness/isolation/child_process.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>

namespace gcs::isolation {
namespace {

// Runs a child to its end, collecting everything it sent.
struct Collected {
  std::vector<Message> messages;
  std::string err;
  ChildExit exit;
};

Collected RunToEnd(const ChildProcess::Body& body) {
  Collected out;
  Expected<ChildProcess> child = ChildProcess::Start(body);
  EXPECT_TRUE(child.ok());
  if (!child) return out;
  ChildProcess* const watched[] = {&*child};
  while (!child->drained()) {
    PollChildren(watched, std::chrono::milliseconds(100));
    child->Pump(&out.messages);
  }
  out.err = child->stderr_text();
  out.exit = child->Wait();
  return out;
}

TEST(ChildProcessTest, MessagesArriveInOrderAndWhole) {
  const Collected c = RunToEnd([](MessageSink& sink) {
    for (int i = 0; i < 1000; ++i)
      sink.Send(static_cast<uint8_t>(i % 7), std::string(static_cast<size_t>(i), 'a' + i % 26));
    sink.Send(9, "");
    return 0;
  });
  ASSERT_EQ(c.messages.size(), 1001u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(c.messages[i].type, i % 7);
    EXPECT_EQ(c.messages[i].payload.size(), static_cast<size_t>(i));
  }
  EXPECT_EQ(c.messages.back().type, 9);
  EXPECT_TRUE(c.exit.exited);
  EXPECT_EQ(c.exit.code, 0);
  EXPECT_EQ(c.exit.Describe(), "exit code 0");
}

TEST(ChildProcessTest, StderrIsCapturedAndTheExitCodeKept) {
  const Collected c = RunToEnd([](MessageSink&) {
    std::fprintf(stderr, "the child speaks\n");
    return 5;
  });
  EXPECT_EQ(c.err, "the child speaks\n");
  EXPECT_TRUE(c.exit.exited);
  EXPECT_EQ(c.exit.code, 5);
}

TEST(ChildProcessTest, DeathBySignalIsTold) {
  const Collected c = RunToEnd([](MessageSink& sink) {
    sink.Send(1, "before");
    std::signal(SIGABRT, SIG_DFL);
    std::abort();
    return 0;
  });
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_FALSE(c.exit.exited);
  EXPECT_EQ(c.exit.signal, SIGABRT);
  EXPECT_EQ(c.exit.Describe(), "signal SIGABRT (Aborted)");
}

TEST(ChildProcessTest, AStuckChildIsKilled) {
  Expected<ChildProcess> child = ChildProcess::Start([](MessageSink& sink) {
    sink.Send(1, "started");
    for (;;)
      ::pause();
    return 0;
  });
  ASSERT_TRUE(child.ok());
  std::vector<Message> messages;
  ChildProcess* const watched[] = {&*child};
  while (messages.empty()) {
    PollChildren(watched, std::chrono::milliseconds(100));
    child->Pump(&messages);
  }
  child->Kill();
  while (!child->drained()) {
    PollChildren(watched, std::chrono::milliseconds(100));
    child->Pump(&messages);
  }
  const ChildExit exit = child->Wait();
  EXPECT_EQ(exit.signal, SIGKILL);
}

TEST(ChildProcessTest, TheChildIgnoresCtrlC) {
  const Collected c = RunToEnd([](MessageSink& sink) {
    ::raise(SIGINT);  // the parent decides when to stop
    sink.Send(1, "still here");
    return 0;
  });
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.exit.code, 0);
}

// Waits for the next message of a live child; false if it ended first.
bool NextMessage(ChildProcess& child, Message* out) {
  std::vector<Message> got;
  ChildProcess* const watched[] = {&child};
  while (got.empty() && !child.drained()) {
    PollChildren(watched, std::chrono::milliseconds(100));
    child.Pump(&got);
  }
  if (got.empty()) return false;
  EXPECT_EQ(got.size(), 1u);
  *out = std::move(got.front());
  return true;
}

TEST(ChildProcessTest, AServerChildTakesCommandsUntilTheChannelCloses) {
  Expected<ChildProcess> child =
      ChildProcess::StartServer([](MessageSink& sink, CommandSource& commands) {
        Message m;
        int served = 0;
        while (commands.Receive(&m)) {
          sink.Send(static_cast<uint8_t>(m.type + 1), m.payload + "!");
          ++served;
        }
        return served;
      });
  ASSERT_TRUE(child.ok());
  for (int i = 0; i < 3; ++i) {
    // A command longer than a socket buffer arrives whole.
    const std::string payload(i == 2 ? size_t{1} << 20 : size_t(i), 'x');
    ASSERT_TRUE(child->SendCommand(static_cast<uint8_t>(10 * i), payload));
    Message reply;
    ASSERT_TRUE(NextMessage(*child, &reply));
    EXPECT_EQ(reply.type, 10 * i + 1);
    EXPECT_EQ(reply.payload, payload + "!");
  }
  // Closing the channel (with the parent's other ends) is the child's signal to stop; it exits
  // on its own.
  ::shutdown(child->command_fd(), SHUT_WR);
  Message none;
  EXPECT_FALSE(NextMessage(*child, &none));
  const ChildExit exit = child->Wait();
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 3);
}

TEST(ChildProcessTest, ACommandToADeadChildFailsWithoutSigpipe) {
  Expected<ChildProcess> child =
      ChildProcess::StartServer([](MessageSink&, CommandSource&) { return 0; });
  ASSERT_TRUE(child.ok());
  Message none;
  EXPECT_FALSE(NextMessage(*child, &none));
  child->Wait();
  // The parent is still here to see it: EPIPE, not SIGPIPE.
  EXPECT_FALSE(child->SendCommand(1, std::string(1 << 20, 'x')));
  // A child started without a channel has none.
  Expected<ChildProcess> plain = ChildProcess::Start([](MessageSink&) { return 0; });
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->command_fd(), -1);
  EXPECT_FALSE(plain->SendCommand(1, "x"));
}

}  // namespace
}  // namespace gcs::isolation
