// Certificate versions and HTTP-01 challenges.
#include "store/sql/domain_rows.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

Result<CertificateVersion> LoadCertificate(Connection& conn, Id id) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kCertificateColumns +
                           " FROM certificates WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<CertificateVersion>(*stmt, ReadCertificate,
                                     "certificate " + std::to_string(id) + " not found");
}

Status InsertCertificate(Tx& tx, const CertificateVersion& c) {
  auto stmt = tx.conn.Prepare(
      "INSERT INTO certificates (domain_id, chain_pem, encrypted_key, serial, not_before, "
      "not_after, sha256, issuer_cn, names, ari_window_start, ari_window_end, ari_retry_after, "
      "replaces_id, source, order_id, created_at) VALUES (:domain, :chain, :key, :serial, :nb, "
      ":na, :sha, :issuer, :names, :ws, :we, :ra, :replaces, :source, :order, :now)");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindInt(":domain", c.domain_id)
      .BindText(":chain", c.chain_pem)
      .BindBlob(":key", c.encrypted_key)
      .BindText(":serial", c.serial)
      .BindTime(":nb", c.not_before)
      .BindTime(":na", c.not_after)
      .BindText(":sha", c.sha256)
      .BindText(":issuer", c.issuer_cn)
      .BindText(":names", NamesToJson(c.names))
      .BindOptTime(":ws", c.ari_window_start)
      .BindOptTime(":we", c.ari_window_end)
      .BindOptTime(":ra", c.ari_retry_after)
      .BindOptInt(":replaces", c.replaces_id)
      .BindText(":source", CertificateSourceName(c.source))
      .BindOptInt(":order", c.order_id)
      .BindTime(":now", tx.now)
      .Run();
}

// Makes `cert` current on its domain and completes the order that produced it.
Status MakeCurrent(Tx& tx, const CertificateVersion& cert) {
  auto stmt = tx.conn.Prepare(
      "UPDATE domains SET current_certificate_id = :id, current_not_after = :na, "
      "version = version + 1, updated_at = :now WHERE id = :domain");
  if (!stmt) return Fail(stmt.error());
  auto s = stmt->BindInt(":id", cert.id)
               .BindTime(":na", cert.not_after)
               .BindTime(":now", tx.now)
               .BindInt(":domain", cert.domain_id)
               .Run();
  if (!s || !cert.order_id) return s;
  auto order = tx.conn.Prepare(
      "UPDATE orders SET state = 'completed', updated_at = :now WHERE id = :order AND domain_id = "
      ":domain");
  if (!order) return Fail(order.error());
  return order->BindTime(":now", tx.now)
      .BindInt(":order", *cert.order_id)
      .BindInt(":domain", cert.domain_id)
      .Run();
}

// A manual upload is the whole "attempt" of a manual domain: it becomes valid in the
// same transaction as the certificate (an ACME domain's status is the worker's, written
// with UpdateAttempt under its lease).
Status MarkManualDomainValid(Tx& tx, const Actor& actor, const Domain& domain) {
  if (domain.status == DomainStatus::kValid && domain.last_error.empty() &&
      domain.failure_count == 0) {
    return Ok();
  }
  auto stmt = tx.conn.Prepare(
      "UPDATE domains SET status = 'valid', last_error = '', failure_count = 0 WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  if (auto s = stmt->BindInt(":id", domain.id).Run(); !s) return s;
  Domain after = domain;
  after.status = DomainStatus::kValid;
  after.last_error.clear();
  after.failure_count = 0;
  auto event = events::DomainStatusChanged(domain, after);
  return event ? RecordTx(tx, actor, *event) : Ok();
}

}  // namespace

Result<CertificateVersion> SqlStore::AddCertificate(const Actor& actor,
                                                    const CertificateVersion& c) {
  if (c.chain_pem.empty() || c.encrypted_key.empty() || c.sha256.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "storing a certificate: chain, encrypted key and sha256 are required");
  }
  return Write([&](Tx& tx) -> Result<CertificateVersion> {
    auto domain = LoadDomain(tx.conn, c.domain_id);
    if (!domain) return Fail(domain.error());
    if (auto s = InsertCertificate(tx, c); !s) {
      if (s.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kAlreadyExists,
                    "domain " + domain->name + " already has the certificate " + c.sha256);
      }
      return Fail(s.error());
    }
    auto stored = LoadCertificate(tx.conn, tx.conn.LastInsertRowId());
    if (!stored) return stored;
    if (auto s = MakeCurrent(tx, *stored); !s) return Fail(s.error());
    if (stored->source == CertificateSource::kManual) {
      if (auto s = MarkManualDomainValid(tx, actor, *domain); !s) return Fail(s.error());
    }
    if (auto s = RecordTx(tx, actor, events::CertificateStored(*domain, *stored)); !s) {
      return Fail(s.error());
    }
    if (auto s = DesiredChangedTx(tx, domain->machine_ids, domain->name); !s)
      return Fail(s.error());
    return stored;
  });
}

