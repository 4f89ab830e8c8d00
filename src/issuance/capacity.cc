#include "issuance/capacity.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/time_format.h"

namespace certfleet::issuance {
namespace {

// "3 d 4 h", "7 h", "45 min": how long, for the message.
std::string Span(Duration d) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  if (minutes >= 48 * 60) {
    return std::to_string(minutes / (24 * 60)) + " d " + std::to_string(minutes / 60 % 24) + " h";
  }
  if (minutes >= 60) return std::to_string(minutes / 60) + " h";
  return std::to_string(std::max<std::int64_t>(minutes, 1)) + " min";
}

// When each of the pacing's `limit` slots can next start an order: now, or a window after
// the order that holds it started. Ascending.
std::vector<TimePoint> SlotsFreeAt(const std::vector<TimePoint>& used, int limit, Duration window,
                                   TimePoint now) {
  std::vector<TimePoint> free_at;
  for (const TimePoint start : used) {
    if (start + window > now && start <= now) free_at.push_back(start + window);
  }
  std::sort(free_at.begin(), free_at.end());
  const auto slots = static_cast<std::size_t>(limit);
  if (free_at.size() > slots) free_at.resize(slots);
  free_at.insert(free_at.begin(), slots - free_at.size(), now);
  return free_at;
}

// The start of the k-th order (0-based) from now when every slot is used as soon as it is
// free: each slot starts one order per window, all of them within one window of each other.
TimePoint SlotStart(const std::vector<TimePoint>& free_at, std::int64_t k, Duration window) {
  const auto limit = static_cast<std::int64_t>(free_at.size());
  return free_at[static_cast<std::size_t>(k % limit)] + window * (k / limit);
}

// Earliest end first is the best order for meeting ends: if it misses one, every order does.
void CountLapses(std::vector<TimePoint> ends, const std::vector<TimePoint>& free_at,
                 Duration window, CapacityVerdict& v) {
  std::sort(ends.begin(), ends.end());
  for (std::size_t k = 0; k < ends.size(); ++k) {
    if (SlotStart(free_at, static_cast<std::int64_t>(k), window) < ends[k]) continue;
    ++v.lapsing;
    if (!v.first_lapse) v.first_lapse = ends[k];
  }
}

}  // namespace

CapacityVerdict AssessCapacity(const CapacityDemand& demand, int orders_per_window, Duration window,
                               TimePoint now) {
  CapacityVerdict v;
  if (orders_per_window < 1 || window <= Duration{0}) return v;
  std::vector<TimePoint> ends;  // of the renewals within the lookahead
  for (const PendingRenewal& r : demand.renewals) {
    if (r.renew_at > now + kCapacityLookahead) continue;
    ++(r.renew_at <= now ? v.overdue : v.upcoming);
    ends.push_back(r.not_after);
  }
  v.first_orders = demand.first_orders;
  v.allowed = orders_per_window * (kCapacityLookahead / window);
  if (v.allowed < 1) v.allowed = orders_per_window;
  v.share = static_cast<double>(v.overdue + v.upcoming) / static_cast<double>(v.allowed);
  // A slot in use frees within the window and then serves as many orders within the day
  // as a free one: `allowed` does not change with the used slots; when they start does.
  const std::vector<TimePoint> free_at =
      SlotsFreeAt(demand.used_slots, orders_per_window, window, now);
  if (v.Needed() > 0) {
    v.drain = std::chrono::duration_cast<Duration>(SlotStart(free_at, v.Needed() - 1, window) +
                                                   window - now);
  }
  CountLapses(std::move(ends), free_at, window, v);
  return v;
}

std::string CapacitySummary(const IssuerConfig& issuer, const CapacityVerdict& v) {
  const auto percent = static_cast<long long>(std::lround(v.share * 100));
  std::string s = "renewals due within " + Span(kCapacityLookahead) + ": " +
                  std::to_string(v.overdue + v.upcoming) + " (" + std::to_string(v.overdue) +
                  " overdue), orders the pacing allows: " + std::to_string(v.allowed) + " (" +
                  std::to_string(issuer.orders_per_window) + " per " + Span(issuer.window) + "), " +
                  std::to_string(percent) +
                  " %; first certificates waiting: " + std::to_string(v.first_orders) +
                  "; working through them all takes " + Span(v.drain);
  if (v.lapsing > 0) {
    s += "; certificates that end before a pacing slot can reach them: " +
         std::to_string(v.lapsing) + " (the first at " + FormatRfc3339(*v.first_lapse) + ")";
  } else {
    s += "; a CA outage would leave a backlog the pacing cannot catch up with";
  }
  return s;
}

std::string CapacityWarning::Message() const {
  return "issuer " + issuer + ": " + summary + "; " + kCapacityAdvice + ".";
}

Result<std::vector<CapacityDemand>> LoadCapacityDemand(store::Catalog& store,
                                                       const std::vector<IssuerConfig>& issuers,
                                                       TimePoint now, std::int64_t max_rows) {
  std::vector<CapacityDemand> out(issuers.size());
  auto due = store.ListDomainsDueForRenewal(now + kCapacityLookahead, max_rows + 1);
  if (!due) return Fail(due.error().WithContext("capacity: listing renewals due"));
  const bool truncated = static_cast<std::int64_t>(due->size()) > max_rows;
  for (std::size_t i = 0; i < issuers.size(); ++i) {
    out[i].truncated = truncated;
    auto pending = store.ListDomains(
        {.status = store::DomainStatus::kPending, .issuer = issuers[i].name, .limit = 1});
    if (!pending) return Fail(pending.error().WithContext("capacity: counting pending domains"));
    out[i].first_orders = pending->total;
  }
  for (const store::Domain& d : *due) {
    if (!d.renew_at || !d.current_not_after) continue;
    for (std::size_t i = 0; i < issuers.size(); ++i) {
      if (issuers[i].name == d.issuer)
        out[i].renewals.push_back({*d.renew_at, *d.current_not_after});
    }
  }
  return out;
}

Result<std::vector<CapacityWarning>> CheckCapacity(store::Catalog& store,
                                                   const std::vector<IssuerConfig>& issuers,
                                                   TimePoint now, const UsedSlots& used_slots) {
  auto demand = LoadCapacityDemand(store, issuers, now);
  if (!demand) return Fail(demand.error());
  std::vector<CapacityWarning> out;
  for (std::size_t i = 0; i < issuers.size(); ++i) {
    const IssuerConfig& issuer = issuers[i];
    if (used_slots) (*demand)[i].used_slots = used_slots(issuer.name, now);
    const CapacityVerdict v =
        AssessCapacity((*demand)[i], issuer.orders_per_window,
                       std::chrono::duration_cast<Duration>(issuer.window), now);
    if (!v.Warn()) continue;
    out.push_back({issuer.name, v.lapsing > 0, CapacitySummary(issuer, v)});
  }
  return out;
}

}  // namespace certfleet::issuance
