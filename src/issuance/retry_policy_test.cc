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

const TimePoint kNow = TimePoint(seconds(1'700'000'000));

Failure Nth(int count) { return Failure{.now = kNow, .failure_count = count}; }

TEST(NextAttemptTest, IsNowPlusTheDelay) {
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), Nth(2)), kNow + minutes(2));
}

TEST(NextAttemptTest, HonoursALongerRetryAfter) {
  Failure failure = Nth(1);
  failure.retry_after = hours(3);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + hours(3))
      << "a rateLimited Retry-After of 3 h must delay the retry to 3 h";
}

TEST(NextAttemptTest, IgnoresAShorterRetryAfter) {
  Failure failure = Nth(4);
  failure.retry_after = seconds(5);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + minutes(8));
}

TEST(NextAttemptTest, MinimumDelayRaisesTheBackoff) {
  Failure failure = Nth(1);
  failure.minimum_delay = hours(1);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + hours(1));
}

TEST(NextAttemptTest, FarFromExpiryTheBackoffIsUntouched) {
  Failure failure = Nth(12);  // 24 h backoff
  failure.not_after = kNow + hours(24 * 30);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + hours(24))
      << "with 30 days left a one-day backoff is below a tenth of the remaining life";
}

TEST(NextAttemptTest, NearExpiryTheWaitShrinksWithTheRemainingLife) {
  Failure failure = Nth(12);  // 24 h backoff
  failure.not_after = kNow + hours(24 * 3);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + minutes(432))
      << "a 6-day certificate with 3 days left must be retried within 3 days / 10";
  failure.not_after = kNow + hours(1);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + minutes(6));
}

TEST(NextAttemptTest, TheIssue20IncidentIsRetriedBeforeExpiry) {
  // 300-second certificate, renewal at 150 s failed twice while the CA was down: the old
  // rule waited 2 min (past expiry); now the wait is bounded by the life left.
  Failure failure = Nth(2);
  failure.not_after = kNow + seconds(90);
  const TimePoint next = NextAttemptAfterFailure(NoJitter(), failure);
  EXPECT_EQ(next, kNow + seconds(15)) << "90 s left: max(15 s floor, 9 s)";
  EXPECT_LT(next, *failure.not_after);
}

TEST(NextAttemptTest, NeverRetriesFasterThanTheFloor) {
  Failure failure = Nth(3);
  failure.not_after = kNow + seconds(20);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + seconds(15));
}

TEST(NextAttemptTest, AnExpiredCertificateIsRetriedAtLeastHourly) {
  Failure failure = Nth(12);
  failure.not_after = kNow - hours(2);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + hours(1));
  failure.failure_count = 2;
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + minutes(2))
      << "a shorter backoff stays as it is";
}

TEST(NextAttemptTest, TheCasRetryAfterWinsOverTheCap) {
  Failure failure = Nth(1);
  failure.not_after = kNow + minutes(30);
  failure.retry_after = hours(2);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + hours(2))
      << "the CA said not before 2 h; asking earlier only earns more refusals";
}

TEST(NextAttemptTest, OurOwnMinimumDelayIsCappedNearExpiry) {
  Failure failure = Nth(1);
  failure.minimum_delay = hours(1);  // rateLimited without Retry-After
  failure.not_after = kNow + minutes(30);
  EXPECT_EQ(NextAttemptAfterFailure(NoJitter(), failure), kNow + minutes(3));
}

TEST(NextAttemptTest, CappedDelaysStillSpreadOut) {
  const RetryPolicy policy;  // 15 % jitter
  Failure failure = Nth(12);
  failure.not_after = kNow + hours(10);  // cap 1 h
  TimePoint low = kNow + hours(2), high = kNow;
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    failure.seed = seed * 2654435761u;
    const TimePoint t = NextAttemptAfterFailure(policy, failure);
    low = std::min(low, t);
    high = std::max(high, t);
  }
  EXPECT_LE(high, kNow + hours(1)) << "jitter must never push a capped retry past the cap";
  EXPECT_GE(low, kNow + minutes(51)) << "at most 15 % below the cap";
  EXPECT_LT(low, kNow + minutes(54)) << "domains that failed together must spread out";
}

TEST(RemainingLifeCapTest, DivisorZeroDisablesTheRule) {
  RetryPolicy policy = NoJitter();
  policy.remaining_life_divisor = 0;
  EXPECT_EQ(RemainingLifeCap(policy, seconds(60)), Duration::max());
}

}  // namespace
}  // namespace certfleet::issuance
