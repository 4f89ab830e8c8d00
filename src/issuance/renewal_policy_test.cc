#include "issuance/renewal_policy.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::days;
using std::chrono::hours;

const TimePoint kIssued = TimePoint(std::chrono::seconds(1'700'000'000));

CertificateTimes Lifetime(Duration lifetime) {
  return CertificateTimes{.not_before = kIssued, .not_after = kIssued + lifetime};
}

TEST(RenewAtTest, NinetyDayCertificateRenewsAtTwoThirdsOfItsLifetime) {
  EXPECT_EQ(RenewAt(Lifetime(days(90)), kIssued, 7), kIssued + days(60))
      << "without ARI a 90-day certificate renews after 60 days";
}

// The longest validity a parsed certificate can carry (crypto::Certificate clamps into
// 1970..2261): 2/3 of ~292 years in nanoseconds must not overflow (lifetime * 2 did).
TEST(RenewAtTest, CenturiesLongCertificateRenewsAtTwoThirdsWithoutOverflow) {
  const TimePoint not_after = TimePoint(std::chrono::sys_days(std::chrono::year(2261) / 12 / 31));
  const CertificateTimes cert{.not_before = TimePoint{}, .not_after = not_after};
  const TimePoint renew = RenewAt(cert, kIssued, 7);
  const double fraction = std::chrono::duration<double>(renew.time_since_epoch()).count() /
                          std::chrono::duration<double>(not_after.time_since_epoch()).count();
  EXPECT_NEAR(fraction, 2.0 / 3.0, 1e-9);
}

TEST(RenewAtTest, TwoThirdsIsExactToTheNanosecond) {
  // A lifetime of 3q + 2 ns: 2/3 of it is 2q + 1 ns (rounded down, as lifetime * 2 / 3 was).
  const CertificateTimes cert{.not_before = kIssued,
                              .not_after = kIssued + days(90) + std::chrono::nanoseconds(2)};
  EXPECT_EQ(RenewAt(cert, kIssued, 7), kIssued + days(60) + std::chrono::nanoseconds(1));
}

TEST(RenewAtTest, ShortLivedCertificateRenewsAtHalfItsLifetime) {
  EXPECT_EQ(RenewAt(Lifetime(days(6)), kIssued, 7), kIssued + days(3))
      << "a certificate under 10 days renews at 1/2 of its lifetime";
}

TEST(RenewAtTest, TenDayCertificateIsNotShortLived) {
  EXPECT_EQ(RenewAt(Lifetime(days(9)), kIssued, 0), kIssued + hours(108));
  EXPECT_EQ(RenewAt(Lifetime(days(60)), kIssued, 0), kIssued + days(40));
}

TEST(RenewAtTest, FortyFiveDayCertificateRenewsWithAThirdLeft) {
  EXPECT_EQ(RenewAt(Lifetime(days(45)), kIssued, 0), kIssued + days(30));
}

// A 30-day certificate's warning horizon is a third of its life (10 days): renewing at 2/3
// would put its first attempt right at the horizon, too late to warn about a failure.
TEST(RenewAtTest, ThirtyDayCertificateRenewsADayBeforeItsWarningHorizon) {
  EXPECT_EQ(WarningHorizon(days(30)), days(10));
  EXPECT_EQ(RenewAt(Lifetime(days(30)), kIssued, 0), kIssued + days(19));
}

TEST(WarningHorizonTest, FourteenDaysOrAThirdOfAShorterLife) {
  EXPECT_EQ(WarningHorizon(days(90)), days(14));
  EXPECT_EQ(WarningHorizon(days(45)), days(14));
  EXPECT_EQ(WarningHorizon(days(6)), days(2));
}

TEST(LatestRenewalTest, ADayOrATwelfthOfTheLifetimeBeforeTheWarningHorizon) {
  EXPECT_EQ(LatestRenewal(Lifetime(days(90))), kIssued + days(75));
  EXPECT_EQ(LatestRenewal(Lifetime(days(45))), kIssued + days(30));
  EXPECT_EQ(LatestRenewal(Lifetime(days(6))), kIssued + hours(84));
  EXPECT_EQ(LatestRenewal(Lifetime(std::chrono::seconds(60))), kIssued + std::chrono::seconds(35));
  EXPECT_EQ(RenewAt(Lifetime(days(6)), kIssued, 0), kIssued + days(3)) << "half comes first";
}

// Issue 20's 45-day finding: a CA window reaching into the last day before the 14-day
// horizon is moved earlier (same width), so every point leaves a day to warn in.
TEST(RenewAtTest, AriWindowEndingPastTheLatestRenewalIsMovedEarlier) {
  CertificateTimes cert = Lifetime(days(45));
  cert.ari_window_start = kIssued + days(30);
  cert.ari_window_end = kIssued + days(31);
  const auto window = UsableAriWindow(cert);
  ASSERT_TRUE(window);
  EXPECT_EQ(window->start, kIssued + days(29));
  EXPECT_EQ(window->end, kIssued + days(30));
  for (std::uint64_t seed : {0ull, 1ull, 123456789ull, ~0ull}) {
    const TimePoint at = RenewAt(cert, kIssued, seed);
    EXPECT_GE(at, kIssued + days(29)) << "seed " << seed;
    EXPECT_LE(at, kIssued + days(30)) << "seed " << seed << " renews with < 15 days left";
  }
  EXPECT_NE(RenewAt(cert, kIssued, 42), RenewAt(cert, kIssued, 4242)) << "still spread";
}

TEST(RenewAtTest, AriWindowInTheFutureGivesAPointInsideIt) {
  CertificateTimes cert = Lifetime(days(90));
  cert.ari_window_start = kIssued + days(70);
  cert.ari_window_end = kIssued + days(72);
  for (std::uint64_t seed : {0ull, 1ull, 123456789ull, ~0ull}) {
    const TimePoint at = RenewAt(cert, kIssued, seed);
    EXPECT_GE(at, *cert.ari_window_start) << "seed " << seed << " chose a time before the window";
    EXPECT_LE(at, *cert.ari_window_end) << "seed " << seed << " chose a time after the window";
  }
}

TEST(RenewAtTest, AriChoiceIsDeterministicForASeedAndSpreadAcrossSeeds) {
  CertificateTimes cert = Lifetime(days(90));
  cert.ari_window_start = kIssued + days(70);
  cert.ari_window_end = kIssued + days(72);
  EXPECT_EQ(RenewAt(cert, kIssued, 42), RenewAt(cert, kIssued, 42));
  EXPECT_NE(RenewAt(cert, kIssued, 42), RenewAt(cert, kIssued, 4242))
      << "different seeds should spread renewals over the window";
}

TEST(RenewAtTest, AriWindowAlreadyPastMeansNow) {
  CertificateTimes cert = Lifetime(days(90));
  cert.ari_window_start = kIssued + days(1);
  cert.ari_window_end = kIssued + days(2);
  const TimePoint now = kIssued + days(5);
  EXPECT_EQ(RenewAt(cert, now, 99), now) << "a past window must renew immediately";
}

TEST(RenewAtTest, AriWindowOverridesTheLifetimeRule) {
  CertificateTimes cert = Lifetime(days(90));
  cert.ari_window_start = kIssued + days(10);
  cert.ari_window_end = kIssued + days(10);
  EXPECT_EQ(RenewAt(cert, kIssued, 5), kIssued + days(10))
      << "the CA's window (e.g. after a revocation notice) wins over 2/3 of the lifetime";
}

TEST(RenewAtTest, InvertedAriWindowIsIgnored) {
  CertificateTimes cert = Lifetime(days(90));
  cert.ari_window_start = kIssued + days(80);
  cert.ari_window_end = kIssued + days(70);
  EXPECT_EQ(RenewAt(cert, kIssued, 5), kIssued + days(60));
}

TEST(NeedsNewOrderTest, SameNamesInAnotherOrderNeedNoOrder) {
  IssuanceSpec current{{"a.example.com", "b.example.com"}, "ec-p256", ""};
  IssuanceSpec desired{{"b.example.com", "a.example.com"}, "ec-p256", ""};
  EXPECT_FALSE(NeedsNewOrder(current, desired));
}

TEST(NeedsNewOrderTest, AddedOrRemovedSanNeedsOrder) {
  IssuanceSpec current{{"a.example.com"}, "ec-p256", ""};
  IssuanceSpec desired{{"a.example.com", "www.a.example.com"}, "ec-p256", ""};
  EXPECT_TRUE(NeedsNewOrder(current, desired)) << "an added SAN must trigger a new order";
  EXPECT_TRUE(NeedsNewOrder(desired, current)) << "a removed SAN must trigger a new order";
}

TEST(NeedsNewOrderTest, ChangedKeyTypeNeedsOrder) {
  EXPECT_TRUE(
      NeedsNewOrder({{"a.example.com"}, "ec-p256", ""}, {{"a.example.com"}, "rsa-2048", ""}));
}

TEST(NeedsNewOrderTest, ChangedProfileNeedsOrder) {
  EXPECT_TRUE(NeedsNewOrder({{"a.example.com"}, "ec-p256", ""},
                            {{"a.example.com"}, "ec-p256", "shortlived"}));
}

}  // namespace
}  // namespace certfleet::issuance
