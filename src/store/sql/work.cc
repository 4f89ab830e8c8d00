// Issuance work: claiming due domains under a lease, and the orders run under it.
//
// The domain is the unit of work. A lease is held while domains.lease_owner and
// domains.lease_until equal the Lease the claimer received; ExtendLease moves both.
// A claim also re-takes leases held by the claiming owner itself (a restarted worker
// resuming its orders) and gives them a new lease_until, which fences off any Lease value
// handed out before.
// PostgreSQL: the claim SELECT becomes "... FOR UPDATE SKIP LOCKED" in one statement, and
// it also takes the leases of workers whose liveness lock is gone (a killed hub's orders are
// resumed by another within a poll, not after the lease; Database::DeadLeaseOwnerCondition).
#include "store/sql/domain_rows.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

// kConflict unless `lease` is still held; returns the domain's name.
Result<std::string> HoldsLease(Connection& conn, const Lease& lease) {
  auto stmt = conn.Prepare("SELECT name, lease_owner, lease_until FROM domains WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", lease.domain_id);
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  if (!*row)
    return Fail(ErrorCode::kNotFound, "domain " + std::to_string(lease.domain_id) + " not found");
  if (stmt->Text(1) != lease.owner || stmt->OptInt(2) != ToMillis(lease.until)) {
    return Fail(ErrorCode::kConflict, "domain " + stmt->Text(0) + ": lease of worker " +
                                          lease.owner + " is no longer held (expired or released)");
  }
  return stmt->Text(0);
}

Result<Order> LoadOrder(Connection& conn, Id id) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<Order>(*stmt, ReadOrder, "order " + std::to_string(id) + " not found");
}

}  // namespace

Result<std::vector<Domain>> SqlStore::ClaimDueDomains(const ClaimRequest& req) {
  if (req.owner.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "claiming domains: the worker's owner id is empty");
  }
  return Write([&](Tx& tx) -> Result<std::vector<Domain>> {
    const std::string_view dead_owner = tx.db.DeadLeaseOwnerCondition();
    auto select = tx.conn.Prepare(
        "SELECT id FROM domains WHERE issuer <> 'manual' AND next_attempt_at IS NOT NULL "
        "AND next_attempt_at <= :now "
        "AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner" +
        (dead_owner.empty() ? std::string() : " OR " + std::string(dead_owner)) +
        ") ORDER BY next_attempt_at, id LIMIT :limit" + std::string(tx.db.SkipLockedClause()));
    if (!select) return Fail(select.error());
    select->BindTime(":now", req.now).BindText(":owner", req.owner).BindInt(":limit", req.limit);
    auto ids = ReadAll<Id>(*select, [](const Statement& s) { return s.Int(0); });
    if (!ids) return Fail(ids.error());
    std::vector<Domain> claimed;
    for (Id id : *ids) {
      auto update = tx.conn.Prepare(
          "UPDATE domains SET lease_owner = :owner, lease_until = :until WHERE id = :id");
      if (!update) return Fail(update.error());
      auto s = update->BindText(":owner", req.owner)
                   .BindTime(":until", req.now + req.lease_for)
                   .BindInt(":id", id)
                   .Run();
      if (!s) return Fail(s.error());
      auto d = LoadDomain(tx.conn, id);
      if (!d) return Fail(d.error());
      claimed.push_back(std::move(*d));
    }
    return claimed;
  });
}

Result<std::int64_t> SqlStore::ExpediteRetries(std::string_view issuer, TimePoint now) {
  return Write([&](Tx& tx) -> Result<std::int64_t> {
    auto stmt = tx.conn.Prepare(
        "UPDATE domains SET next_attempt_at = :now WHERE issuer = :issuer AND status = :failed "
        "AND next_attempt_at > :now");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindTime(":now", now)
                 .BindText(":issuer", issuer)
                 .BindText(":failed", DomainStatusName(DomainStatus::kFailed))
                 .Run();
    if (!s) return Fail(s.error());
    return tx.conn.Changes();
  });
}

Result<Lease> SqlStore::ExtendLease(const Lease& lease, TimePoint until) {
  return Write([&](Tx& tx) -> Result<Lease> {
    if (auto held = HoldsLease(tx.conn, lease); !held) return Fail(held.error());
    auto stmt = tx.conn.Prepare("UPDATE domains SET lease_until = :until WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":until", until).BindInt(":id", lease.domain_id).Run(); !s) {
      return Fail(s.error());
    }
    return Lease{lease.domain_id, lease.owner, until};
  });
}

