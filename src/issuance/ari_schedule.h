// ARI schedule (RFC 9773 §4.3): when the hub asks a CA again about a certificate it holds.
//
// A CA may move a certificate's suggested renewal window at any time; after a mass
// revocation it tells thousands of certificates "renew now" at once. The hub learns that
// only by asking again, at the Retry-After the CA sent. So a valid domain is claimed not
// only at its renewal point but also at its certificate's next ARI poll, whichever comes
// first; the poll either leaves the renewal point alone, moves it, or renews at once.
//
// Pure functions with the clock passed in. The issuance job (issuance_job.cc) and the
// deterministic fleet simulation (tests/sim) make the same decisions through them.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "issuance/renewal_policy.h"

namespace certfleet::issuance {

// The poll interval is the CA's Retry-After clamped to [kMinAriPoll, kMaxAriPoll];
// without one, kDefaultAriPoll (Let's Encrypt sends 6 h).
inline constexpr Duration kMinAriPoll = std::chrono::hours(1);
inline constexpr Duration kMaxAriPoll = std::chrono::hours(24);
inline constexpr Duration kDefaultAriPoll = std::chrono::hours(6);

// When to ask the CA again after asking at `now` (retry_after: the CA's Retry-After).
TimePoint AriAskAgainAt(TimePoint now, std::optional<Duration> retry_after);

// When a valid domain is claimed next: its renewal point, or its certificate's next ARI
// poll when that comes first (nullopt: the CA offers no renewal information).
TimePoint NextClaimWhileValid(TimePoint renew_at, std::optional<TimePoint> ari_ask_again);

// True when the claim of a valid domain at `now` is its scheduled ARI poll: the renewal
// point is still ahead and the domain was due exactly at the ask-again time recorded on
// its certificate. A claim for any other reason (the issue button sets next_attempt_at to
// the moment it was pressed) is not a poll.
bool IsAriPoll(std::optional<TimePoint> renew_at, std::optional<TimePoint> next_attempt_at,
               std::optional<TimePoint> ari_ask_again, TimePoint now);

// What the claim of a valid domain with a current certificate does before it orders.
enum class ValidClaim {
  kOrder,    // neither a poll nor due: the issue button was pressed; order at once
  kPoll,     // the scheduled ARI poll: ask; the answer decides whether to order
  kRecheck,  // the renewal point has passed and an order slot is free: ask once, then order
  kDefer,    // the renewal point has passed, the pacing has no slot: wait for one, ask nothing
};

// Plans the claim (`renew_at` etc. as for IsAriPoll). `paced_until` is the issuer's
// OrderPacer::NextSlot(now): nullopt when an order may start now.
// Why kDefer asks nothing: the recheck at the renewal point only matters to the order
// that follows it, and after a long CA outage thousands of domains past their renewal
// point wait for pacing slots; each re-claim used to ask renewalInfo again before being
// deferred again (issue 20: 201,913 CA requests in the busiest hour at 2,000 domains with
// 6-day certificates). A poll still asks: its answer is usually "not yet", which needs no slot.
ValidClaim PlanValidClaim(std::optional<TimePoint> renew_at,
                          std::optional<TimePoint> next_attempt_at,
                          std::optional<TimePoint> ari_ask_again, TimePoint now,
                          std::optional<TimePoint> paced_until);

// What a poll (or a recheck at the renewal point) decides with fresh renewal info.
struct AriDecision {
  bool renew_now = false;       // the window has begun: order now
  TimePoint renew_at{};         // otherwise: the renewal point
  TimePoint next_attempt_at{};  // and the next claim (renewal point or next poll)
};

// `cert` carries the fresh window. A window that has begun means renew now. Otherwise the
// current renewal point stays when it still lies inside the window as the hub uses it
// (UsableAriWindow: no needless jitter),
// else RenewAt picks a new point in it (`seed`); the next claim is NextClaimWhileValid.
AriDecision AfterRenewalInfo(const CertificateTimes& cert, std::optional<TimePoint> renew_at,
                             TimePoint ask_again, TimePoint now, std::uint64_t seed);

}  // namespace certfleet::issuance
