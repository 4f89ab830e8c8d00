// API tokens, the audit log and the notification queue.
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

Result<Token> LoadToken(Connection& conn, Id id) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<Token>(*stmt, ReadToken, "token " + std::to_string(id) + " not found");
}

Status CheckToken(const Token& t) {
  if (t.secret_sha256.size() != 64) {
    return Fail(ErrorCode::kInvalidArgument,
                "token '" + t.name + "': secret_sha256 must be 64 hex characters");
  }
  if ((t.role == Role::kAgent) != t.machine_id.has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "token '" + t.name + "': agent tokens need a machine, other roles none");
  }
  return Ok();
}

}  // namespace

Result<Token> SqlStore::CreateToken(const Actor& actor, const Token& t) {
  if (auto s = CheckToken(t); !s) return Fail(s.error());
  return Write([&](Tx& tx) -> Result<Token> {
    if (t.machine_id) {
      if (auto s = RequireRow(tx.conn, "machines", "machine", *t.machine_id); !s)
        return Fail(s.error());
    }
    auto stmt = tx.conn.Prepare(
        "INSERT INTO tokens (name, role, machine_id, secret_sha256, created_at) "
        "VALUES (:name, :role, :machine, :hash, :now)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":name", t.name)
                 .BindText(":role", RoleName(t.role))
                 .BindOptInt(":machine", t.machine_id)
                 .BindText(":hash", t.secret_sha256)
                 .BindTime(":now", tx.now)
                 .Run();
    if (!s && s.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "a token with this secret already exists");
    }
    if (!s) return Fail(s.error());
    auto created = LoadToken(tx.conn, tx.conn.LastInsertRowId());
    if (!created) return created;
    if (auto r = RecordTx(tx, actor, events::TokenCreated(*created)); !r) {
      return Fail(r.error());
    }
    return created;
  });
}

Result<Token> SqlStore::FindTokenByHash(std::string_view secret_sha256) {
  return Read([&](Connection& conn) -> Result<Token> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kTokenColumns +
                             " FROM tokens WHERE secret_sha256 = :hash");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":hash", secret_sha256);
    return ReadOne<Token>(*stmt, ReadToken, "unknown token");
  });
}

Result<std::vector<Token>> SqlStore::ListTokens() {
  return Read([&](Connection& conn) -> Result<std::vector<Token>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens ORDER BY id");
    if (!stmt) return Fail(stmt.error());
    return ReadAll<Token>(*stmt, ReadToken);
  });
}

Status SqlStore::RevokeToken(const Actor& actor, Id id, TimePoint at) {
  return Write([&](Tx& tx) -> Status {
    auto token = LoadToken(tx.conn, id);
    if (!token) return Fail(token.error());
    if (token->revoked_at) return Ok();
    auto stmt = tx.conn.Prepare("UPDATE tokens SET revoked_at = :at WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":at", at).BindInt(":id", id).Run(); !s) return s;
    return RecordTx(tx, actor, events::TokenRevoked(*token));
  });
}

Status SqlStore::TouchToken(Id id, TimePoint at) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare("UPDATE tokens SET last_used_at = :at WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":at", at).BindInt(":id", id).Run(); !s) return s;
    if (tx.conn.Changes() == 0)
      return Fail(ErrorCode::kNotFound, "token " + std::to_string(id) + " not found");
    return Ok();
  });
}

Result<std::vector<AuditEntry>> SqlStore::ListAudit(const AuditQuery& q) {
  return Read([&](Connection& conn) -> Result<std::vector<AuditEntry>> {
    auto stmt = conn.Prepare(
        "SELECT id, actor, action, target, at, details FROM audit "
        "WHERE (:target = '' OR target = :target) AND id < :before ORDER BY id DESC LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":target", q.target)
        .BindInt(":before", q.before_id.value_or(INT64_MAX))
        .BindInt(":limit", q.limit);
    return ReadAll<AuditEntry>(*stmt, [](const Statement& s) {
      return AuditEntry{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4), s.Text(5)};
    });
  });
}

Result<Notification> SqlStore::EnqueueNotification(const Notification& n) {
  if (n.channel.empty()) return Fail(ErrorCode::kInvalidArgument, "notification without a channel");
  return Write([&](Tx& tx) -> Result<Notification> {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO notifications (channel, dedup_key, payload, next_attempt_at, created_at) "
        "VALUES (:channel, :key, :payload, :next, :now)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":channel", n.channel)
                 .BindText(":key", n.dedup_key)
                 .BindText(":payload", n.payload_json)
                 .BindTime(":next", n.next_attempt_at)
                 .BindTime(":now", tx.now)
                 .Run();
    if (!s && s.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists,
                  "notification '" + n.dedup_key + "' already queued on channel " + n.channel);
    }
    if (!s) return Fail(s.error());
    auto read = tx.conn.Prepare(std::string("SELECT ") + kNotificationColumns +
                                " FROM notifications WHERE id = :id");
    if (!read) return Fail(read.error());
    read->BindInt(":id", tx.conn.LastInsertRowId());
    return ReadOne<Notification>(*read, ReadNotification, "notification vanished");
  });
}

Result<std::vector<Notification>> SqlStore::ListDueNotifications(std::string_view channel,
                                                                 TimePoint now,
                                                                 std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Notification>> {
    auto stmt =
        conn.Prepare(std::string("SELECT ") + kNotificationColumns +
                     " FROM notifications WHERE channel = :channel AND delivered_at IS NULL "
                     "AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":channel", channel).BindTime(":now", now).BindInt(":limit", limit);
    return ReadAll<Notification>(*stmt, ReadNotification);
  });
}

Status SqlStore::MarkNotificationDelivered(Id id, TimePoint at) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare("UPDATE notifications SET delivered_at = :at WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":at", at).BindInt(":id", id).Run(); !s) return s;
    if (tx.conn.Changes() == 0)
      return Fail(ErrorCode::kNotFound, "notification " + std::to_string(id) + " not found");
    return Ok();
  });
}

Status SqlStore::RescheduleNotification(Id id, TimePoint next_attempt_at, std::string_view error) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "UPDATE notifications SET attempts = attempts + 1, last_error = :error, "
        "next_attempt_at = :next WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindText(":error", error)
                     .BindTime(":next", next_attempt_at)
                     .BindInt(":id", id)
                     .Run();
        !s) {
      return s;
    }
    if (tx.conn.Changes() == 0)
      return Fail(ErrorCode::kNotFound, "notification " + std::to_string(id) + " not found");
    return Ok();
  });
}

}  // namespace certfleet::store::sql
