// When a saved domain becomes due: the scheduling rule of "support saves a domain"
// (DESIGN.md pipeline step 1), beside NeedsNewOrder in renewal_policy.h.
//
// Pure: the caller (hub/service) passes the domain before and after the change and the
// time; it stores the answer with the change and wakes the worker when told to.
#pragma once

#include <optional>

#include "common/clock.h"
#include "issuance/renewal_policy.h"
#include "store/model.h"

namespace certfleet::issuance {

// The schedule a save gives a domain.
struct SaveSchedule {
  std::optional<TimePoint> next_attempt_at;  // nullopt: nothing to order (manual issuer)
  bool wake_worker = false;                  // an order is due now: wake the worker
};

// What the domain's configuration asks the CA for: the primary name and SANs, key type
// and profile (the IssuanceSpec an order for it would use).
IssuanceSpec SpecOf(const store::Domain& d);

// The rules, in order:
// - a new domain with an ACME issuer is due now; with issuer "manual" it waits for an
//   upload and is never due;
// - a changed domain needs a new certificate when its issuer changed or NeedsNewOrder says
//   its names, key type or profile no longer fit: then an ACME domain is due now and a
//   manual one has no attempt scheduled;
// - any other change (customer, machines) keeps the schedule it had: nullopt.
// `before` is nullopt for a new domain.
std::optional<SaveSchedule> ScheduleAfterSave(const std::optional<store::Domain>& before,
                                              const store::Domain& after, TimePoint now);

}  // namespace certfleet::issuance
