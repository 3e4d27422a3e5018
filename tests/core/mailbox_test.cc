// gcstress tests — the inter-VM mailbox.
#include "core/mailbox.h"

#include <gtest/gtest.h>

namespace gcs::core {
namespace {

TEST(MailboxTest, TakeReturnsMessagesInPostOrderOnce) {
  Mailbox box;
  EXPECT_TRUE(box.Post({MessageKind::kRelease, 1, 5}));
  EXPECT_TRUE(box.Post({MessageKind::kCall, 2, 6, 9}));
  auto m = box.Take();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].kind, MessageKind::kRelease);
  EXPECT_EQ(m[1].call, 9u);
  EXPECT_TRUE(box.Take().empty());
}

TEST(MailboxTest, AClosedMailboxDropsEverything) {
  Mailbox box;
  box.Post({MessageKind::kReply, 1});
  box.Close();
  EXPECT_TRUE(box.Take().empty());
  EXPECT_FALSE(box.Post({MessageKind::kReply, 1}));
  EXPECT_EQ(MessageKindName(MessageKind::kReply), "reply");
}

}  // namespace
}  // namespace gcs::core
