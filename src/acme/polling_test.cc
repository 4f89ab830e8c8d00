#include "acme/polling.h"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(seconds(1'700'000'000));

TEST(PollingTest, StartsShortAndDoublesUpToTheCap) {
  PollPolicy policy;  // 2 ms, ×2, cap 1.5 s
  std::vector<Duration> delays;
  for (int attempt = 0; attempt < 12; ++attempt) {
    delays.push_back(*NextPollDelay(policy, attempt, std::nullopt, kStart, kStart));
  }
  EXPECT_EQ(delays[0], milliseconds(2)) << "the first poll must come quickly (Pebble validates in ms)";
  EXPECT_EQ(delays[1], milliseconds(4));
  EXPECT_EQ(delays[2], milliseconds(8));
  EXPECT_EQ(delays[9], milliseconds(1024));
  EXPECT_EQ(delays[10], milliseconds(1500)) << "capped at max_delay";
  EXPECT_EQ(delays[11], milliseconds(1500));
}

TEST(PollingTest, HugeAttemptNumbersDoNotOverflow) {
  EXPECT_EQ(*NextPollDelay(PollPolicy{}, 1'000'000, std::nullopt, kStart, kStart), milliseconds(1500));
}

TEST(PollingTest, HonoursRetryAfterCappedByPolicy) {
  PollPolicy policy;
  EXPECT_EQ(*NextPollDelay(policy, 0, seconds(3), kStart, kStart), seconds(3));
  EXPECT_EQ(*NextPollDelay(policy, 0, seconds(3600), kStart, kStart), policy.max_retry_after);
}

TEST(PollingTest, NeverSleepsPastTheDeadlineAndStopsAtIt) {
  PollPolicy policy;
  policy.deadline = seconds(5);
  EXPECT_EQ(*NextPollDelay(policy, 0, seconds(30), kStart, kStart + seconds(4)), seconds(1))
      << "the last poll happens at the deadline";
  EXPECT_FALSE(NextPollDelay(policy, 3, std::nullopt, kStart, kStart + seconds(5)));
}

}  // namespace
}  // namespace certfleet::acme
