// Memory store: claims, leases and orders (store/issuance_ledger.h), certificates
// (store/certificate_store.h) and HTTP-01 challenges (store/challenge_board.h).
#include <algorithm>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

// kConflict unless `lease` is still held (owner and until both match).
Result<Domain*> HoldsLease(MemoryDatabase& db, const Lease& lease) {
  auto domain = FindDomain(db, lease.domain_id);
  if (!domain) return domain;
  const Domain& d = **domain;
  if (d.lease_owner != lease.owner || d.lease_until != Ms(lease.until)) {
    return Fail(ErrorCode::kConflict, "domain " + d.name + ": lease of worker " + lease.owner +
                                          " is no longer held (expired or released)");
  }
  return domain;
}

// Re-files the domain in the claim/renewal indexes around a change of its schedule.
template <typename F>
void Reschedule(MemoryDatabase& db, Domain& d, F&& change) {
  UnindexDomain(db, d);
  change(d);
  d.next_attempt_at = Ms(d.next_attempt_at);
  d.renew_at = Ms(d.renew_at);
  IndexDomain(db, d);
}

void CompleteOrder(MemoryTx& tx, Id domain_id, Id order_id) {
  Order& order = tx.db.orders.at(order_id);
  if (order.domain_id != domain_id) return;
  order.state = OrderState::kCompleted;
  order.updated_at = tx.now;
  if (auto it = tx.db.active_orders.find(domain_id);
      it != tx.db.active_orders.end() && it->second == order_id) {
    tx.db.active_orders.erase(it);
  }
}

// A manual upload is the whole "attempt" of a manual domain: it becomes valid with the
// certificate (see CertificateStore::AddCertificate).
void MarkManualDomainValid(MemoryTx& tx, Domain& domain) {
  const Domain before = domain;
  domain.status = DomainStatus::kValid;
  domain.last_error.clear();
  domain.failure_count = 0;
  if (auto event = events::DomainStatusChanged(before, domain)) tx.Record(*event);
}

}  // namespace

// ---- claims ----

Result<std::vector<Domain>> MemoryStore::ClaimDueDomains(const ClaimRequest& req) {
  if (req.owner.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "claiming domains: the worker's owner id is empty");
  }
  return Write(nullptr, [&](MemoryTx& tx) -> Result<std::vector<Domain>> {
    const TimePoint now = Ms(req.now);
    std::vector<Domain> claimed;
    for (const auto& [at, id] : tx.db.claimable) {
      if (at > now || static_cast<std::int64_t>(claimed.size()) >= req.limit) break;
      Domain& d = tx.db.domains.at(id);
      const bool free = !d.lease_until || *d.lease_until < now || d.lease_owner == req.owner;
      if (!free) continue;
      d.lease_owner = req.owner;
      d.lease_until = Ms(now + req.lease_for);
      claimed.push_back(d);
    }
    return claimed;
  });
}

Result<Lease> MemoryStore::ExtendLease(const Lease& lease, TimePoint until) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<Lease> {
    auto domain = HoldsLease(tx.db, lease);
    if (!domain) return Fail(domain.error());
    (*domain)->lease_until = Ms(until);
    return Lease{lease.domain_id, lease.owner, until};
  });
}

Result<std::int64_t> MemoryStore::ExpediteRetries(std::string_view issuer, TimePoint now) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<std::int64_t> {
    const TimePoint at = Ms(now);
    std::int64_t woken = 0;
    for (auto& [id, d] : tx.db.domains) {
      if (d.issuer != issuer || d.status != DomainStatus::kFailed) continue;
      if (!d.next_attempt_at || *d.next_attempt_at <= at) continue;
      Reschedule(tx.db, d, [&](Domain& row) { row.next_attempt_at = at; });
      ++woken;
    }
    return woken;
  });
}

Result<Domain> MemoryStore::UpdateAttempt(const Actor& actor, const Lease& lease,
                                          const AttemptUpdate& u) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Domain> {
    auto domain = HoldsLease(tx.db, lease);
    if (!domain) return Fail(domain.error());
    Domain& d = **domain;
    const Domain before = d;
    Reschedule(tx.db, d, [&](Domain& row) {  // status and failures: the expiry index
      row.next_attempt_at = u.next_attempt_at;
      row.renew_at = u.renew_at;
      row.status = u.status;
      row.failure_count = u.failure_count;
    });
    d.last_error = Text(u.last_error);
    d.version += 1;
    d.updated_at = tx.now;
    if (u.release) {
      d.lease_owner.clear();
      d.lease_until.reset();
    }
    if (auto event = events::DomainStatusChanged(before, d)) tx.Record(*event);
    return d;
  });
}

