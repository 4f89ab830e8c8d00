// Capacity: whether one ACME account's order pacing can keep up with the fleet it renews.
//
// An issuer's OrderPacer lets `orders_per_window` new orders start per `window` (Let's
// Encrypt: 300 per 3 h, 2,400 a day). A fleet that needs more than that — 10,000 6-day
// certificates renewing every 3 days need 3,333 a day; 10,000 certificates a CA asks to
// replace within 24 h after a mass revocation need 10,000 — does not fail loudly: domains
// wait for slots, renewals slide towards their certificates' ends and past them (issue 20's
// simulation: 85,957 lapses in two years). The hub says so before that happens, from what
// the store knows: the renewal points due now or within the next day against the orders the
// pacing allows in that day. Domains waiting for their first certificate take slots too
// (counted in how long the backlog takes), but alone they are no warning: a bulk import
// queues behind the pacing by design, and nothing of theirs can lapse.
//
// Pure functions with the clock passed in, and one reader of the store (LoadCapacityDemand).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "issuance/issuer_config.h"
#include "store/catalog.h"

namespace certfleet::issuance {

// How far ahead the check counts renewal points (a day: shorter than any certificate's
// renewal interval, so each domain's next renewal point is the only one in it).
inline constexpr Duration kCapacityLookahead = std::chrono::hours(24);
// Demand above this share of what the pacing allows in the lookahead is worth a warning: a
// CA outage of a few hours then already leaves a backlog the pacing cannot catch up with.
inline constexpr double kCapacityWarnShare = 0.8;

// One renewal the issuer has to place: its renewal point and its certificate's end.
struct PendingRenewal {
  TimePoint renew_at{};
  TimePoint not_after{};
};

// What one issuer has to order, as the store knows it.
struct CapacityDemand {
  std::vector<PendingRenewal> renewals;  // AssessCapacity counts those within the lookahead
  std::int64_t first_orders = 0;         // domains waiting for their first certificate
  bool truncated = false;                // the store held more than were read: lower bounds
  // Starts of the orders the pacing counts now (OrderPacer::Starts): their slots free only
  // a window after they started, so the next orders start later than a fresh window's.
  std::vector<TimePoint> used_slots;
};

struct CapacityVerdict {
  std::int64_t overdue = 0;       // renewals whose point has passed (a backlog)
  std::int64_t upcoming = 0;      // renewal points within the lookahead
  std::int64_t first_orders = 0;  // domains waiting for their first certificate
  std::int64_t allowed = 0;       // orders the pacing allows within the lookahead
  double share = 0;               // renewals (overdue + upcoming) / allowed
  Duration drain{0};              // how long the pacing needs for every order, first ones too
  // Certificates that end before the pacing can order their renewal even in the best order
  // (earliest end first, every slot used), and the first such end.
  std::int64_t lapsing = 0;
  std::optional<TimePoint> first_lapse;

  std::int64_t Needed() const { return overdue + upcoming + first_orders; }
  bool Warn() const { return lapsing > 0 || share > kCapacityWarnShare; }
};

// The verdict for one issuer. Pacing disabled (orders_per_window < 1) never warns.
CapacityVerdict AssessCapacity(const CapacityDemand& demand, int orders_per_window, Duration window,
                               TimePoint now);

// What the verdict means, for people: the demand against the limit and what happens next
// ("renewals due within 24 h: 3000 (3000 overdue), orders the pacing allows: 2400 (300 per
// 3 h), 125 %; first certificates waiting: 0; working through them all takes 30 h; ...").
std::string CapacitySummary(const IssuerConfig& issuer, const CapacityVerdict& verdict);

// What to do about it.
inline constexpr const char* kCapacityAdvice =
    "add ACME accounts (another [[issuer]] for part of the domains), ask the CA for a higher "
    "limit and raise orders_per_window, or use longer-lived certificates";

// The demand of every issuer in `issuers`, in their order, read from `store`: the domains
// whose renewal point lies before now + kCapacityLookahead (one read for all issuers, at
// most `max_rows`; truncated says when more exist) and each issuer's pending domains (a
// count). kUnavailable/kIo when the store cannot be read.
Result<std::vector<CapacityDemand>> LoadCapacityDemand(store::Catalog& store,
                                                       const std::vector<IssuerConfig>& issuers,
                                                       TimePoint now,
                                                       std::int64_t max_rows = 1'000'000);

// A capacity verdict that needs a warning, for one issuer.
struct CapacityWarning {
  std::string issuer;
  bool critical = false;  // certificates will lapse (not just a thin margin)
  std::string summary;    // CapacitySummary
  // "issuer X: <summary>; <kCapacityAdvice>.": one sentence for a status line.
  std::string Message() const;
};

// An issuer's pacing slots in use now (OrderPacer::Starts of the process that orders).
using UsedSlots = std::function<std::vector<TimePoint>(const std::string& issuer, TimePoint now)>;

// LoadCapacityDemand + AssessCapacity for every issuer; only those that need a warning.
// `used_slots` (may be empty: every slot free) says which slots the pacing already used.
Result<std::vector<CapacityWarning>> CheckCapacity(store::Catalog& store,
                                                   const std::vector<IssuerConfig>& issuers,
                                                   TimePoint now,
                                                   const UsedSlots& used_slots = nullptr);

}  // namespace certfleet::issuance
