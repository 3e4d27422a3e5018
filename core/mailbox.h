// gcstress core — Mailbox: messages between VMs, delivered at the receiver's next safe point.
#pragma once

#include <mutex>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace gcs::core {

enum class MessageKind : uint8_t {
  kRelease,  // a proxy in `from` is gone: drop one use of export `export_id`
  kCall,     // a call from `from` through export `export_id`
  kReply,    // the reply to call `call` of the receiver
};
std::string_view MessageKindName(MessageKind kind);

struct Message {
  MessageKind kind;
  VmIndex from;
  ExportId export_id = 0;
  CallId call = 0;
  bool ok = true;  // kReply: resolved (true) or rejected (false)
};

// A VM's inbox. A leaf lock: never held across a schedule point or another lock.
class Mailbox {
 public:
  // Appends; returns false (message dropped) once the mailbox is closed (its VM is gone).
  bool Post(const Message& m);
  std::vector<Message> Take();
  void Close();

 private:
  std::mutex mu_;
  std::vector<Message> messages_;
  bool closed_ = false;
};

}  // namespace gcs::core
