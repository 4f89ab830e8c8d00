// Issue 20's named scenarios on the deterministic fleet simulation (fleet_sim.h), small
// enough for CI: every certificate lifetime through random CA and agent outages, a mass
// revocation answered by ARI under the order pacing limit, a burst of new domains, 5xx and
// badNonce answers, agents offline and nginx refusing configurations. Each has its own
// assertion; the mass revocation has its negative control (the hub before ARI polling).
// bench/sim_fleet.sh runs the same scenarios at 10,000 domains and prints the table.
#include <gtest/gtest.h>

#include <iostream>

#include "issuance/renewal_policy.h"
#include "sim/fleet_sim.h"
#include "sim/scenarios.h"

namespace certfleet::sim {
namespace {

using std::chrono::hours;
constexpr hours kDay{24};

void ExpectNoLapse(const FleetResult& r) {
  EXPECT_TRUE(r.expiries.empty()) << Describe(r);
  EXPECT_TRUE(r.served_expired.empty()) << "nginx served an expired certificate: " << Describe(r);
  EXPECT_EQ(r.NotWarnedInTime(), 0)
      << "a certificate neared its end without a timely warning: " << Describe(r);
}

// Two years of outages cost CI mostly in probes (every 30 s through each outage, whatever
// the fleet size): the two-year fleets probe every 5 min here. The 30-s wake itself is
// NeverExpiredTest.TheCaReturningWakesEveryFailedDomainWithinAProbeInterval; the
// benchmark keeps the default.
FleetConfig CiStormy(int domains, Duration lifetime, Duration length, std::uint64_t seed) {
  FleetConfig c = Stormy(domains, lifetime, length, seed);
  c.reachability.probe_interval = std::chrono::minutes(5);
  return c;
}

TEST(SimScenariosTest, NinetyDayCertificatesThroughTwoYearsOfOutagesUpToSevenDays) {
  const FleetResult r = RunFleet(CiStormy(30, 90 * kDay, 730 * kDay, 90));
  std::cout << "[sim] 90-day stormy: " << Describe(r) << "\n";
  ExpectNoLapse(r);
  EXPECT_GE(r.issued, 30 * 11);
  EXPECT_LE(r.OrdersPerCertificate(), 1.5) << Describe(r);
}

TEST(SimScenariosTest, FortyFiveDayCertificatesThroughTwoYearsOfOutagesUpToSevenDays) {
  const FleetResult r = RunFleet(CiStormy(30, 45 * kDay, 730 * kDay, 45));
  std::cout << "[sim] 45-day stormy: " << Describe(r) << "\n";
  ExpectNoLapse(r);
  EXPECT_GE(r.issued, 30 * 23);
}

// The 45-day finding: the CA's ARI window (days 30-31) reaches to the 14-day warning
// horizon. A renewal point late in it that fails (the CA down for a week around it) is
// warned about at the next expiry scan — minutes before the horizon, or up to a scan
// interval after it (2 of 94 at-risk certificates in a two-year run of 80 domains). The
// renewal point is now never later than a day before the horizon
// (issuance::LatestRenewal), so a failing first attempt is warned about a day ahead.
TEST(SimScenariosTest, FortyFiveDayRenewalsFailingAtTheirWindowAreWarnedADayBeforeTheHorizon) {
  FleetConfig config = Calm(50, 45 * kDay, 40 * kDay);
  config.world.extra_ca_outages = {{kSimStart + 29 * kDay, kSimStart + 36 * kDay}};
  config.reachability.probe_interval = std::chrono::minutes(5);
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 45-day, CA down across the renewal window: " << Describe(r) << "\n";
  ASSERT_EQ(r.at_risk.size(), 50u) << "every certificate's renewal must fail: " << Describe(r);
  EXPECT_EQ(r.NotWarnedInTime(), 0) << Describe(r);
  const Duration horizon = issuance::WarningHorizon(45 * kDay);
  for (const AtRisk& a : r.at_risk) {
    ASSERT_TRUE(a.warned_at) << a.domain << " was never warned about";
    const auto lead = std::chrono::duration_cast<Duration>(a.not_after - *a.warned_at);
    EXPECT_GE(lead, horizon + kDay - config.warning_scan)
        << a.domain << " was warned only " << FormatSpan(lead)
        << " before its end: its renewal point lay within a day of the horizon";
  }
  EXPECT_TRUE(r.expiries.empty()) << Describe(r);
}

// A CA down for up to 7 days outlives a 6-day certificate's 3 days of slack: expiries are
// expected here, and every certificate that got close must have been warned about first.
TEST(SimScenariosTest, SixDayCertificatesLapseOnlyInOutagesLongerThanTheirSlackAndAreWarned) {
  const FleetConfig config = Stormy(30, 6 * kDay, 180 * kDay, 6);
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 6-day stormy: " << Describe(r) << "\n";
  EXPECT_EQ(r.NotWarnedInTime(), 0) << Describe(r);
  const SimWorld world(config.world);
  for (const ServedLapse& l : r.served_expired) {
    bool long_outage = false;
    for (const Episode& e : world.ca_outages()) {
      if (e.from <= l.from && l.from < e.to && e.to - e.from > 3 * kDay) long_outage = true;
    }
    EXPECT_TRUE(long_outage) << l.domain << " served expired at "
                             << l.from.time_since_epoch().count()
                             << " outside any outage longer than the slack";
  }
}

TEST(SimScenariosTest, CalmFleetOrdersOncePerCertificateWithAriPolling) {
  const FleetResult r = RunFleet(Calm(50, 90 * kDay, 365 * kDay));
  std::cout << "[sim] calm: " << Describe(r) << "\n";
  ExpectNoLapse(r);
  EXPECT_LE(r.OrdersPerCertificate(), 1.1) << "no order storms: " << Describe(r);
  EXPECT_GT(r.ari_polls, 50 * 300) << "a valid certificate is asked about every 6 h";
}

TEST(SimScenariosTest, MassRevocationIsRenewedWithinTheDayUnderThePacingLimit) {
  const FleetResult r = RunFleet(MassRevocationFleet(600, true));
  std::cout << "[sim] mass revocation: " << Describe(r) << ", last replaced after "
            << FormatSpan(r.last_revoked_replaced) << "\n";
  EXPECT_TRUE(r.served_revoked.empty()) << Describe(r);
  EXPECT_LE(r.last_revoked_replaced, kDay);
  EXPECT_LE(r.peak_orders_per_window, 300) << "the pacing limit holds";
  ExpectNoLapse(r);
}

TEST(SimScenariosTest, WithoutAriPollingTheMassRevocationIsServedRevoked) {
  const FleetResult r = RunFleet(MassRevocationFleet(600, false));
  std::cout << "[sim] mass revocation, no ARI polling: " << Describe(r) << "\n";
  EXPECT_EQ(r.served_revoked.size(), 600u)
      << "the hub that asks only at the renewal point misses \"renew now\"; if this passes "
         "with fewer, the scenario no longer shows what polling is for. "
      << Describe(r);
}

// The renewalInfo storm (issue 20): domains past their renewal point wait for pacing slots
// and are claimed again whenever one may be free. Each claim used to ask renewalInfo before
// the pacing deferred it again; the recheck now waits for a slot (PlanValidClaim): one per
// order, and the busiest hour costs what the orders cost plus a poll per domain and the probes.
TEST(SimScenariosTest, RenewalsThePacingDefersAskForRenewalInfoOncePerOrder) {
  const FleetConfig config = PacedSixDayFleet(100, 20);
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] paced 6-day renewals: " << Describe(r) << "\n";
  ASSERT_EQ(r.peak_orders_per_window, 20)
      << "the pacing must hold renewals back, or this scenario shows nothing: " << Describe(r);
  EXPECT_LE(r.ari_rechecks, r.orders)
      << "renewalInfo asked at every re-claim (1,191 rechecks for 700 orders before the fix): "
      << Describe(r);
  const std::int64_t probes_per_hour = std::chrono::hours(1) / config.reachability.probe_interval;
  const std::int64_t budget =
      20 * (kRequestsPerOrder + 1) + config.world.domains + 2 * probes_per_hour;
  EXPECT_LE(r.peak_requests_per_hour, budget) << Describe(r);
  ExpectNoLapse(r);
}

TEST(SimScenariosTest, TenfoldBurstOfNewDomainsIsServedUnderThePacingLimit) {
  const FleetResult r = RunFleet(BurstFleet(50, 500));
  std::cout << "[sim] burst: " << Describe(r) << ", worst first certificate after "
            << FormatSpan(r.worst_first_issue) << "\n";
  ExpectNoLapse(r);
  EXPECT_LE(r.peak_orders_per_window, 300);
  EXPECT_LE(r.worst_first_issue, 12 * hours(1)) << "500 new domains at 300 orders per 3 h";
}

TEST(SimScenariosTest, ServerErrorsAndBadNoncesCostRetriesNotCertificates) {
  FleetConfig config = Calm(40, 45 * kDay, 180 * kDay);
  config.world.server_errors = {10 * kDay, hours(1), 2 * kDay};
  config.world.bad_nonce_rate = 0.05;
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 5xx + badNonce: " << Describe(r) << "\n";
  ExpectNoLapse(r);
  EXPECT_GT(r.failures, 0) << "the faults must actually happen";
}

TEST(SimScenariosTest, AgentsOfflineForDaysAndFailingNginxServeNothingExpired) {
  FleetConfig config = Calm(40, 6 * kDay, 120 * kDay);
  config.world.agent_offline = {20 * kDay, hours(1), 2 * kDay};
  config.world.nginx_failures = {10 * kDay, std::chrono::minutes(10), hours(12)};
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] agents: " << Describe(r) << "\n";
  ExpectNoLapse(r);
  EXPECT_GT(r.failed_installs, 0) << "nginx must actually refuse some installs";
}

// Negative control of the served check: an agent offline for longer than a certificate's
// remaining life at renewal serves it expired although the hub renewed in time.
TEST(SimScenariosTest, AnAgentOfflineLongerThanTheSlackServesAnExpiredCertificate) {
  FleetConfig config = Calm(10, 6 * kDay, 12 * kDay);
  config.world.agent_offline = {kDay, 4 * kDay, 4 * kDay};
  config.world.seed = 4;
  const FleetResult r = RunFleet(config);
  EXPECT_TRUE(r.expiries.empty()) << "the hub renewed in time";
  EXPECT_FALSE(r.served_expired.empty()) << "but nginx kept the old one: " << Describe(r);
}

}  // namespace
}  // namespace certfleet::sim
