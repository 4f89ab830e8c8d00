// Issue 20: no certificate expires while the CA is reachable enough — shown by the
// deterministic fleet simulation (fleet_sim.h) over months of simulated time with CA
// outages, rate limits and failing agents, on the real engine, store and policies.
//
// Each scenario prints its numbers; bench/sim_fleet.sh runs bigger fleets.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "sim/fleet_sim.h"

namespace certfleet::sim {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr hours kDay{24};
const TimePoint kStart = TimePoint(seconds(1'800'000'000));

// 90-day certificates, two years: CA outages of up to 3 days every ~10 days, rate limits
// of up to 6 h every ~30 days, each agent down for up to 5 days every ~60 days.
FleetConfig NinetyDayFleet() {
  FleetConfig c;
  c.world = {.seed = 20,
             .start = kStart,
             .length = 730 * kDay,
             .domains = 30,
             .ca_outages = {.every = 10 * kDay, .shortest = minutes(5), .longest = 3 * kDay},
             .rate_limits = {.every = 30 * kDay, .shortest = hours(1), .longest = hours(6)},
             .agent_failures = {.every = 60 * kDay, .shortest = hours(1), .longest = 5 * kDay}};
  c.lifetime = 90 * kDay;
  // CI cost: a probe every 30 s through two years of outages; the 30-s wake is tested by
  // TheCaReturningWakesEveryFailedDomainWithinAProbeInterval.
  c.reachability.probe_interval = minutes(5);
  return c;
}

// 6-day certificates (renewed with 3 days left), half a year: CA outages of up to a day
// every ~5 days, each agent down for up to 2 days every ~20 days.
FleetConfig SixDayFleet() {
  FleetConfig c;
  c.world = {.seed = 6,
             .start = kStart,
             .length = 180 * kDay,
             .domains = 30,
             .ca_outages = {.every = 5 * kDay, .shortest = minutes(1), .longest = kDay},
             .rate_limits = {.every = 20 * kDay, .shortest = minutes(10), .longest = hours(2)},
             .agent_failures = {.every = 20 * kDay, .shortest = hours(1), .longest = 2 * kDay}};
  c.lifetime = 6 * kDay;
  return c;
}

TEST(NeverExpiredTest, NinetyDayFleetThroughTwoYearsOfOutagesNeverExpires) {
  const FleetConfig config = NinetyDayFleet();
  const SimWorld world(config.world);
  ASSERT_GT(world.ca_outages().size(), 30u) << "the scenario must actually have outages";
  ASSERT_GT(world.agent_failure_count(), 100u);
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 90-day: " << Describe(r) << "\n";
  EXPECT_TRUE(r.expiries.empty()) << Describe(r);
  EXPECT_GE(r.issued, 30 * 11) << "two years of 90-day certificates renewed at 60 days";
  EXPECT_GT(r.least_margin, 20 * kDay) << "renewals should finish long before expiry";
}

TEST(NeverExpiredTest, SixDayFleetThroughDayLongOutagesNeverExpires) {
  const FleetConfig config = SixDayFleet();
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 6-day: " << Describe(r) << "\n";
  EXPECT_TRUE(r.expiries.empty()) << Describe(r);
  EXPECT_GE(r.issued, 30 * 55) << "half a year of 6-day certificates renewed at 3 days";
  EXPECT_GT(r.least_margin, Duration{0});
}

// Every agent is down from the renewal point of 6-day certificates (3 days left) until 2 h
// before expiry. The capped retry comes back within minutes of the agent's return; the old
// rule (backoff doubling up to a day, blind to the remaining life) sleeps past expiry.
// This is also the check that the simulation can see an expiry at all.
FleetConfig AgentDownUntilTwoHoursBeforeExpiry() {
  FleetConfig c;
  c.world = {.seed = 3, .start = kStart, .length = 12 * kDay, .domains = 20};
  c.world.extra_agent_failures = {{kStart + 3 * kDay - minutes(1), kStart + 3 * kDay + hours(70)}};
  c.lifetime = 6 * kDay;
  return c;
}

TEST(NeverExpiredTest, TheRemainingLifeCapRenewsBeforeExpiryAfterALongAgentFailure) {
  const FleetResult r = RunFleet(AgentDownUntilTwoHoursBeforeExpiry());
  std::cout << "[sim] agent down 70 h, capped: " << Describe(r) << "\n";
  EXPECT_TRUE(r.expiries.empty()) << Describe(r);
  EXPECT_GT(r.least_margin, hours(1)) << "retried within minutes of the agent's return";
}

TEST(NeverExpiredTest, WithoutTheRemainingLifeCapTheSameFailureExpiresEveryCertificate) {
  FleetConfig config = AgentDownUntilTwoHoursBeforeExpiry();
  config.retry.remaining_life_divisor = 0;
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] agent down 70 h, old rule: " << Describe(r) << "\n";
  EXPECT_EQ(r.expiries.size(), 20u)
      << "the old rule should lose every certificate here; if it does not, this scenario no "
         "longer shows what the cap is for. "
      << Describe(r);
}

// Negative control: a CA down for longer than the renewal slack (30 days of a 90-day
// certificate) loses every certificate, and the simulation says so.
TEST(NeverExpiredTest, AnOutageLongerThanTheSlackExpiresEveryCertificate) {
  FleetConfig config;
  config.world = {.seed = 1, .start = kStart, .length = 120 * kDay, .domains = 20};
  config.world.extra_ca_outages = {{kStart + 55 * kDay, kStart + 100 * kDay}};
  config.lifetime = 90 * kDay;
  const FleetResult r = RunFleet(config);
  std::cout << "[sim] 45-day outage: " << Describe(r) << "\n";
  ASSERT_EQ(r.expiries.size(), 20u) << Describe(r);
  for (const Expiry& e : r.expiries) {
    EXPECT_EQ(e.not_after, kStart + 90 * kDay);
    EXPECT_LE(e.lapsed, 10 * kDay + minutes(11))
        << "renewed within a probe interval (at most 10 min after backoff) of the CA's return";
    EXPECT_NE(e.last_error.find("has not answered since"), std::string::npos) << e.last_error;
  }
}

// The CA is down across every domain's renewal point and comes back 20 h later: every
// domain is renewed within one probe interval of its return, not at its backoff time.
TEST(NeverExpiredTest, TheCaReturningWakesEveryFailedDomainWithinAProbeInterval) {
  FleetConfig config;
  const TimePoint back = kStart + 3 * kDay + hours(20);
  config.world = {.seed = 2, .start = kStart, .length = 5 * kDay, .domains = 50};
  config.world.extra_ca_outages = {{kStart + 3 * kDay - hours(1), back}};
  config.lifetime = 6 * kDay;
  config.reachability.probe_interval = seconds(30);
  const FleetResult r = RunFleet(config);
  ASSERT_EQ(r.issued, 100) << Describe(r);
  for (std::size_t i = 50; i < r.issued_at.size(); ++i) {
    EXPECT_GE(r.issued_at[i], back);
    EXPECT_LE(r.issued_at[i], back + seconds(30)) << "renewal " << i << " waited for its backoff";
  }
  // Known down from the first failed renewal (3 d) to its return 20 h later, one probe
  // every 30 s: 2400 — not one per domain and retry.
  // An ARI poll may find the CA silent up to an hour before the first renewal does.
  // A retry that comes due between two probes probes once itself (DueProbeAnswers, at most
  // once per 5 s per issuer): 2,609 probes in all here, never one per retry.
  EXPECT_LE(r.probes, 21 * 120 + 2 + 2 * 50) << "one probe per interval while down, not one "
                                                "per domain and retry";
  EXPECT_GE(r.probes, 20 * 120 - 2);
}

// Same configuration, same result: the simulation is deterministic.
TEST(NeverExpiredTest, SameSeedSameRun) {
  FleetConfig config = SixDayFleet();
  config.world.length = 40 * kDay;
  config.world.domains = 30;
  const FleetResult a = RunFleet(config);
  const FleetResult b = RunFleet(config);
  EXPECT_EQ(a.issued_at, b.issued_at);
  EXPECT_EQ(a.failures, b.failures);
  EXPECT_EQ(a.probes, b.probes);
}

}  // namespace
}  // namespace certfleet::sim
