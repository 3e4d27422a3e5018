// gcstress core — the inter-VM mailbox.
#include "core/mailbox.h"

#include <array>

namespace gcs::core {

std::string_view MessageKindName(MessageKind kind) {
  static constexpr std::array<std::string_view, 3> kNames = {"release", "call", "reply"};
  return kNames[static_cast<size_t>(kind)];
}

bool Mailbox::Post(const Message& m) {
  std::lock_guard<std::mutex> guard(mu_);
  if (closed_) return false;
  messages_.push_back(m);
  return true;
}

std::vector<Message> Mailbox::Take() {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Message> out;
  out.swap(messages_);
  return out;
}

void Mailbox::Close() {
  std::lock_guard<std::mutex> guard(mu_);
  closed_ = true;
  messages_.clear();
}

}  // namespace gcs::core
