#include "issuance/capacity.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kNow = FakeClock().Now();
constexpr Duration kWindow = hours(3);
constexpr Duration kSecond = std::chrono::seconds(1);

// `n` renewal points spread evenly over `spread` from `first`, each certificate ending
// `left` after its renewal point.
CapacityDemand Spread(int n, TimePoint first, Duration spread, Duration left) {
  CapacityDemand d;
  for (int i = 0; i < n; ++i) {
    const TimePoint at = first + spread * i / n;
    d.renewals.push_back({at, at + left});
  }
  return d;
}

TEST(CapacityTest, TenThousandSixDayCertificatesNeedMoreThanOneAccountAllows) {
  // Renewed at half their life: every 3 days, 3,334 a day against 300 per 3 h (2,400).
  const CapacityVerdict v =
      AssessCapacity(Spread(10'000, kNow + kSecond, days(3), days(3)), 300, kWindow, kNow);
  EXPECT_EQ(v.upcoming, 3'334) << "the renewal points within the next 24 h";
  EXPECT_EQ(v.allowed, 2'400);
  EXPECT_NEAR(v.share, 1.39, 0.01);
  EXPECT_TRUE(v.Warn()) << "the fleet needs 139 % of what the pacing allows";
  EXPECT_EQ(v.lapsing, 0) << "nothing ends within the day yet";
}

TEST(CapacityTest, TenThousandNinetyDayCertificatesFitEasily) {
  const CapacityVerdict v =
      AssessCapacity(Spread(10'000, kNow + kSecond, days(60), days(30)), 300, kWindow, kNow);
  EXPECT_EQ(v.upcoming, 167);
  EXPECT_LT(v.share, 0.1);
  EXPECT_FALSE(v.Warn()) << "7 % of the pacing limit needs no warning";
}

TEST(CapacityTest, AMassRevocationBacklogWarnsWithItsDrainTime) {
  // Every certificate due now (the CA's "renew now"), 84 days of life left.
  const CapacityVerdict v =
      AssessCapacity(Spread(10'000, kNow - hours(1), hours(1), days(84)), 300, kWindow, kNow);
  EXPECT_EQ(v.overdue, 10'000);
  EXPECT_TRUE(v.Warn());
  EXPECT_EQ(v.drain, hours(3 * 34)) << "34 windows of 300 for 10,000 orders";
  EXPECT_EQ(v.lapsing, 0);
}

TEST(CapacityTest, ABacklogEndingBeforeTheSlotsReachItCountsItsLapsesInTheBestOrder) {
  // 3,000 overdue renewals whose certificates end in 12 h: 4 windows of 300 reach 1,200.
  const CapacityVerdict v =
      AssessCapacity(Spread(3'000, kNow - hours(2), hours(1), hours(12)), 300, kWindow, kNow);
  EXPECT_EQ(v.lapsing, 1'800) << "even earliest-end-first reaches only 1,200 in time";
  ASSERT_TRUE(v.first_lapse);
  EXPECT_TRUE(v.Warn());
}

TEST(CapacityTest, FirstCertificatesAloneAreNoWarningButTakeTheirSlots) {
  CapacityDemand d;
  d.first_orders = 10'000;
  const CapacityVerdict v = AssessCapacity(d, 300, kWindow, kNow);
  EXPECT_FALSE(v.Warn()) << "a bulk import queues behind the pacing by design";
  EXPECT_EQ(v.drain, hours(3 * 34)) << "but it takes its slots";
  d.renewals = Spread(1'000, kNow + hours(1), hours(20), days(20)).renewals;
  EXPECT_FALSE(AssessCapacity(d, 300, kWindow, kNow).Warn()) << "1,000 renewals are 42 %";
}

TEST(CapacityTest, RenewalsAboveEightyPercentOfTheLimitWarn) {
  const auto verdict = [](int renewals) {
    return AssessCapacity(Spread(renewals, kNow + hours(1), hours(20), days(20)), 300, kWindow,
                          kNow);
  };
  EXPECT_TRUE(verdict(1'921).Warn());
  EXPECT_FALSE(verdict(1'920).Warn()) << "80 % exactly is within the margin";
}

TEST(CapacityTest, PacingDisabledNeverWarns) {
  const CapacityVerdict v =
      AssessCapacity(Spread(10'000, kNow - hours(1), hours(1), hours(1)), 0, kWindow, kNow);
  EXPECT_FALSE(v.Warn());
}

TEST(CapacityTest, SlotsUsedInTheCurrentWindowDelayTheNextOrders) {
  // 300 overdue renewals whose certificates end in 2 h: a fresh window starts them all now.
  CapacityDemand d = Spread(300, kNow - hours(1), Duration{0}, hours(3));
  const CapacityVerdict fresh = AssessCapacity(d, 300, kWindow, kNow);
  EXPECT_EQ(fresh.lapsing, 0);
  EXPECT_EQ(fresh.drain, hours(3));
  // The pacing started 300 orders an hour ago: no slot frees before 2 h from now.
  d.used_slots.assign(300, kNow - hours(1));
  const CapacityVerdict used = AssessCapacity(d, 300, kWindow, kNow);
  EXPECT_EQ(used.lapsing, 300) << "the check assumed slots the pacing had already used";
  ASSERT_TRUE(used.first_lapse);
  EXPECT_EQ(used.drain, hours(2 + 3));
  EXPECT_EQ(used.allowed, fresh.allowed) << "a used slot frees within the window and serves the "
                                            "day as often as a free one";
}

TEST(CapacityTest, OnlySlotsUsedWithinTheWindowCount) {
  CapacityDemand d = Spread(300, kNow - hours(1), Duration{0}, hours(3));  // end in 2 h
  d.used_slots.assign(150, kNow - hours(3));  // their window is over: free again
  d.used_slots.insert(d.used_slots.end(), 150, kNow - minutes(90));  // free in 1.5 h
  const CapacityVerdict v = AssessCapacity(d, 300, kWindow, kNow);
  EXPECT_EQ(v.lapsing, 0) << "150 start now, 150 at 1.5 h, all before their ends at 2 h";
  EXPECT_EQ(v.drain, minutes(90) + hours(3));
}

TEST(CapacityTest, TheMessageSaysWhatIsNeededAgainstTheLimitAndWhatToDo) {
  IssuerConfig issuer;
  issuer.name = "letsencrypt";
  const CapacityVerdict v =
      AssessCapacity(Spread(3'000, kNow - hours(2), hours(1), hours(12)), 300, kWindow, kNow);
  const std::string m = CapacityWarning{"letsencrypt", true, CapacitySummary(issuer, v)}.Message();
  for (const char* part :
       {"issuer letsencrypt: renewals due within 24 h: 3000 (3000 overdue)",
        "orders the pacing allows: 2400 (300 per 3 h), 125 %", "first certificates waiting: 0",
        "takes 30 h", "certificates that end before a pacing slot can reach them: 1800",
        "add ACME accounts", "higher limit", "longer-lived certificates"}) {
    EXPECT_NE(m.find(part), std::string::npos) << "missing \"" << part << "\" in: " << m;
  }
}

}  // namespace
}  // namespace certfleet::issuance