// ---- orders ----

Result<Order> MemoryStore::CreateOrder(const Actor& actor, const Lease& lease, const Order& o) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Order> {
    if (o.domain_id != lease.domain_id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "creating an order: the lease is for another domain");
    }
    auto domain = HoldsLease(tx.db, lease);
    if (!domain) return Fail(domain.error());
    if (!IsTerminal(o.state) && tx.db.active_orders.count(o.domain_id)) {
      return Fail(ErrorCode::kAlreadyExists, "domain " + std::to_string(o.domain_id) +
                                                 " already has an unfinished order; resume it");
    }
    Order row = o;
    row.id = tx.db.next_order++;
    row.started_at = row.updated_at = tx.now;
    tx.db.orders[row.id] = row;
    tx.db.domain_orders[row.domain_id].push_back(row.id);
    if (!IsTerminal(row.state)) tx.db.active_orders[row.domain_id] = row.id;
    tx.Audit(events::OrderCreatedAudit((*domain)->name, row));
    return row;
  });
}

Result<Order> MemoryStore::GetOrder(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<Order> {
    auto it = db.orders.find(id);
    if (it == db.orders.end()) return Fail(NotFound("order", id));
    return it->second;
  });
}

Result<Order> MemoryStore::GetActiveOrder(Id domain_id) {
  return Read([&](MemoryDatabase& db) -> Result<Order> {
    auto it = db.active_orders.find(domain_id);
    if (it == db.active_orders.end()) {
      return Fail(ErrorCode::kNotFound,
                  "domain " + std::to_string(domain_id) + " has no unfinished order");
    }
    return db.orders.at(it->second);
  });
}

Result<std::vector<Order>> MemoryStore::ListOrders(Id domain_id, std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Order>> {
    std::vector<Order> out;
    const auto& ids = db.domain_orders[domain_id];
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
      out.push_back(db.orders.at(*it));
    }
    return out;
  });
}

Result<Order> MemoryStore::SaveOrder(const Actor& actor, const Lease& lease, const Order& o) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Order> {
    auto it = tx.db.orders.find(o.id);
    if (it == tx.db.orders.end()) return Fail(NotFound("order", o.id));
    Order& row = it->second;
    if (row.domain_id != lease.domain_id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "saving order " + std::to_string(o.id) + ": the lease is for another domain");
    }
    auto domain = HoldsLease(tx.db, lease);
    if (!domain) return Fail(domain.error());
    if (IsTerminal(row.state)) {
      return Fail(ErrorCode::kConflict, "order " + std::to_string(o.id) + " is already " +
                                            std::string(OrderStateName(row.state)));
    }
    row.state = o.state;
    row.acme_state_json = Text(o.acme_state_json);
    row.error = Text(o.error);
    row.updated_at = tx.now;
    if (IsTerminal(row.state)) tx.db.active_orders.erase(row.domain_id);
    if (o.state == OrderState::kFailed) {
      tx.Record(events::OrderFailed((*domain)->name, o, row.attempt));
    } else if (IsTerminal(o.state)) {
      tx.Audit(events::OrderFinishedAudit((*domain)->name, o, row.attempt));
    }
    return row;
  });
}

// ---- certificates ----

