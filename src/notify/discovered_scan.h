// Expiry warnings for certificates the agents discovered on their hosts that certfleet does
// not manage (issue 19: the seed system's whole point — nobody is surprised by an expiry).
#pragma once

#include <vector>

#include "common/clock.h"
#include "notify/event_notices.h"
#include "notify/names.h"
#include "store/inventory_book.h"

namespace certfleet::notify {

// One kExpiring notice per (name, certificate) found configured or served on some machine
// whose not_after crossed a threshold (DueExpiryThreshold), unless the certificate is the
// current one of a certfleet domain (that domain's own warning covers it). dedup_key
// "discovered-expiry:<name>:<sha256 prefix>:<days>d": each threshold fires once per
// certificate.
Result<std::vector<PendingNotice>> ScanDiscoveredExpiring(store::InventoryBook& book, Names& names,
                                                          TimePoint now,
                                                          const std::vector<int>& thresholds_days);

}  // namespace certfleet::notify
