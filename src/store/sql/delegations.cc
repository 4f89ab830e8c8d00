// DNS-01 delegation labels, checks and the delegated zone's TXT records (DelegationBook).
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

constexpr const char* kDelegationColumns =
    "domain, label, challenge, check_state, check_message, checked_at";

DomainDelegation ReadDelegation(const Statement& s) {
  return DomainDelegation{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.OptTime(5)};
}

Result<DomainDelegation> LoadDelegation(Connection& conn, std::string_view domain) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kDelegationColumns +
                           " FROM dns01_delegations WHERE domain = :domain");
  if (!stmt) return Fail(stmt.error());
  stmt->BindText(":domain", domain);
  return ReadOne<DomainDelegation>(*stmt, ReadDelegation,
                                   std::string(domain) + " has no DNS-01 delegation label yet");
}

Error LabelTaken(const Error& e, std::string_view label) {
  if (e.code != ErrorCode::kAlreadyExists) return e;
  return Error{e.code, "delegation label " + std::string(label) + " belongs to another domain"};
}

// Inserts the name's row with `fresh_label` unless it has one.
Status InsertDelegation(Tx& tx, std::string_view domain, std::string_view fresh_label) {
  if (domain.empty() || fresh_label.empty())
    return Fail(ErrorCode::kInvalidArgument, "a delegation needs a domain name and a label");
  auto stmt = tx.conn.Prepare(
      "INSERT INTO dns01_delegations (domain, label, created_at) VALUES (:domain, :label, :now) "
      "ON CONFLICT (domain) DO NOTHING");
  if (!stmt) return Fail(stmt.error());
  auto s = stmt->BindText(":domain", domain)
               .BindText(":label", fresh_label)
               .BindTime(":now", tx.now)
               .Run();
  if (!s) return Fail(LabelTaken(s.error(), fresh_label));
  return Ok();
}

}  // namespace

Result<DomainDelegation> SqlStore::EnsureDelegation(std::string_view domain,
                                                    std::string_view fresh_label) {
  return Write([&](Tx& tx) -> Result<DomainDelegation> {
    if (auto s = InsertDelegation(tx, domain, fresh_label); !s) return Fail(s.error());
    return LoadDelegation(tx.conn, domain);
  });
}

Result<DomainDelegation> SqlStore::SetChallengeChoice(std::string_view domain,
                                                      std::string_view challenge,
                                                      std::string_view fresh_label) {
  return Write([&](Tx& tx) -> Result<DomainDelegation> {
    if (auto s = InsertDelegation(tx, domain, fresh_label); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "UPDATE dns01_delegations SET challenge = :challenge WHERE domain = :domain");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":challenge", challenge).BindText(":domain", domain).Run();
    if (!s) return Fail(s.error());
    return LoadDelegation(tx.conn, domain);
  });
}

Result<DomainDelegation> SqlStore::GetDelegation(std::string_view domain) {
  return Read([&](Connection& conn) { return LoadDelegation(conn, domain); });
}

Status SqlStore::RecordDelegationCheck(std::string_view domain, std::string_view state,
                                       std::string_view message, TimePoint at) {
  return Write([&](Tx& tx) -> Status {
    auto before = LoadDelegation(tx.conn, domain);
    if (!before) return Fail(before.error());
    auto stmt = tx.conn.Prepare(
        "UPDATE dns01_delegations SET check_state = :state, check_message = :message, "
        "checked_at = :at WHERE domain = :domain");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":state", state)
                 .BindText(":message", message)
                 .BindTime(":at", at)
                 .BindText(":domain", domain)
                 .Run();
    if (!s) return s;
    if (tx.conn.Changes() == 0)
      return Fail(ErrorCode::kNotFound,
                  std::string(domain) + " has no DNS-01 delegation label yet");
    if (auto event = events::DelegationCheckChanged(domain, before->check_state, state, message)) {
      if (auto appended = AppendEventTx(tx, *event); !appended) return Fail(appended.error());
    }
    return Ok();
  });
}

Status SqlStore::PublishDelegatedTxt(const DelegatedTxt& r) {
  if (r.key.empty() || r.label.empty() || r.value.empty())
    return Fail(ErrorCode::kInvalidArgument, "a delegated TXT record needs a key, label and value");
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO dns01_txt (key, label, value, expires_at) "
        "VALUES (:key, :label, :value, :expires) ON CONFLICT (key) DO UPDATE SET "
        "label = excluded.label, value = excluded.value, expires_at = excluded.expires_at");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":key", r.key)
        .BindText(":label", r.label)
        .BindText(":value", r.value)
        .BindTime(":expires", r.expires_at)
        .Run();
  });
}

Status SqlStore::WithdrawDelegatedTxt(std::string_view key) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare("DELETE FROM dns01_txt WHERE key = :key");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":key", key).Run();
  });
}

Result<std::vector<DelegatedTxt>> SqlStore::ListDelegatedTxt(TimePoint now) {
  return Read([&](Connection& conn) -> Result<std::vector<DelegatedTxt>> {
    auto stmt = conn.Prepare(
        "SELECT key, label, value, expires_at FROM dns01_txt WHERE expires_at > :now "
        "ORDER BY label, key");
    if (!stmt) return Fail(stmt.error());
    stmt->BindTime(":now", now);
    return ReadAll<DelegatedTxt>(*stmt, [](const Statement& s) {
      return DelegatedTxt{s.Text(0), s.Text(1), s.Text(2), s.Time(3)};
    });
  });
}

Result<std::int64_t> SqlStore::DeleteExpiredDelegatedTxt(TimePoint now) {
  return Write([&](Tx& tx) -> Result<std::int64_t> {
    auto stmt = tx.conn.Prepare("DELETE FROM dns01_txt WHERE expires_at <= :now");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":now", now).Run(); !s) return Fail(s.error());
    return tx.conn.Changes();
  });
}

}  // namespace certfleet::store::sql
