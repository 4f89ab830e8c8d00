#include "issuance/ca_reachability.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint(seconds(1'700'000'000));

TEST(IsCaUnreachableTest, NetworkTimeoutAnd5xxAreUnreachable) {
  EXPECT_TRUE(IsCaUnreachable(Error{ErrorCode::kUnavailable, "connection refused"}));
  EXPECT_TRUE(IsCaUnreachable(Error{ErrorCode::kDeadlineExceeded, "timeout"}));
}

TEST(IsCaUnreachableTest, AnAnswerFromTheCaIsNot) {
  EXPECT_FALSE(IsCaUnreachable(Error{ErrorCode::kAcmeProblem, "validation failed"}));
  EXPECT_FALSE(IsCaUnreachable(Error{ErrorCode::kRateLimited, "slow down"}));
  EXPECT_FALSE(IsCaUnreachable(Error{ErrorCode::kInvalidArgument, "rejectedIdentifier"}));
}

TEST(CaReachabilityTest, StartsUpWithNothingToProbe) {
  CaReachability ca;
  EXPECT_FALSE(ca.IsDown());
  EXPECT_FALSE(ca.NextProbeAt());
}

TEST(CaReachabilityTest, DownSchedulesAProbeOneIntervalLater) {
  CaReachability ca({.probe_interval = seconds(30)});
  ca.MarkDown(kT0, "connection refused");
  EXPECT_TRUE(ca.IsDown());
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(30));
  EXPECT_EQ(ca.DownSince(), kT0);
  EXPECT_EQ(ca.LastError(), "connection refused");
}

TEST(CaReachabilityTest, MoreFailuresKeepTheOutageStartAndTheProbeTime) {
  CaReachability ca({.probe_interval = seconds(30)});
  ca.MarkDown(kT0, "a");
  ca.MarkDown(kT0 + seconds(10), "b");
  EXPECT_EQ(ca.DownSince(), kT0);
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(30))
      << "failing jobs must not push the probe further away";
  EXPECT_EQ(ca.LastError(), "b");
}

TEST(CaReachabilityTest, AFailedProbeSchedulesTheNextOne) {
  CaReachability ca({.probe_interval = seconds(30)});
  ca.MarkDown(kT0, "a");
  ca.ProbeFailed(kT0 + seconds(30), "still refused");
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(60));
  EXPECT_TRUE(ca.IsDown());
}

TEST(CaReachabilityTest, AProbeIsClaimedOncePerInterval) {
  CaReachability ca({.probe_interval = seconds(30)});
  EXPECT_FALSE(ca.ClaimProbe(kT0)) << "nothing to probe while the CA is up";
  ca.MarkDown(kT0, "a");
  EXPECT_FALSE(ca.ClaimProbe(kT0 + seconds(29)));
  EXPECT_TRUE(ca.ClaimProbe(kT0 + seconds(30)));
  EXPECT_FALSE(ca.ClaimProbe(kT0 + seconds(30))) << "a second thread must not probe as well";
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(60));
}

TEST(CaReachabilityTest, ADueDomainMayProbeOncePerSpacingWhileTheCaIsDown) {
  CaReachability ca({.probe_interval = minutes(10), .due_probe_spacing = seconds(5)});
  EXPECT_FALSE(ca.ClaimDueProbe(kT0)) << "nothing to probe while the CA is up";
  ca.MarkDown(kT0, "refused");
  EXPECT_FALSE(ca.ClaimDueProbe(kT0 + seconds(4))) << "the failed request was 4 s ago";
  EXPECT_TRUE(ca.ClaimDueProbe(kT0 + seconds(15)))
      << "a domain due 15 s after the failure must not wait for the probe in 10 min";
  EXPECT_FALSE(ca.ClaimDueProbe(kT0 + seconds(15))) << "one probe for concurrent due domains";
  ca.ProbeFailed(kT0 + seconds(16), "still refused");
  EXPECT_FALSE(ca.ClaimDueProbe(kT0 + seconds(20)));
  EXPECT_TRUE(ca.ClaimDueProbe(kT0 + seconds(21)));
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(16) + minutes(10))
      << "the regular probe follows the last failed one";
}

TEST(CaReachabilityTest, TheFirstAnswerEndsTheOutageOnce) {
  CaReachability ca;
  ca.MarkDown(kT0, "a");
  EXPECT_TRUE(ca.MarkUp(kT0 + seconds(40), true)) << "the caller must wake the failed domains";
  EXPECT_FALSE(ca.MarkUp(kT0 + seconds(41), false)) << "only the first answer ends the outage";
  EXPECT_FALSE(ca.IsDown());
  EXPECT_FALSE(ca.NextProbeAt());
}

TEST(CaReachabilityTest, AnAnswerWhileUpIsNotAnOutageEnd) {
  CaReachability ca;
  EXPECT_FALSE(ca.MarkUp(kT0, false));
}

TEST(CaReachabilityTest, FlappingAfterAProbeDoublesTheProbeInterval) {
  CaReachability ca({.probe_interval = seconds(30), .max_probe_interval = minutes(2)});
  ca.MarkDown(kT0, "a");
  ASSERT_TRUE(ca.MarkUp(kT0 + seconds(30), true));
  ca.MarkDown(kT0 + seconds(31), "the API is still down behind a cached directory");
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(91));
  ASSERT_TRUE(ca.MarkUp(kT0 + seconds(91), true));
  ca.MarkDown(kT0 + seconds(92), "again");
  EXPECT_EQ(ca.CurrentProbeInterval(), minutes(2));
  ASSERT_TRUE(ca.MarkUp(kT0 + seconds(212), true));
  ca.MarkDown(kT0 + seconds(213), "again");
  EXPECT_EQ(ca.CurrentProbeInterval(), minutes(2)) << "capped at max_probe_interval";
}

TEST(CaReachabilityTest, ARealAnswerResetsTheProbeInterval) {
  CaReachability ca({.probe_interval = seconds(30), .max_probe_interval = minutes(2)});
  ca.MarkDown(kT0, "a");
  ASSERT_TRUE(ca.MarkUp(kT0 + seconds(30), true));
  ca.MarkDown(kT0 + seconds(31), "b");
  ASSERT_EQ(ca.CurrentProbeInterval(), seconds(60));
  ASSERT_TRUE(ca.MarkUp(kT0 + seconds(91), false));
  EXPECT_EQ(ca.CurrentProbeInterval(), seconds(30));
  ca.MarkDown(kT0 + seconds(500), "c");
  EXPECT_EQ(ca.NextProbeAt(), kT0 + seconds(530));
}

}  // namespace
}  // namespace certfleet::issuance
