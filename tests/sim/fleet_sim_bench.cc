// fleet_sim_bench: the fleet simulation (fleet_sim.h) over bigger fleets, one table row per
// scenario and retry rule. Run through bench/sim_fleet.sh; deterministic (fixed seeds), so
// only the CPU column depends on the machine.
//
//   fleet_sim_bench [DOMAINS]   (default 2000)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/fleet_sim.h"

namespace {

using namespace certfleet;
using namespace certfleet::sim;
using std::chrono::hours;
using std::chrono::minutes;
constexpr hours kDay{24};

struct Scenario {
  const char* name;
  FleetConfig config;
};

FleetConfig Fleet(int domains, int days, Duration lifetime, EpisodeShape ca, EpisodeShape limits,
                  EpisodeShape agents) {
  FleetConfig c;
  c.world = {.seed = 20,
             .start = TimePoint(std::chrono::seconds(1'800'000'000)),
             .length = days * kDay,
             .domains = domains,
             .ca_outages = ca,
             .rate_limits = limits,
             .agent_failures = agents};
  c.lifetime = lifetime;
  return c;
}

void Row(const char* name, const char* rule, const FleetResult& r) {
  std::printf("| %-34s | %-9s | %8lld | %8lld | %7lld | %8zu | %-10s | %6.1f |\n", name, rule,
              static_cast<long long>(r.issued), static_cast<long long>(r.failures),
              static_cast<long long>(r.probes), r.expiries.size(),
              r.least_margin == Duration::max() ? "-" : FormatSpan(r.least_margin).c_str(),
              r.cpu_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int domains = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (domains < 1 || domains > 1'000'000) {
    std::fprintf(stderr, "usage: fleet_sim_bench [DOMAINS 1..1000000]\n");
    return 2;
  }
  const Scenario scenarios[] = {
      {"90-day certs, 2 years, calm", Fleet(domains, 730, 90 * kDay, {}, {}, {})},
      {"90-day certs, 2 years, stormy",
       Fleet(domains, 730, 90 * kDay, {10 * kDay, minutes(5), 3 * kDay},
             {30 * kDay, hours(1), hours(6)}, {60 * kDay, hours(1), 5 * kDay})},
      {"6-day certs, 1 year, stormy",
       Fleet(domains, 365, 6 * kDay, {5 * kDay, minutes(1), kDay},
             {20 * kDay, minutes(10), hours(2)}, {20 * kDay, hours(1), 2 * kDay})},
  };
  std::printf("fleet simulation, %d domains per row (tests/sim/fleet_sim.h)\n\n", domains);
  std::printf("| %-34s | %-9s | %8s | %8s | %7s | %8s | %-10s | %6s |\n", "scenario", "retry",
              "issued", "failed", "probes", "expired", "least left", "CPU s");
  std::printf(
      "|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(11, '-').c_str(),
      std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(9, '-').c_str(),
      std::string(10, '-').c_str(), std::string(12, '-').c_str(), std::string(8, '-').c_str());
  for (const Scenario& s : scenarios) {
    Row(s.name, "capped", RunFleet(s.config));
    FleetConfig old = s.config;
    old.retry.remaining_life_divisor = 0;
    Row(s.name, "uncapped", RunFleet(old));
  }
  return 0;
}
