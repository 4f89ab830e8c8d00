// fleet_sim_bench: issue 20's table — the fleet simulation (fleet_sim.h) over 10,000
// domains (or DOMAINS) for two years per certificate lifetime with random CA and agent
// outages, a mass revocation under the pacing limit (with and without ARI polling), and a
// tenfold burst of new domains. Deterministic (fixed seeds): only the CPU column depends on
// the machine. Run through bench/sim_fleet.sh.
//
//   fleet_sim_bench [DOMAINS] [SCENARIO-SUBSTRING]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/fleet_sim.h"
#include "sim/scenarios.h"

namespace {

using namespace certfleet;
using namespace certfleet::sim;
using std::chrono::hours;
constexpr hours kDay{24};

struct Scenario {
  std::string name;
  FleetConfig config;
};

std::string Margin(const FleetResult& r) {
  return r.least_margin == Duration::max() ? "-" : FormatSpan(r.least_margin);
}

// When something first happened, as time since the run's start ("3d 4h"), or "-".
std::string Since(const Scenario& s, std::optional<TimePoint> t) {
  return t ? FormatSpan(std::chrono::duration_cast<Duration>(*t - s.config.world.start)) : "-";
}

void Row(const Scenario& s, const FleetResult& r) {
  const std::string served =
      std::to_string(r.served_expired.size()) + " / " + FormatSpan(r.ServedExpiredTotal());
  const auto at_risk = static_cast<std::int64_t>(r.at_risk.size());
  const std::string warned =
      std::to_string(at_risk - r.NotWarnedInTime()) + " of " + std::to_string(at_risk);
  std::printf(
      "| %-38s | %8lld | %5zu | %-14s | %6zu | %-9s | %5.2f | %6lld | %4lld / %d | %-12s | %-9s | "
      "%-9s | %7.1f |\n",
      s.name.c_str(), static_cast<long long>(r.issued), r.expiries.size(), served.c_str(),
      r.served_revoked.size(), Margin(r).c_str(), r.OrdersPerCertificate(),
      static_cast<long long>(r.peak_requests_per_hour),
      static_cast<long long>(r.peak_orders_per_window), s.config.orders_per_window, warned.c_str(),
      Since(s, r.capacity_warned_at).c_str(), Since(s, r.first_lapse).c_str(), r.cpu_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const std::string only = argc > 2 ? argv[2] : "";
  if (n < 10 || n > 1'000'000) {
    std::fprintf(stderr, "usage: fleet_sim_bench [DOMAINS 10..1000000] [SCENARIO-SUBSTRING]\n");
    return 2;
  }
  const std::string k = std::to_string(n);
  const Scenario scenarios[] = {
      {"90-day, 2 y, outages <= 7 d", Stormy(n, 90 * kDay, 730 * kDay, 90)},
      {"45-day, 2 y, outages <= 7 d", Stormy(n, 45 * kDay, 730 * kDay, 45)},
      {"6-day, 2 y, outages <= 7 d", Stormy(n, 6 * kDay, 730 * kDay, 6)},
      {"mass revocation, ARI polling", MassRevocationFleet(n, true)},
      {"mass revocation, no polling (before)", MassRevocationFleet(n, false)},
      {"10x burst: " + std::to_string(n / 10) + " + " + k + " in 1 h", BurstFleet(n / 10, n)},
  };
  std::printf("issue 20 fleet simulation, %d domains per row (tests/sim, bench/sim_fleet.sh)\n\n",
              n);
  std::printf(
      "| %-38s | %8s | %5s | %-14s | %6s | %-9s | %5s | %6s | %-10s | %-12s | %-9s | %-9s | %7s "
      "|\n",
      "scenario", "issued", "hub", "served expired", "revkd", "least", "ord/c", "req/h",
      "orders/3h", "warned", "capacity", "1st lapse", "CPU s");
  std::printf(
      "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(40, '-').c_str(),
      std::string(10, '-').c_str(), std::string(7, '-').c_str(), std::string(16, '-').c_str(),
      std::string(8, '-').c_str(), std::string(11, '-').c_str(), std::string(7, '-').c_str(),
      std::string(8, '-').c_str(), std::string(12, '-').c_str(), std::string(14, '-').c_str(),
      std::string(11, '-').c_str(), std::string(11, '-').c_str(), std::string(9, '-').c_str());
  for (const Scenario& s : scenarios) {
    if (!only.empty() && s.name.find(only) == std::string::npos) continue;
    const FleetResult r = RunFleet(s.config);
    Row(s, r);
    std::fprintf(stderr, "%s: %s\n", s.name.c_str(), Describe(r).c_str());
    if (!r.capacity_message.empty())
      std::fprintf(stderr, "  capacity warning: %s\n", r.capacity_message.c_str());
  }
  std::printf(
      "\nhub: certificates the hub let expire before a successor; served expired: domains x "
      "total time nginx served an expired certificate; revkd: domains that served a revoked "
      "one; least: least life left when a certificate was replaced; ord/c: newOrders per "
      "certificate; req/h: CA requests in the busiest clock hour; orders/3h: newOrders in the "
      "busiest 3 h vs the pacing limit; warned: certificates that came within the warning "
      "horizon (14 d, a third of shorter lifetimes) without a successor and were warned about "
      "by then; capacity: when the hub's capacity check (issuance/capacity.h, hourly here) "
      "first warned that the pacing cannot keep up; 1st lapse: when the first certificate "
      "ended without a successor or the first revoked one was served (both since the "
      "start).\n");
  return 0;
}
