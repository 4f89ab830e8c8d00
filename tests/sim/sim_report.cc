// FleetResult's summaries and the text helpers of the fleet simulation.
#include <algorithm>

#include "common/time_format.h"
#include "sim/fleet_sim.h"

namespace certfleet::sim {

Duration FleetResult::ServedExpiredTotal() const {
  Duration total{0};
  for (const ServedLapse& l : served_expired) total += l.lapsed;
  return total;
}

std::int64_t FleetResult::NotWarnedInTime() const {
  return std::count_if(at_risk.begin(), at_risk.end(),
                       [](const AtRisk& a) { return !a.warned_in_time; });
}

std::string FormatSpan(Duration d) {
  using namespace std::chrono;
  if (d < Duration{0}) return "-" + FormatSpan(-d);
  const auto s = duration_cast<seconds>(d).count();
  if (s >= 86400) return std::to_string(s / 86400) + "d " + std::to_string(s % 86400 / 3600) + "h";
  if (s >= 3600) return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
  if (s >= 60) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
  return std::to_string(s) + "s";
}

namespace {

// "13d 23h 47m": to the minute, where FormatSpan's "13d 23h" hides whether a warning came
// minutes or an hour after the horizon (issue 20, run C read 13d 23h as "~1 h late").
std::string SpanToTheMinute(Duration d) {
  const auto m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  if (m < 24 * 60) return FormatSpan(d);
  return FormatSpan(d) + " " + std::to_string(m % 60) + "m";
}

}  // namespace

std::string Describe(const FleetResult& r) {
  std::string s =
      "issued " + std::to_string(r.issued) + ", orders " + std::to_string(r.orders) +
      ", failed jobs " + std::to_string(r.failures) + ", ARI polls " + std::to_string(r.ari_polls) +
      ", ARI rechecks " + std::to_string(r.ari_rechecks) + ", probes " + std::to_string(r.probes) +
      ", peak requests/h " + std::to_string(r.peak_requests_per_hour) + ", peak orders/window " +
      std::to_string(r.peak_orders_per_window) + ", deployments " + std::to_string(r.deployments) +
      ", expiries " + std::to_string(r.expiries.size()) + ", served expired " +
      std::to_string(r.served_expired.size()) + " (" + FormatSpan(r.ServedExpiredTotal()) +
      "), served revoked " + std::to_string(r.served_revoked.size()) + ", at risk " +
      std::to_string(r.at_risk.size()) + " (not warned in time " +
      std::to_string(r.NotWarnedInTime()) + "), steps " + std::to_string(r.steps);
  if (r.least_margin != Duration::max())
    s += ", least life left at renewal " + FormatSpan(r.least_margin);
  s += ", CPU " + std::to_string(r.cpu_seconds) + " s";
  for (std::size_t i = 0; i < std::min<std::size_t>(r.expiries.size(), 3); ++i) {
    const Expiry& e = r.expiries[i];
    s += "\n  expired: " + e.domain + " for " + FormatSpan(e.lapsed) + " (" + e.last_error + ")";
  }
  int unwarned = 0;
  for (const AtRisk& a : r.at_risk) {
    if (a.warned_in_time || ++unwarned > 3) continue;
    s += "\n  not warned in time: " + a.domain + " (" + FormatRfc3339(a.not_after) + ", warned " +
         (a.warned_at
              ? SpanToTheMinute(std::chrono::duration_cast<Duration>(a.not_after - *a.warned_at)) +
                    " before its end"
              : std::string("never")) +
         ")";
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(r.served_expired.size(), 3); ++i) {
    const ServedLapse& l = r.served_expired[i];
    s += "\n  served expired: " + l.domain + " for " + FormatSpan(l.lapsed);
  }
  return s;
}

}  // namespace certfleet::sim
