// Periodic checks that no event announces: certificates about to expire that will not
// renew by themselves, and agents that went quiet.
#pragma once

#include <vector>

#include "common/clock.h"
#include "notify/event_notices.h"
#include "notify/names.h"
#include "store/catalog.h"

namespace certfleet::notify {

// A renewal point passed this long ago without a successor: the domain waits for the
// issuer's order pacing (or a retry) longer than a healthy renewal ever does. The renewal
// policy keeps a day (a twelfth of short lifetimes: 12 h for 6-day certificates) between
// the latest renewal point and the warning horizon (issuance/renewal_policy.h); 6 h overdue
// warns before the horizon for every lifetime of 3 days or more, with the scan's 15 min.
inline constexpr Duration kRenewalOverdueAfter = std::chrono::hours(6);

// How far ahead the scan reads domains whatever their state, to find overdue renewals. The
// latest renewal point lies the warning horizon (at most 14 days) plus a day (a twelfth of
// lifetimes under 12 days) before the end (issuance/renewal_policy.h LatestRenewal), and a
// renewal is overdue kRenewalOverdueAfter after its point: 15 days reads a 45-day
// certificate from its latest renewal point on, so an overdue one (14 d 18 h left) is warned
// at the next scan, 18 h before the horizon. With 14 days (issue 20, run C) the scan first
// read such a domain at the horizon itself and warned up to one scan interval after it:
// 127 of 22,618 at-risk 45-day certificates at 10,000 domains.
inline constexpr Duration kOverdueReach = std::chrono::days(15);

// Whether the hub will renew this domain's certificate without help: ACME issuers renew
// unless renewals keep failing or the renewal is overdue (RenewalOverdue: issue 20's
// simulation found 10,000 45-day certificates whose renewals the order pacing held back
// past the warning horizon after a CA outage, none failing, none warned). Manual uploads
// never renew by themselves. With a day or less left we warn regardless. Pure.
bool RenewsByItself(const store::Domain& domain, TimePoint now);
bool RenewalOverdue(const store::Domain& domain, TimePoint now);

// One kExpiring notice per domain whose current certificate has crossed a threshold
// (DueExpiryThreshold) and that does not renew by itself. dedup_key
// "expiry:<domain>:<certificate id>:<days>d" makes each threshold fire once per
// certificate (a new certificate starts over).
Result<std::vector<PendingNotice>> ScanExpiring(store::Catalog& store, Names& names, TimePoint now,
                                                const std::vector<int>& thresholds_days);

// The kCapacity notice for an issuer whose order pacing cannot keep up with its fleet
// (issuance::CheckCapacity, wired by the hub): `summary` says what is needed against the
// limit, `action` what to do; critical when certificates will lapse. dedup_key
// "capacity:<issuer>:<UTC date>": once a day while it lasts.
PendingNotice CapacityNotice(const std::string& issuer, bool critical, std::string summary,
                             std::string action, TimePoint now);

// One kAgentUnseen notice per machine whose agent has not reported for longer than
// `after`. dedup_key "agent-unseen:<machine>:<last seen ms>": once per outage.
Result<std::vector<PendingNotice>> ScanUnseenAgents(store::Catalog& store, Names& names,
                                                    TimePoint now, Duration after);

}  // namespace certfleet::notify
