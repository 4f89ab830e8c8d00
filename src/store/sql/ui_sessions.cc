// The web UI's sign-in sessions (SessionBook).
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

// Session columns 0-4, then its token's (LEFT JOIN: NULL when anonymous or gone) 5-12.
constexpr const char* kFindSession =
    "SELECT s.id_sha256, s.csrf_token, s.token_sha256, s.expires_at, s.absolute_expiry, "
    "t.id, t.name, t.role, t.machine_id, t.secret_sha256, t.created_at, t.last_used_at, "
    "t.revoked_at FROM ui_sessions s LEFT JOIN tokens t ON s.token_sha256 <> '' AND "
    "t.secret_sha256 = s.token_sha256 WHERE s.id_sha256 = :id AND s.expires_at > :now";

UiSession ReadSession(const Statement& s) {
  UiSession out{s.Text(0), s.Text(1), s.Text(2), s.Time(3), s.Time(4), std::nullopt};
  if (!s.IsNull(5)) {
    Token t;
    t.id = s.Int(5);
    t.name = s.Text(6);
    auto role = ParseRole(s.Text(7));
    t.role = role ? *role : Role::kReadonly;
    t.machine_id = s.OptInt(8);
    t.secret_sha256 = s.Text(9);
    t.created_at = s.Time(10);
    t.last_used_at = s.OptTime(11);
    t.revoked_at = s.OptTime(12);
    out.token = std::move(t);
  }
  return out;
}

Status DeleteById(Connection& conn, std::string_view id_sha256) {
  auto stmt = conn.Prepare("DELETE FROM ui_sessions WHERE id_sha256 = :id");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindText(":id", id_sha256).Run();
}

Result<std::int64_t> DeleteExpired(Connection& conn, TimePoint now) {
  auto stmt = conn.Prepare("DELETE FROM ui_sessions WHERE expires_at <= :now");
  if (!stmt) return Fail(stmt.error());
  if (auto s = stmt->BindTime(":now", now).Run(); !s) return Fail(s.error());
  return conn.Changes();
}

Result<std::int64_t> Count(Connection& conn, TimePoint now) {
  auto stmt = conn.Prepare("SELECT COUNT(*) FROM ui_sessions WHERE expires_at > :now");
  if (!stmt) return Fail(stmt.error());
  stmt->BindTime(":now", now);
  return ReadOne<std::int64_t>(
      *stmt, [](const Statement& s) { return s.Int(0); }, "no count");
}

// Drops the `n` sessions closest to expiry, anonymous ones first.
Status DropClosestToExpiry(Connection& conn, std::int64_t n) {
  auto stmt = conn.Prepare(
      "DELETE FROM ui_sessions WHERE id_sha256 IN (SELECT id_sha256 FROM ui_sessions "
      "ORDER BY (token_sha256 <> ''), expires_at, id_sha256 LIMIT :n)");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindInt(":n", n).Run();
}

}  // namespace

Status SqlStore::CreateUiSession(const UiSession& session, std::string_view replaces_sha256,
                                 TimePoint now, std::int64_t max_sessions) {
  if (auto s = CheckUiSession(session, max_sessions); !s) return s;
  return Write([&](Tx& tx) -> Status {
    if (!replaces_sha256.empty()) {
      if (auto s = DeleteById(tx.conn, replaces_sha256); !s) return s;
    }
    if (auto purged = DeleteExpired(tx.conn, now); !purged) return Fail(purged.error());
    auto live = Count(tx.conn, now);
    if (!live) return Fail(live.error());
    if (*live >= max_sessions) {
      if (auto s = DropClosestToExpiry(tx.conn, *live - max_sessions + 1); !s) return s;
    }
    auto stmt = tx.conn.Prepare(
        "INSERT INTO ui_sessions (id_sha256, csrf_token, token_sha256, expires_at, "
        "absolute_expiry, created_at) VALUES (:id, :csrf, :token, :expires, :absolute, :now)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":id", session.id_sha256)
                 .BindText(":csrf", session.csrf_token)
                 .BindText(":token", session.token_sha256)
                 .BindTime(":expires", session.expires_at)
                 .BindTime(":absolute", session.absolute_expiry)
                 .BindTime(":now", now)
                 .Run();
    if (!s && s.error().code == ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kAlreadyExists, "a UI session with this id already exists");
    return s;
  });
}

Result<UiSession> SqlStore::FindUiSession(std::string_view id_sha256, TimePoint now) {
  return Read([&](Connection& conn) -> Result<UiSession> {
    auto stmt = conn.Prepare(kFindSession);
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":id", id_sha256).BindTime(":now", now);
    return ReadOne<UiSession>(*stmt, ReadSession, "no such UI session (unknown or expired)");
  });
}

Status SqlStore::TouchUiSession(std::string_view id_sha256, TimePoint expires_at) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "UPDATE ui_sessions SET expires_at = CASE WHEN :e < absolute_expiry THEN :e "
        "ELSE absolute_expiry END WHERE id_sha256 = :id AND expires_at < :e AND "
        "expires_at < absolute_expiry");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindTime(":e", expires_at).BindText(":id", id_sha256).Run();
  });
}

Status SqlStore::DeleteUiSession(std::string_view id_sha256) {
  return Write([&](Tx& tx) -> Status { return DeleteById(tx.conn, id_sha256); });
}

Result<std::int64_t> SqlStore::CountUiSessions(TimePoint now) {
  return Read([&](Connection& conn) { return Count(conn, now); });
}

Result<std::int64_t> SqlStore::DeleteExpiredUiSessions(TimePoint now) {
  return Write([&](Tx& tx) { return DeleteExpired(tx.conn, now); });
}

}  // namespace certfleet::store::sql
