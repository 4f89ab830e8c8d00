// Periodic checks that no event announces: certificates about to expire that will not
// renew by themselves, and agents that went quiet.
#pragma once

#include <vector>

#include "common/clock.h"
#include "notify/event_notices.h"
#include "notify/names.h"
#include "store/catalog.h"

namespace certfleet::notify {

// Whether the hub will renew this domain's certificate without help: ACME issuers renew
// unless renewals keep failing. Manual uploads never renew by themselves. With a day or
// less left we warn regardless: a healthy ACME renewal happens long before. Pure.
bool RenewsByItself(const store::Domain& domain, TimePoint now);

// One kExpiring notice per domain whose current certificate has crossed a threshold
// (DueExpiryThreshold) and that does not renew by itself. dedup_key
// "expiry:<domain>:<certificate id>:<days>d" makes each threshold fire once per
// certificate (a new certificate starts over).
Result<std::vector<PendingNotice>> ScanExpiring(store::Catalog& store, Names& names, TimePoint now,
                                                const std::vector<int>& thresholds_days);

// One kAgentUnseen notice per machine whose agent has not reported for longer than
// `after`. dedup_key "agent-unseen:<machine>:<last seen ms>": once per outage.
Result<std::vector<PendingNotice>> ScanUnseenAgents(store::Catalog& store, Names& names,
                                                    TimePoint now, Duration after);

}  // namespace certfleet::notify
