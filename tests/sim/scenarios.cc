#include "sim/scenarios.h"

namespace certfleet::sim {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
constexpr hours kDay{24};

// How long the pacing limit (300 orders per 3 h) takes to order `n` certificates.
Duration TimeToOrder(int n) {
  const FleetConfig c;
  return c.pacing_window * (n / c.orders_per_window + 1);
}

}  // namespace

FleetConfig Calm(int domains, Duration lifetime, Duration length) {
  FleetConfig c;
  c.world.seed = 20;
  c.world.start = kSimStart;
  c.world.length = length;
  c.world.domains = domains;
  c.lifetime = lifetime;
  return c;
}

FleetConfig Stormy(int domains, Duration lifetime, Duration length, std::uint64_t seed) {
  FleetConfig c = Calm(domains, lifetime, length);
  c.world.seed = seed;
  c.world.ca_outages = {30 * kDay, minutes(5), 7 * kDay};
  c.world.rate_limits = {30 * kDay, hours(1), hours(6)};
  c.world.server_errors = {20 * kDay, minutes(10), hours(12)};
  c.world.bad_nonce_rate = 0.01;
  c.world.agent_failures = {60 * kDay, hours(1), 2 * kDay};
  c.world.agent_offline = {60 * kDay, hours(1), 2 * kDay};
  c.world.nginx_failures = {30 * kDay, minutes(10), hours(12)};
  return c;
}

FleetConfig MassRevocationFleet(int domains, bool ari_polling) {
  // The revocation comes a day after the last first certificate; the run ends two days
  // after the pacing limit could have replaced them all.
  const Duration fill = TimeToOrder(domains);
  FleetConfig c = Calm(domains, 90 * kDay, 2 * fill + 3 * kDay);
  c.world.revocations = {{kSimStart + fill + kDay, kDay, kDay}};
  c.ari_polling = ari_polling;
  return c;
}

FleetConfig BurstFleet(int domains, int burst) {
  // The burst comes a day after the first certificates; the run ends two days after the
  // pacing limit could have ordered every certificate.
  const Duration fill = TimeToOrder(domains);
  FleetConfig c = Calm(domains, 90 * kDay, fill + kDay + TimeToOrder(domains + burst) + 2 * kDay);
  c.world.burst = {kSimStart + fill + kDay, burst, hours(1)};
  return c;
}

FleetConfig PacedSixDayFleet(int domains, int orders_per_window) {
  FleetConfig c = Calm(domains, 6 * kDay, 20 * kDay);
  c.world.extra_ca_outages = {{kSimStart + 8 * kDay, kSimStart + 10 * kDay}};
  c.orders_per_window = orders_per_window;
  // Polls every 6 h land on each window's start (3 days = 12 polls): every renewal would
  // begin with a poll's "renew now". At 7 h renewal points pass first, as after an outage.
  c.world.ari_retry_after = hours(7);
  return c;
}

}  // namespace certfleet::sim
