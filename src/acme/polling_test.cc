#include "acme/polling.h"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(seconds(1'700'000'000));

TEST(PollingTest, StartsShortAndGrowsByHalfUpToTheCap) {
  PollPolicy policy;  // 2 ms, ×1.5 rounded up, cap 1.5 s
  std::vector<Duration> delays;
  for (int attempt = 0; attempt < 22; ++attempt) {
    delays.push_back(*NextPollDelay(policy, attempt, std::nullopt, kStart, kStart));
  }
  EXPECT_EQ(delays[0], milliseconds(2))
      << "the first poll must come quickly (Pebble validates in ms)";
  EXPECT_EQ(delays[1], milliseconds(3));
  EXPECT_EQ(delays[2], milliseconds(5)) << "4.5 ms rounds up";
  EXPECT_EQ(delays[3], milliseconds(8));
  EXPECT_EQ(delays[15], milliseconds(1065));
  EXPECT_EQ(delays[16], milliseconds(1500)) << "capped at max_delay";
  EXPECT_EQ(delays[21], milliseconds(1500));
  Duration first_second{0};
  int polls = 0;
  for (; first_second < seconds(1); ++polls) first_second += delays[static_cast<size_t>(polls)];
  EXPECT_LE(polls, 14) << "a CA that takes a second must not be polled more often than this";
}

TEST(PollingTest, OneMillisecondFirstDelayStillGrows) {
  PollPolicy policy;
  policy.first_delay = milliseconds(1);
  EXPECT_EQ(*NextPollDelay(policy, 1, std::nullopt, kStart, kStart), milliseconds(2));
  EXPECT_EQ(*NextPollDelay(policy, 2, std::nullopt, kStart, kStart), milliseconds(3));
}

TEST(PollingTest, HugeAttemptNumbersDoNotOverflow) {
  EXPECT_EQ(*NextPollDelay(PollPolicy{}, 1'000'000, std::nullopt, kStart, kStart),
            milliseconds(1500));
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
