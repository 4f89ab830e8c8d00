#include "issuance/ari_schedule.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::hours;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr hours kDay{24};

TEST(AriScheduleTest, AsksAgainAtTheCasRetryAfterClampedToAnHourAndADay) {
  EXPECT_EQ(AriAskAgainAt(kNow, hours(6)), kNow + hours(6));
  EXPECT_EQ(AriAskAgainAt(kNow, std::chrono::seconds(5)), kNow + kMinAriPoll)
      << "a CA asking every few seconds would turn 10,000 certificates into a request storm";
  EXPECT_EQ(AriAskAgainAt(kNow, 30 * kDay), kNow + kMaxAriPoll)
      << "a window moved after a mass revocation must be seen within a day";
  EXPECT_EQ(AriAskAgainAt(kNow, std::nullopt), kNow + kDefaultAriPoll);
}

TEST(AriScheduleTest, AValidDomainIsClaimedAtItsNextPollWhenThatComesBeforeItsRenewal) {
  EXPECT_EQ(NextClaimWhileValid(kNow + 30 * kDay, kNow + hours(6)), kNow + hours(6));
  EXPECT_EQ(NextClaimWhileValid(kNow + hours(1), kNow + hours(6)), kNow + hours(1));
  EXPECT_EQ(NextClaimWhileValid(kNow + 30 * kDay, std::nullopt), kNow + 30 * kDay)
      << "no renewal information, no polls";
}

TEST(AriScheduleTest, OnlyAClaimAtTheRecordedAskAgainTimeIsAPoll) {
  const TimePoint ask = kNow - std::chrono::seconds(3);
  EXPECT_TRUE(IsAriPoll(kNow + kDay, ask, ask, kNow));
  EXPECT_FALSE(IsAriPoll(kNow + kDay, kNow, ask, kNow))
      << "the issue button (next attempt = when it was pressed) orders";
  EXPECT_FALSE(IsAriPoll(kNow - kDay, ask, ask, kNow)) << "at the renewal point it renews";
  EXPECT_FALSE(IsAriPoll(kNow + kDay, ask, std::nullopt, kNow));
  EXPECT_FALSE(IsAriPoll(std::nullopt, ask, ask, kNow));
}

TEST(AriScheduleTest, PastTheRenewalPointTheRecheckWaitsForAPacingSlot) {
  const TimePoint ask = kNow - std::chrono::seconds(3);
  EXPECT_EQ(PlanValidClaim(kNow - kDay, kNow, ask, kNow, std::nullopt), ValidClaim::kRecheck);
  EXPECT_EQ(PlanValidClaim(kNow - kDay, kNow, ask, kNow, kNow + hours(2)), ValidClaim::kDefer)
      << "a recheck only matters to the order after it: no slot, no renewalInfo request";
  EXPECT_EQ(PlanValidClaim(kNow + kDay, ask, ask, kNow, kNow + hours(2)), ValidClaim::kPoll)
      << "a poll's usual answer (not yet) needs no slot";
  EXPECT_EQ(PlanValidClaim(kNow + kDay, kNow, ask, kNow, std::nullopt), ValidClaim::kOrder)
      << "the issue button orders without asking";
}

CertificateTimes NinetyDays(TimePoint window_start, TimePoint window_end) {
  return {kNow - 20 * kDay, kNow + 70 * kDay, window_start, window_end};
}

TEST(AriScheduleTest, AWindowThatHasBegunRenewsNow) {
  const AriDecision d = AfterRenewalInfo(NinetyDays(kNow - hours(1), kNow + hours(23)),
                                         kNow + 40 * kDay, kNow + hours(6), kNow, 7);
  EXPECT_TRUE(d.renew_now) << "a mass revocation's \"renew now\" must not wait for day 60";
}

TEST(AriScheduleTest, AnUnchangedWindowKeepsTheRenewalPointAndPollsAgain) {
  const TimePoint renew_at = kNow + 40 * kDay + hours(5);
  const AriDecision d = AfterRenewalInfo(NinetyDays(kNow + 40 * kDay, kNow + 42 * kDay), renew_at,
                                         kNow + hours(6), kNow, 7);
  EXPECT_FALSE(d.renew_now);
  EXPECT_EQ(d.renew_at, renew_at) << "no new random point at every poll";
  EXPECT_EQ(d.next_attempt_at, kNow + hours(6));
}

TEST(AriScheduleTest, AWindowMovedEarlierMovesTheRenewalPointIntoIt) {
  const AriDecision d = AfterRenewalInfo(NinetyDays(kNow + 2 * kDay, kNow + 3 * kDay),
                                         kNow + 40 * kDay, kNow + 2 * kDay + hours(1), kNow, 7);
  EXPECT_FALSE(d.renew_now);
  EXPECT_GE(d.renew_at, kNow + 2 * kDay);
  EXPECT_LE(d.renew_at, kNow + 3 * kDay);
  EXPECT_EQ(d.next_attempt_at, std::min(d.renew_at, kNow + 2 * kDay + hours(1)));
}

// A 45-day certificate whose CA window (days 30-31) ends past the latest renewal point is
// renewed in the window moved a day earlier; a poll that brings the same window again
// keeps the point chosen in it.
TEST(AriScheduleTest, AWindowMovedBeforeTheWarningHorizonKeepsItsPointAcrossPolls) {
  const TimePoint issued = kNow - 10 * kDay;
  const CertificateTimes cert{issued, issued + 45 * kDay, issued + 30 * kDay, issued + 31 * kDay};
  const TimePoint renew_at = RenewAt(cert, kNow, 7);
  ASSERT_LE(renew_at, issued + 30 * kDay);
  const AriDecision d = AfterRenewalInfo(cert, renew_at, kNow + hours(6), kNow, 8);
  EXPECT_FALSE(d.renew_now);
  EXPECT_EQ(d.renew_at, renew_at) << "no new random point at every poll";
}

}  // namespace
}  // namespace certfleet::issuance