Result<Domain> SqlStore::UpdateAttempt(const Actor& actor, const Lease& lease,
                                       const AttemptUpdate& u) {
  return Write([&](Tx& tx) -> Result<Domain> {
    if (auto held = HoldsLease(tx.conn, lease); !held) return Fail(held.error());
    auto old = LoadDomain(tx.conn, lease.domain_id);
    if (!old) return old;
    auto stmt = tx.conn.Prepare(
        "UPDATE domains SET status = :status, last_error = :error, failure_count = :failures, "
        "next_attempt_at = :next, renew_at = :renew, version = version + 1, updated_at = :now, "
        "lease_owner = CASE WHEN :release = 1 THEN '' ELSE lease_owner END, "
        "lease_until = CASE WHEN :release = 1 THEN NULL ELSE lease_until END WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":status", DomainStatusName(u.status))
                 .BindText(":error", u.last_error)
                 .BindInt(":failures", u.failure_count)
                 .BindOptTime(":next", u.next_attempt_at)
                 .BindOptTime(":renew", u.renew_at)
                 .BindTime(":now", tx.now)
                 .BindInt(":release", u.release ? 1 : 0)
                 .BindInt(":id", lease.domain_id)
                 .Run();
    if (!s) return Fail(s.error());
    auto updated = LoadDomain(tx.conn, lease.domain_id);
    if (!updated) return updated;
    if (auto event = events::DomainStatusChanged(*old, *updated)) {
      if (auto r = RecordTx(tx, actor, *event); !r) return Fail(r.error());
    }
    return updated;
  });
}

Result<Order> SqlStore::CreateOrder(const Actor& actor, const Lease& lease, const Order& o) {
  return Write([&](Tx& tx) -> Result<Order> {
    if (o.domain_id != lease.domain_id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "creating an order: the lease is for another domain");
    }
    auto domain = HoldsLease(tx.conn, lease);
    if (!domain) return Fail(domain.error());
    auto stmt = tx.conn.Prepare(
        "INSERT INTO orders (domain_id, issuer, state, acme_state, attempt, error, started_at, "
        "updated_at) VALUES (:domain, :issuer, :state, :acme, :attempt, :error, :now, :now)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindInt(":domain", o.domain_id)
                 .BindText(":issuer", o.issuer)
                 .BindText(":state", OrderStateName(o.state))
                 .BindText(":acme", o.acme_state_json)
                 .BindInt(":attempt", o.attempt)
                 .BindText(":error", o.error)
                 .BindTime(":now", tx.now)
                 .Run();
    if (!s && s.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "domain " + std::to_string(o.domain_id) +
                                                 " already has an unfinished order; resume it");
    }
    if (!s) return Fail(s.error());
    auto created = LoadOrder(tx.conn, tx.conn.LastInsertRowId());
    if (!created) return created;
    if (auto a = AuditTx(tx, actor, events::OrderCreatedAudit(*domain, *created)); !a) {
      return Fail(a.error());
    }
    return created;
  });
}

Result<Order> SqlStore::GetOrder(Id id) {
  return Read([&](Connection& conn) { return LoadOrder(conn, id); });
}

Result<Order> SqlStore::GetActiveOrder(Id domain_id) {
  return Read([&](Connection& conn) -> Result<Order> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kOrderColumns +
                             " FROM orders WHERE domain_id = :d AND state NOT IN "
                             "('completed', 'failed', 'abandoned')");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":d", domain_id);
    return ReadOne<Order>(*stmt, ReadOrder,
                          "domain " + std::to_string(domain_id) + " has no unfinished order");
  });
}

Result<std::vector<Order>> SqlStore::ListOrders(Id domain_id, std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Order>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kOrderColumns +
                             " FROM orders WHERE domain_id = :d ORDER BY id DESC LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":d", domain_id).BindInt(":limit", limit);
    return ReadAll<Order>(*stmt, ReadOrder);
  });
}

Result<Order> SqlStore::SaveOrder(const Actor& actor, const Lease& lease, const Order& o) {
  return Write([&](Tx& tx) -> Result<Order> {
    auto old = LoadOrder(tx.conn, o.id);
    if (!old) return old;
    if (old->domain_id != lease.domain_id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "saving order " + std::to_string(o.id) + ": the lease is for another domain");
    }
    auto domain = HoldsLease(tx.conn, lease);
    if (!domain) return Fail(domain.error());
    if (IsTerminal(old->state)) {
      return Fail(ErrorCode::kConflict, "order " + std::to_string(o.id) + " is already " +
                                            std::string(OrderStateName(old->state)));
    }
    auto stmt = tx.conn.Prepare(
        "UPDATE orders SET state = :state, acme_state = :acme, error = :error, updated_at = :now "
        "WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":state", OrderStateName(o.state))
                 .BindText(":acme", o.acme_state_json)
                 .BindText(":error", o.error)
                 .BindTime(":now", tx.now)
                 .BindInt(":id", o.id)
                 .Run();
    if (!s) return Fail(s.error());
    if (o.state == OrderState::kFailed) {
      if (auto r = RecordTx(tx, actor, events::OrderFailed(*domain, o, old->attempt)); !r) {
        return Fail(r.error());
      }
    } else if (IsTerminal(o.state)) {
      if (auto a = AuditTx(tx, actor, events::OrderFinishedAudit(*domain, o, old->attempt)); !a) {
        return Fail(a.error());
      }
    }
    return LoadOrder(tx.conn, o.id);
  });
}

}  // namespace certfleet::store::sql
