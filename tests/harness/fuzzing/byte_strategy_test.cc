// gcstress fuzzing — tests: ByteStrategy follows the bytes, then is the random strategy.
#include "harness/fuzzing/byte_strategy.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/scheduler/random.h"

namespace gcs {
namespace {

using sched::ThreadIndex;

TEST(ByteStrategyTest, EachByteChoosesRunnableByteModN) {
  const std::vector<uint8_t> bytes = {0, 1, 5, 7, 200};
  ByteStrategy s(bytes);
  s.BeginExecution(42, 4);
  const std::vector<ThreadIndex> three = {0, 2, 3};
  const std::vector<ThreadIndex> two = {1, 3};
  EXPECT_EQ(s.NextThread(three, 0, true), 0u);  // 0 % 3
  EXPECT_EQ(s.NextThread(three, 0, true), 2u);  // 1 % 3
  EXPECT_EQ(s.NextThread(three, 2, true), 3u);  // 5 % 3 = 2
  EXPECT_EQ(s.NextThread(two, 3, true), 3u);    // 7 % 2 = 1
  EXPECT_EQ(s.NextThread(two, 3, false), 1u);   // 200 % 2 = 0
  EXPECT_EQ(s.BytesUsed(), 5u);
}

TEST(ByteStrategyTest, OutOfBytesItIsTheRandomStrategyOfTheSameSeed) {
  const std::vector<uint8_t> bytes = {1, 1};
  ByteStrategy s(bytes);
  sched::RandomStrategy random;
  s.BeginExecution(7, 3);
  random.BeginExecution(7, 3);
  const std::vector<ThreadIndex> runnable = {0, 1, 2};
  EXPECT_EQ(s.NextThread(runnable, 0, true), 1u);
  EXPECT_EQ(s.NextThread(runnable, 1, true), 1u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(s.NextThread(runnable, 0, true), random.NextThread(runnable, 0, true)) << i;
  }
  EXPECT_EQ(s.NextU64(), random.NextU64());
  EXPECT_EQ(s.BytesUsed(), 2u);
  EXPECT_EQ(s.Spec(), "random");
}

TEST(ByteStrategyTest, DrawsTakeUpToEightBytesLittleEndian) {
  const std::vector<uint8_t> bytes = {1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 0xbb};
  ByteStrategy s(bytes);
  s.BeginExecution(0, 2);
  EXPECT_EQ(s.NextU64(), 0x0807060504030201ULL);
  EXPECT_EQ(s.NextU64(), 0xbbaaULL);  // the last two bytes only
  EXPECT_EQ(s.BytesUsed(), 10u);
}

TEST(ByteStrategyTest, EveryExecutionStartsAtTheFirstByte) {
  const std::vector<uint8_t> bytes = {1, 0};
  ByteStrategy s(bytes);
  const std::vector<ThreadIndex> runnable = {0, 1};
  for (int execution = 0; execution < 3; ++execution) {
    s.BeginExecution(5, 2);
    EXPECT_EQ(s.NextThread(runnable, sched::kNoThread, false), 1u);
    EXPECT_EQ(s.NextThread(runnable, 1, true), 0u);
  }
}

}  // namespace
}  // namespace gcs
