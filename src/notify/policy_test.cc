#include "notify/policy.h"

#include <gtest/gtest.h>

namespace certfleet::notify {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = TimePoint(seconds(1'700'000'000));
const std::vector<int> kThresholds{30, 14, 7, 1};

TEST(RetryDelayTest, DoublesFromTheBaseUntilTheCap) {
  RetryPolicy p{.base = seconds(30), .cap = hours(1)};
  EXPECT_EQ(RetryDelay(p, 1), seconds(30));
  EXPECT_EQ(RetryDelay(p, 2), seconds(60));
  EXPECT_EQ(RetryDelay(p, 5), seconds(480));
  EXPECT_EQ(RetryDelay(p, 8), hours(1)) << "30 s · 2^7 = 64 min must be capped at 1 h";
  EXPECT_EQ(RetryDelay(p, 1000), hours(1)) << "huge attempt counts must not overflow";
}

TEST(DueExpiryThresholdTest, NothingWhileMoreThanTheLargestThresholdRemains) {
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(31), kThresholds), std::nullopt);
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(30) + seconds(1), kThresholds), std::nullopt);
}

TEST(DueExpiryThresholdTest, PicksTheSmallestThresholdCrossed) {
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(30), kThresholds), 30);
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(20), kThresholds), 30);
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(10), kThresholds), 14)
      << "a hub that missed the 30-day warning sends the 14-day one, not both";
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + days(7), kThresholds), 7);
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow + hours(12), kThresholds), 1);
}

TEST(DueExpiryThresholdTest, ExpiredCertificatesGiveZero) {
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow, kThresholds), 0);
  EXPECT_EQ(DueExpiryThreshold(kNow, kNow - days(3), kThresholds), 0);
}

TEST(AgentOverdueTest, OnlyAgentsThatReportedAndThenWentQuiet) {
  EXPECT_FALSE(AgentOverdue(kNow, std::nullopt, hours(1))) << "no agent installed yet";
  EXPECT_FALSE(AgentOverdue(kNow, kNow - minutes(59), hours(1)));
  EXPECT_TRUE(AgentOverdue(kNow, kNow - minutes(61), hours(1)));
}

TEST(HumanDurationTest, ReadsLikeAPersonWouldSayIt) {
  EXPECT_EQ(HumanDuration(seconds(12)), "12 s");
  EXPECT_EQ(HumanDuration(minutes(45)), "45 min");
  EXPECT_EQ(HumanDuration(hours(5) + minutes(20)), "5 h 20 min");
  EXPECT_EQ(HumanDuration(hours(30)), "1 day 6 h");
  EXPECT_EQ(HumanDuration(days(7) + hours(3)), "7 days");
}

TEST(HumanTimeTest, MinutesInUtc) { EXPECT_EQ(HumanTime(kNow), "2023-11-14 22:13 UTC"); }

}  // namespace
}  // namespace certfleet::notify
