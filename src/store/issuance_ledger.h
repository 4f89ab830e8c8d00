// IssuanceLedger: who works on which domain (claims under a lease) and the ACME orders
// run under that lease, saved after every step so a restart resumes them.
//
// Callers: the issuance worker and its jobs (src/issuance), the order views.
//
// Lease contract: the domain is the unit of issuance work. Whoever holds its lease may
// create and save its order and record the attempt; every such write re-checks the lease
// in its own transaction and fails with kConflict (writing nothing) when it is no longer
// held — a hub whose lease expired and was taken over can therefore never overwrite the
// new holder's progress (fencing). Several hubs on one database never receive the same
// domain from concurrent claims.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class IssuanceLedger {
 public:
  virtual ~IssuanceLedger() = default;

  // ---- claims ----
  // Atomically claims up to `limit` domains whose issuer is not "manual", whose
  // next_attempt_at ≤ now and whose lease is free, expired or held by req.owner itself,
  // oldest next_attempt_at first, and leases them to req.owner until now + lease_for.
  // Two concurrent claimers (with different owners) never receive the same domain. A
  // crashed worker's domain becomes claimable by others when its lease expires, and by
  // the same owner (the restarted worker) at once; the new holder resumes its active
  // order (GetActiveOrder). Re-claiming an own lease moves `until`, so the Lease value
  // from the earlier claim no longer holds. kInvalidArgument for an empty owner.
  // Housekeeping: no event, no audit.
  virtual Result<std::vector<Domain>> ClaimDueDomains(const ClaimRequest& req) = 0;
  // kConflict if the lease is no longer held (expired and taken, or released).
  virtual Result<Lease> ExtendLease(const Lease& lease, TimePoint until) = 0;
  // The issuer's CA answers again after an outage: every domain of `issuer` in status
  // kFailed whose next_attempt_at is later than `now` becomes due at `now` (failure_count,
  // last_error and leases untouched). Returns how many. Housekeeping: no event, no audit
  // (domain.status already said the domain failed).
  virtual Result<std::int64_t> ExpediteRetries(std::string_view issuer, TimePoint now) = 0;
  // Writes status, last_error, failure_count, next_attempt_at, renew_at under the lease
  // (kConflict if lost); emits domain.status when status or last_error change.
  virtual Result<Domain> UpdateAttempt(const Actor& actor, const Lease& lease,
                                       const AttemptUpdate& update) = 0;

  // ---- orders ----
  // Requires the lease on order.domain_id (kConflict if not held). kAlreadyExists if the
  // domain already has a non-terminal order. Audited (order.create), no event.
  virtual Result<Order> CreateOrder(const Actor& actor, const Lease& lease, const Order& o) = 0;
  virtual Result<Order> GetOrder(Id id) = 0;
  // The domain's non-terminal order; kNotFound if none.
  virtual Result<Order> GetActiveOrder(Id domain_id) = 0;
  // Newest first.
  virtual Result<std::vector<Order>> ListOrders(Id domain_id, std::int64_t limit) = 0;
  // Saves state, acme_state_json and error after a step, under the lease (kConflict if
  // lost; kConflict when the stored order is already terminal). Moving to kFailed emits
  // order.failed. Other steps: no event (too chatty), one audit row per terminal state.
  virtual Result<Order> SaveOrder(const Actor& actor, const Lease& lease, const Order& o) = 0;
};

}  // namespace certfleet::store