Result<CertificateVersion> MemoryStore::AddCertificate(const Actor& actor,
                                                       const CertificateVersion& c) {
  if (c.chain_pem.empty() || c.encrypted_key.empty() || c.sha256.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "storing a certificate: chain, encrypted key and sha256 are required");
  }
  return Write(&actor, [&](MemoryTx& tx) -> Result<CertificateVersion> {
    auto domain = FindDomain(tx.db, c.domain_id);
    if (!domain) return Fail(domain.error());
    Domain& d = **domain;
    for (Id existing : tx.db.domain_certificates[d.id]) {
      if (tx.db.certificates.at(existing).sha256 == c.sha256) {
        return Fail(ErrorCode::kAlreadyExists,
                    "domain " + d.name + " already has the certificate " + c.sha256);
      }
    }
    if (c.order_id && !tx.db.orders.count(*c.order_id)) {
      return Fail(ErrorCode::kConflict, "order " + std::to_string(*c.order_id) + " not found");
    }
    if (c.replaces_id && !tx.db.certificates.count(*c.replaces_id)) {
      return Fail(ErrorCode::kConflict,
                  "certificate " + std::to_string(*c.replaces_id) + " not found");
    }
    const Domain before = d;
    CertificateVersion row = c;
    row.id = tx.db.next_certificate++;
    row.not_before = Ms(c.not_before);
    row.not_after = Ms(c.not_after);
    row.ari_window_start = Ms(c.ari_window_start);
    row.ari_window_end = Ms(c.ari_window_end);
    row.ari_retry_after = Ms(c.ari_retry_after);
    row.created_at = tx.now;
    row.chain_pem = Text(c.chain_pem);
    row.serial = Text(c.serial);
    row.issuer_cn = Text(c.issuer_cn);
    for (auto& name : row.names) name = Text(name);
    tx.db.certificates[row.id] = row;
    tx.db.domain_certificates[d.id].push_back(row.id);
    UnindexDomain(tx.db, d);  // a new end of life, maybe a new status: the expiry index
    d.current_certificate_id = row.id;
    d.current_not_after = row.not_after;
    d.version += 1;
    d.updated_at = tx.now;
    if (row.order_id) CompleteOrder(tx, d.id, *row.order_id);
    if (row.source == CertificateSource::kManual) MarkManualDomainValid(tx, d);
    IndexDomain(tx.db, d);
    tx.Record(events::CertificateStored(before, row));
    DesiredChanged(tx, before.machine_ids, before.name);
    return row;
  });
}

Result<CertificateVersion> MemoryStore::GetCertificate(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<CertificateVersion> {
    auto it = db.certificates.find(id);
    if (it == db.certificates.end()) return Fail(NotFound("certificate", id));
    return it->second;
  });
}

Result<std::vector<CertificateVersion>> MemoryStore::ListCertificates(Id domain_id,
                                                                      std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<CertificateVersion>> {
    std::vector<CertificateVersion> out;
    const auto& ids = db.domain_certificates[domain_id];
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
      out.push_back(db.certificates.at(*it));
    }
    return out;
  });
}

Status MemoryStore::UpdateCertificateAri(Id certificate_id, std::optional<TimePoint> window_start,
                                         std::optional<TimePoint> window_end,
                                         std::optional<TimePoint> retry_after) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.certificates.find(certificate_id);
    if (it == tx.db.certificates.end()) return Fail(NotFound("certificate", certificate_id));
    it->second.ari_window_start = Ms(window_start);
    it->second.ari_window_end = Ms(window_end);
    it->second.ari_retry_after = Ms(retry_after);
    return Ok();
  });
}

// ---- challenges ----

Status MemoryStore::PutChallenge(const Challenge& c) {
  if (c.token.empty()) return Fail(ErrorCode::kInvalidArgument, "storing a challenge: empty token");
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    if (auto d = FindDomain(tx.db, c.domain_id); !d) return Fail(d.error());
    Challenge row = c;
    row.expires_at = Ms(c.expires_at);
    tx.db.challenges[c.token] = std::move(row);
    return Ok();
  });
}

Result<std::string> MemoryStore::FindPendingChallenge(std::string_view token, TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<std::string> {
    auto it = db.challenges.find(token);
    if (it == db.challenges.end() || !it->second.pending || !(it->second.expires_at > Ms(now))) {
      return Fail(ErrorCode::kNotFound, "no pending challenge for this token");
    }
    return it->second.key_authorization;
  });
}

Status MemoryStore::FinishChallenge(std::string_view token) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.challenges.find(token);
    if (it == tx.db.challenges.end()) {
      return Fail(ErrorCode::kNotFound, "challenge token not found");
    }
    it->second.pending = false;
    return Ok();
  });
}

Result<std::int64_t> MemoryStore::DeleteExpiredChallenges(TimePoint now) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<std::int64_t> {
    return static_cast<std::int64_t>(std::erase_if(tx.db.challenges, [&](const auto& e) {
      return !e.second.pending || e.second.expires_at < Ms(now);
    }));
  });
}

}  // namespace certfleet::store::testing
