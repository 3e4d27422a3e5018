// gcstress scheduler — tests: schedule: the gcs1 text form round-trips and rejects bad input
// exactly.
#include "harness/scheduler/schedule.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/scheduler/prng.h"

namespace gcs::sched {
namespace {

Schedule Make(uint64_t seed, std::string strategy, std::vector<Decision> decisions) {
  return Schedule{seed, std::move(strategy), std::move(decisions)};
}

TEST(FormatSchedule, WritesTheDocumentedExample) {
  const Schedule s =
      Make(42, "pct:depth=3,steps=64",
           {ThreadDecision(0), ThreadDecision(0), ThreadDecision(0), ThreadDecision(1),
            DrawDecision(9203711), ThreadDecision(0), ThreadDecision(1), ThreadDecision(1)});
  EXPECT_EQ(FormatSchedule(s), "gcs1:seed=42:strategy=pct:depth=3,steps=64:0x3.1.r9203711.0.1x2");
}

TEST(FormatSchedule, EmptyDecisionsEndWithTheSeparator) {
  EXPECT_EQ(FormatSchedule(Make(0, "random", {})), "gcs1:seed=0:strategy=random:");
}

TEST(FormatSchedule, DrawsAreNeverRunLengthEncoded) {
  EXPECT_EQ(FormatSchedule(Make(1, "random", {DrawDecision(5), DrawDecision(5)})),
            "gcs1:seed=1:strategy=random:r5.r5");
}

struct ValidCase {
  std::string text;
  Schedule expected;
  std::string canonical;
};

TEST(ParseSchedule, AcceptsValidText) {
  const uint64_t kMax64 = 18446744073709551615ULL;
  const ValidCase cases[] = {
      {"gcs1:seed=0:strategy=random:", Make(0, "random", {}), "gcs1:seed=0:strategy=random:"},
      {"gcs1:seed=42:strategy=pct:depth=3,steps=64:0x3.1.r9203711.0.1x2",
       Make(42, "pct:depth=3,steps=64",
            {ThreadDecision(0), ThreadDecision(0), ThreadDecision(0), ThreadDecision(1),
             DrawDecision(9203711), ThreadDecision(0), ThreadDecision(1), ThreadDecision(1)}),
       "gcs1:seed=42:strategy=pct:depth=3,steps=64:0x3.1.r9203711.0.1x2"},
      {"gcs1:seed=18446744073709551615:strategy=dfs:max-preemptions=2:4294967295."
       "r18446744073709551615.r0",
       Make(kMax64, "dfs:max-preemptions=2",
            {ThreadDecision(4294967295u), DrawDecision(kMax64), DrawDecision(0)}),
       "gcs1:seed=18446744073709551615:strategy=dfs:max-preemptions=2:4294967295."
       "r18446744073709551615.r0"},
      // Whitespace around the line (a file's trailing newline, CRLF, indentation) is ignored.
      {"gcs1:seed=7:strategy=round-robin:1.0\n",
       Make(7, "round-robin", {ThreadDecision(1), ThreadDecision(0)}),
       "gcs1:seed=7:strategy=round-robin:1.0"},
      {"  gcs1:seed=7:strategy=round-robin:1.0\r\n",
       Make(7, "round-robin", {ThreadDecision(1), ThreadDecision(0)}),
       "gcs1:seed=7:strategy=round-robin:1.0"},
      // Non-canonical runs are accepted and normalised.
      {"gcs1:seed=1:strategy=random:1.1.1x2",
       Make(1, "random", std::vector<Decision>(4, ThreadDecision(1))),
       "gcs1:seed=1:strategy=random:1x4"},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Expected<Schedule> parsed = ParseSchedule(c.text, "<flag>");
    ASSERT_TRUE(parsed.ok()) << parsed.error().Format();
    EXPECT_EQ(*parsed, c.expected);
    EXPECT_EQ(FormatSchedule(*parsed), c.canonical);
  }
}

struct BadCase {
  std::string text;
  std::string where;
  std::string message;
};

TEST(ParseSchedule, RejectsMalformedTextWithOffsetAndMessage) {
  const std::string p = "gcs1:seed=4:strategy=random:";  // 28 characters: decisions at 28
  const BadCase cases[] = {
      {"", "offset 0", "empty schedule"},
      {" \n", "offset 0", "empty schedule"},
      {"hello", "offset 0", "not a schedule (expected \"gcs1:\")"},
      {"gcs", "offset 0", "not a schedule (expected \"gcs1:\")"},
      {"gcs2:seed=1:strategy=random:", "offset 0",
       "unsupported schedule version \"gcs2\" (this build reads gcs1)"},
      {"  gcs10:", "offset 2", "unsupported schedule version \"gcs10\" (this build reads gcs1)"},
      {"gcs1", "offset 4", "expected \":\" after \"gcs1\", found end of input"},
      {"gcs1;seed=1", "offset 4", "expected \":\" after \"gcs1\", found ';'"},
      {"gcs1:", "offset 5", "expected \"seed=\""},
      {"gcs1:sed=1:strategy=random:", "offset 5", "expected \"seed=\""},
      {"gcs1:seed=:strategy=random:", "offset 10", "expected a seed, found ':'"},
      {"gcs1:seed=-1:strategy=random:", "offset 10", "expected a seed, found '-'"},
      {"gcs1:seed=012:strategy=random:", "offset 10", "leading zero in seed"},
      {"gcs1:seed=18446744073709551616:strategy=random:", "offset 10",
       "seed out of range (max 18446744073709551615)"},
      {"gcs1:seed=4", "offset 11", "expected \":\" after the seed, found end of input"},
      {"gcs1:seed=4x:strategy=random:", "offset 11", "expected \":\" after the seed, found 'x'"},
      {"gcs1:seed=4:strat=random:", "offset 12", "expected \"strategy=\""},
      {"gcs1:seed=4:strategy=random", "offset 27",
       "expected \":\" and the decisions after the strategy"},
      {"gcs1:seed=4:strategy=:0", "offset 21", "empty strategy"},
      {"gcs1:seed=4:strategy=Random:0", "offset 21", "invalid character 'R' in the strategy"},
      {"gcs1:seed=4:strategy=pct:depth=3", "offset 25",
       "expected a thread index or \"r\", found 'd'"},
      {p + "0..1", "offset 30", "empty decision"},
      {p + ".0", "offset 28", "empty decision"},
      {p + "0.", "offset 30", "expected a decision after \".\""},
      {p + "q", "offset 28", "expected a thread index or \"r\", found 'q'"},
      {p + "07", "offset 28", "leading zero in thread index"},
      {p + "4294967296", "offset 28", "thread index out of range (max 4294967295)"},
      {p + "0x", "offset 30", "expected a repeat count, found end of input"},
      {p + "0x1", "offset 30", "repeat count must be at least 2"},
      {p + "0x16777217", "offset 30", "repeat count out of range (max 16777216)"},
      {p + "r", "offset 29", "expected a draw value, found end of input"},
      {p + "r99999999999999999999", "offset 29",
       "draw value out of range (max 18446744073709551615)"},
      {p + "r5x2", "offset 30", "expected \".\" between decisions, found 'x'"},
      {p + "1 2", "offset 29", "expected \".\" between decisions, found ' '"},
      {p + "0\n1", "offset 29", "expected \".\" between decisions, found byte 0x0a"},
      {p + "0\x01", "offset 29", "expected \".\" between decisions, found byte 0x01"},
      {p + "0x9000000.1x9000000", "offset 38", "more than 16777216 decisions in a schedule"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Expected<Schedule> parsed = ParseSchedule(c.text, "repro.txt");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().file, "repro.txt");
    EXPECT_EQ(parsed.error().where, c.where);
    EXPECT_EQ(parsed.error().message, c.message);
  }
}

Schedule RandomSchedule(Xoshiro256& rng) {
  static const char* const kSpecs[] = {"random", "round-robin", "pct:depth=3,steps=64",
                                       "dfs:max-preemptions=2", "replay"};
  Schedule s;
  s.seed = rng.Next() >> rng.Below(64);
  s.strategy = kSpecs[rng.Below(std::size(kSpecs))];
  const uint64_t length = rng.Below(40);
  for (uint64_t i = 0; i < length; ++i) {
    if (rng.Below(4) == 0) {
      s.decisions.push_back(DrawDecision(rng.Next() >> rng.Below(64)));
    } else {
      s.decisions.push_back(ThreadDecision(rng.Below(rng.Below(2) == 0 ? 3 : 5000)));
    }
  }
  return s;
}

TEST(ParseSchedule, RoundTripsRandomSchedulesExactly) {
  Xoshiro256 rng(2024);
  for (int i = 0; i < 2000; ++i) {
    const Schedule s = RandomSchedule(rng);
    const std::string text = FormatSchedule(s);
    const Expected<Schedule> parsed = ParseSchedule(text, "<flag>");
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().Format();
    ASSERT_EQ(*parsed, s) << text;
    ASSERT_EQ(FormatSchedule(*parsed), text);
  }
}

// Mutated schedules: the parser must either reject with an in-range offset or accept something
// that formats and re-parses to itself — never crash or loop.
TEST(ParseSchedule, SurvivesMutatedInput) {
  Xoshiro256 rng(99);
  const std::string alphabet = "gcs1:seedrx.0123456789=-, \n\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string text = FormatSchedule(RandomSchedule(rng));
    const uint64_t edits = 1 + rng.Below(4);
    for (uint64_t e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng.Below(text.size());
      switch (rng.Below(3)) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(text.begin() + static_cast<long>(at), alphabet[rng.Below(alphabet.size())]);
          break;
        default:
          text[at] = alphabet[rng.Below(alphabet.size())];
          break;
      }
    }
    const Expected<Schedule> parsed = ParseSchedule(text, "fuzz");
    if (!parsed.ok()) {
      const std::string& where = parsed.error().where;
      ASSERT_EQ(where.rfind("offset ", 0), 0u) << where;
      ASSERT_LE(std::stoul(where.substr(7)), text.size()) << text;
      continue;
    }
    const Expected<Schedule> again = ParseSchedule(FormatSchedule(*parsed), "fuzz");
    ASSERT_TRUE(again.ok()) << text;
    ASSERT_EQ(*again, *parsed) << text;
  }
}

}  // namespace
}  // namespace gcs::sched