Result<CertificateVersion> SqlStore::GetCertificate(Id id) {
  return Read([&](Connection& conn) { return LoadCertificate(conn, id); });
}

Result<std::vector<CertificateVersion>> SqlStore::ListCertificates(Id domain_id,
                                                                   std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<CertificateVersion>> {
    auto stmt =
        conn.Prepare(std::string("SELECT ") + kCertificateColumns +
                     " FROM certificates WHERE domain_id = :d ORDER BY id DESC LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":d", domain_id).BindInt(":limit", limit);
    return ReadAll<CertificateVersion>(*stmt, ReadCertificate);
  });
}

Status SqlStore::UpdateCertificateAri(Id certificate_id, std::optional<TimePoint> window_start,
                                      std::optional<TimePoint> window_end,
                                      std::optional<TimePoint> retry_after) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "UPDATE certificates SET ari_window_start = :ws, ari_window_end = :we, "
        "ari_retry_after = :ra WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindOptTime(":ws", window_start)
                 .BindOptTime(":we", window_end)
                 .BindOptTime(":ra", retry_after)
                 .BindInt(":id", certificate_id)
                 .Run();
    if (!s) return s;
    if (tx.conn.Changes() == 0) {
      return Fail(ErrorCode::kNotFound,
                  "certificate " + std::to_string(certificate_id) + " not found");
    }
    return Ok();
  });
}

Status SqlStore::PutChallenge(const Challenge& c) {
  if (c.token.empty()) return Fail(ErrorCode::kInvalidArgument, "storing a challenge: empty token");
  return Write([&](Tx& tx) -> Status {
    if (auto s = RequireRow(tx.conn, "domains", "domain", c.domain_id); !s) return s;
    auto stmt = tx.conn.Prepare(
        "INSERT INTO challenges (token, key_authorization, domain_id, order_id, expires_at, "
        "pending) "
        "VALUES (:token, :ka, :domain, :order, :expires, :pending) ON CONFLICT (token) DO UPDATE "
        "SET "
        "key_authorization = excluded.key_authorization, domain_id = excluded.domain_id, "
        "order_id = excluded.order_id, expires_at = excluded.expires_at, pending = "
        "excluded.pending");
    if (!stmt) return Fail(stmt.error());
    tx.after_commit = [this, &c, now = tx.now] { challenges_.Put(c, now); };
    return stmt->BindText(":token", c.token)
        .BindText(":ka", c.key_authorization)
        .BindInt(":domain", c.domain_id)
        .BindOptInt(":order", c.order_id)
        .BindTime(":expires", c.expires_at)
        .BindInt(":pending", c.pending ? 1 : 0)
        .Run();
  });
}

// The responder's hot path: answered from memory when cached (see ChallengeCache), else
// from the database, whose answer is then cached for a moment.
Result<std::string> SqlStore::FindPendingChallenge(std::string_view token, TimePoint now) {
  if (auto cached = challenges_.Find(token, now)) return std::move(*cached);
  const std::uint64_t generation = challenges_.Generation();
  auto found = Read([&](Connection& conn) -> Result<Challenge> {
    auto stmt = conn.Prepare(
        "SELECT key_authorization, domain_id, expires_at FROM challenges WHERE token = :token "
        "AND pending = 1 AND expires_at > :now");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":token", token).BindTime(":now", now);
    return ReadOne<Challenge>(
        *stmt,
        [&](const Statement& s) {
          return Challenge{std::string(token), s.Text(0), s.Int(1), std::nullopt, s.Time(2), true};
        },
        "no pending challenge for this token");
  });
  if (!found) return Fail(found.error());
  challenges_.FillFromRead(*found, now, generation);
  return std::move(found->key_authorization);
}

Status SqlStore::FinishChallenge(std::string_view token) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare("UPDATE challenges SET pending = 0 WHERE token = :token");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindText(":token", token).Run(); !s) return s;
    if (tx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "challenge token not found");
    tx.after_commit = [this, token] { challenges_.Erase(token); };
    return Ok();
  });
}

Result<std::int64_t> SqlStore::DeleteExpiredChallenges(TimePoint now) {
  return Write([&](Tx& tx) -> Result<std::int64_t> {
    auto stmt = tx.conn.Prepare("DELETE FROM challenges WHERE pending = 0 OR expires_at < :now");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":now", now).Run(); !s) return Fail(s.error());
    tx.after_commit = [this, now] { challenges_.EraseExpired(now); };
    return tx.conn.Changes();
  });
}

}  // namespace certfleet::store::sql
