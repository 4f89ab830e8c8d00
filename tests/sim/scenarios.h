// The fleets of issue 20's scenarios, shared by the CI tests (sim_scenarios_test, small
// fleets) and the benchmark (fleet_sim_bench, 10,000 domains).
#pragma once

#include "sim/fleet_sim.h"

namespace certfleet::sim {

inline const TimePoint kSimStart = TimePoint(std::chrono::seconds(1'800'000'000));

// No faults: the baseline of orders per certificate and ARI traffic.
FleetConfig Calm(int domains, Duration lifetime, Duration length);

// Random CA outages from minutes up to 7 days (every ~30 days), rate limits of up to 6 h,
// 5xx stretches, 1 % badNonce, hosts whose HTTP-01 fails for up to 2 days, agents offline
// for up to 2 days and nginx refusing configurations for up to 12 h.
FleetConfig Stormy(int domains, Duration lifetime, Duration length, std::uint64_t seed);

// 90-day certificates; a day after the pacing limit (300 orders per 3 h) let every domain
// get its first one, the CA asks every certificate to be renewed within 24 h and revokes
// them 24 h later. `ari_polling` false: the hub before issue 20.
FleetConfig MassRevocationFleet(int domains, bool ari_polling);

// `domains` 90-day domains, then `burst` new ones saved within one hour, a day after the
// first ones got their certificates.
FleetConfig BurstFleet(int domains, int burst);

// 6-day certificates for more domains than one pacing window admits (`orders_per_window`
// per 3 h, scaled down with the fleet), and the CA down for two days on day 8: the first
// certificates come in batches of the limit, and after the outage the domains past their
// renewal point queue for slots that free one by one.
FleetConfig PacedSixDayFleet(int domains, int orders_per_window);

}  // namespace certfleet::sim
