#include "issuance/retry_policy.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

RetryPolicy NoJitter() { return RetryPolicy{.jitter_percent = 0}; }

TEST(RetryDelayTest, FirstFailureWaitsAboutAMinute) {
  EXPECT_EQ(RetryDelay(NoJitter(), 1, 12345), minutes(1));
}

TEST(RetryDelayTest, DoublesPerConsecutiveFailure) {
  EXPECT_EQ(RetryDelay(NoJitter(), 2, 0), minutes(2));
  EXPECT_EQ(RetryDelay(NoJitter(), 3, 0), minutes(4));
  EXPECT_EQ(RetryDelay(NoJitter(), 6, 0), minutes(32));
}

TEST(RetryDelayTest, IsCappedAtOneDayEvenForHugeCounts) {
  EXPECT_EQ(RetryDelay(NoJitter(), 12, 0), hours(24));
  EXPECT_EQ(RetryDelay(NoJitter(), 1'000'000, 0), hours(24)) << "must not overflow";
  EXPECT_LE(RetryDelay(RetryPolicy{}, 1'000'000, 77), hours(24)) << "jitter must not pass the cap";
}

TEST(RetryDelayTest, ZeroOrNegativeCountIsTreatedAsTheFirstFailure) {
  EXPECT_EQ(RetryDelay(NoJitter(), 0, 0), minutes(1));
  EXPECT_EQ(RetryDelay(NoJitter(), -3, 0), minutes(1));
}

TEST(RetryDelayTest, JitterStaysWithinFifteenPercentAndVaries) {
  const RetryPolicy policy;
  Duration low = hours(1), high{0};
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    const Duration d = RetryDelay(policy, 3, seed * 2654435761u);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_GE(low, seconds(204)) << "4 min - 15% is the lowest allowed delay";
  EXPECT_LE(high, seconds(276)) << "4 min + 15% is the highest allowed delay";
  EXPECT_LT(low, seconds(220)) << "jitter should reach well below the base delay";
  EXPECT_GT(high, seconds(260)) << "jitter should reach well above the base delay";
}

TEST(NextAttemptTest, IsNowPlusTheDelay) {
  const TimePoint now = TimePoint(seconds(1'700'000'000));
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), now, 2, std::nullopt, 0), now + minutes(2));
}

TEST(NextAttemptTest, HonoursALongerRetryAfter) {
  const TimePoint now = TimePoint(seconds(1'700'000'000));
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), now, 1, hours(3), 0), now + hours(3))
      << "a rateLimited Retry-After of 3 h must delay the retry to 3 h";
}

TEST(NextAttemptTest, IgnoresAShorterRetryAfter) {
  const TimePoint now = TimePoint(seconds(1'700'000'000));
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), now, 4, seconds(5), 0), now + minutes(8));
}

}  // namespace
}  // namespace certfleet::issuance
