// The hub's ACME accounts (AcmeAccountBook).
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

constexpr const char* kColumns =
    "directory_url, issuer, sealed_key, account_url, created_at, updated_at";

AcmeAccount ReadAccount(const Statement& s) {
  return AcmeAccount{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4), s.Time(5)};
}

Result<AcmeAccount> Load(Connection& conn, std::string_view directory_url) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kColumns +
                           " FROM acme_accounts WHERE directory_url = :dir");
  if (!stmt) return Fail(stmt.error());
  stmt->BindText(":dir", directory_url);
  return ReadOne<AcmeAccount>(*stmt, ReadAccount,
                              "no ACME account stored for " + std::string(directory_url));
}

}  // namespace

Result<AcmeAccount> SqlStore::GetAcmeAccount(std::string_view directory_url) {
  return Read([&](Connection& conn) { return Load(conn, directory_url); });
}

Result<AcmeAccount> SqlStore::AddAcmeAccount(const AcmeAccount& account) {
  if (auto s = CheckAcmeAccount(account); !s) return Fail(s.error());
  return Write([&](Tx& tx) -> Result<AcmeAccount> {
    // On PostgreSQL, a row committed by a concurrent writer after this transaction's
    // snapshot makes the INSERT fail with a serialization error; the driver retries it,
    // and the retry reads that row.
    auto stmt = tx.conn.Prepare(
        "INSERT INTO acme_accounts (directory_url, issuer, sealed_key, account_url, created_at, "
        "updated_at) VALUES (:dir, :issuer, :key, :url, :now, :now) "
        "ON CONFLICT (directory_url) DO NOTHING");
    if (!stmt) return Fail(stmt.error());
    auto inserted = stmt->BindText(":dir", account.directory_url)
                        .BindText(":issuer", account.issuer)
                        .BindBlob(":key", account.sealed_key)
                        .BindText(":url", account.account_url)
                        .BindTime(":now", tx.now)
                        .Run();
    if (!inserted) return Fail(inserted.error());
    return Load(tx.conn, account.directory_url);
  });
}

Status SqlStore::SetAcmeAccountUrl(std::string_view directory_url, std::string_view account_url) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "UPDATE acme_accounts SET account_url = :url, updated_at = :now "
        "WHERE directory_url = :dir");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":url", account_url)
                 .BindTime(":now", tx.now)
                 .BindText(":dir", directory_url)
                 .Run();
    if (!s) return s;
    if (tx.conn.Changes() == 0)
      return Fail(ErrorCode::kNotFound, "no ACME account stored for " + std::string(directory_url));
    return Ok();
  });
}

Result<std::vector<AcmeAccount>> SqlStore::ListAcmeAccounts() {
  return Read([&](Connection& conn) -> Result<std::vector<AcmeAccount>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kColumns +
                             " FROM acme_accounts ORDER BY directory_url");
    if (!stmt) return Fail(stmt.error());
    return ReadAll<AcmeAccount>(*stmt, ReadAccount);
  });
}

}  // namespace certfleet::store::sql
