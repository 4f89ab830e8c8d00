// The discovery roles on the SQL store (SQLite and PostgreSQL): InventoryBook (inventories, their entries, upload
// requests) and ExternalChallengeBoard. Schema: {sqlite,postgres}/migrations/0002_discovery.sql.
#include "store/discovery_events.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

constexpr const char* kInventoryColumns =
    "machine_id, collected_at, reported_at, changed_at, digest, nginx_error, problems";
constexpr const char* kEntryColumns =
    "machine_id, name, origin, sha256, not_after, issuer, key_type, serial, path, status, "
    "detail, config_file, line";
constexpr const char* kUploadColumns =
    "u.id, u.machine_id, u.domain_id, d.name, u.sha256, u.state, u.error, u.created_at, "
    "u.finished_at";
constexpr const char* kChallengeColumns =
    "token, key_authorization, domain_id, identifier, created_by, created_at, expires_at";

MachineInventory ReadInventory(const Statement& s) {
  MachineInventory m;
  m.machine_id = s.Int(0);
  m.collected_at = s.Time(1);
  m.reported_at = s.Time(2);
  m.changed_at = s.Time(3);
  m.digest = s.Text(4);
  m.nginx_error = s.Text(5);
  m.problems = static_cast<std::int32_t>(s.Int(6));
  return m;
}

InventoryEntry ReadEntry(const Statement& s) {
  return InventoryEntry{s.Int(0),
                        s.Text(1),
                        s.Text(2),
                        s.Text(3),
                        s.OptTime(4),
                        s.Text(5),
                        s.Text(6),
                        s.Text(7),
                        s.Text(8),
                        s.Text(9),
                        s.Text(10),
                        s.Text(11),
                        static_cast<std::int32_t>(s.Int(12))};
}

std::string_view UploadStateName(UploadState s) {
  return s == UploadState::kPending ? "pending" : s == UploadState::kDone ? "done" : "failed";
}

UploadRequest ReadUpload(const Statement& s) {
  UploadRequest r;
  r.id = s.Int(0);
  r.machine_id = s.Int(1);
  r.domain_id = s.Int(2);
  r.domain = s.Text(3);
  r.sha256 = s.Text(4);
  const std::string state = s.Text(5);
  r.state = state == "pending" ? UploadState::kPending
            : state == "done"  ? UploadState::kDone
                               : UploadState::kFailed;
  r.error = s.Text(6);
  r.created_at = s.Time(7);
  r.finished_at = s.OptTime(8);
  return r;
}

ExternalChallenge ReadChallenge(const Statement& s) {
  return ExternalChallenge{s.Text(0), s.Text(1), s.Int(2), s.Text(3),
                           s.Text(4), s.Time(5), s.Time(6)};
}

Result<std::string> NameOf(Connection& conn, std::string_view table, std::string_view what, Id id) {
  auto stmt = conn.Prepare("SELECT name FROM " + std::string(table) + " WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<std::string>(
      *stmt, [](const Statement& s) { return s.Text(0); },
      std::string(what) + " " + std::to_string(id) + " not found");
}

Result<std::string> StoredDigest(Connection& conn, Id machine_id) {
  auto stmt = conn.Prepare("SELECT digest FROM inventories WHERE machine_id = :m");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":m", machine_id);
  return ReadOne<std::string>(
      *stmt, [](const Statement& s) { return s.Text(0); }, "");
}

Status ReplaceEntries(Tx& tx, const MachineInventory& inv) {
  auto del = tx.conn.Prepare("DELETE FROM inventory_entries WHERE machine_id = :m");
  if (!del) return Fail(del.error());
  if (auto s = del->BindInt(":m", inv.machine_id).Run(); !s) return s;
  std::int64_t seq = 0;
  for (const InventoryEntry& e : inv.entries) {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO inventory_entries (machine_id, seq, name, origin, sha256, not_after, issuer, "
        "key_type, serial, path, status, detail, config_file, line) VALUES (:m, :seq, :name, "
        ":origin, :sha, :na, :issuer, :kt, :serial, :path, :status, :detail, :file, :line)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindInt(":m", inv.machine_id)
                 .BindInt(":seq", seq++)
                 .BindText(":name", e.name)
                 .BindText(":origin", e.origin)
                 .BindText(":sha", e.sha256)
                 .BindOptTime(":na", e.not_after)
                 .BindText(":issuer", e.issuer)
                 .BindText(":kt", e.key_type)
                 .BindText(":serial", e.serial)
                 .BindText(":path", e.path)
                 .BindText(":status", e.status)
                 .BindText(":detail", e.detail)
                 .BindText(":file", e.config_file)
                 .BindInt(":line", e.line)
                 .Run();
    if (!s) return s;
  }
  return Ok();
}

Status UpsertInventory(Tx& tx, const MachineInventory& inv) {
  auto stmt = tx.conn.Prepare(
      "INSERT INTO inventories (machine_id, collected_at, reported_at, changed_at, digest, body, "
      "nginx_error, problems) VALUES (:m, :collected, :now, :now, :digest, :body, :err, :problems) "
      "ON CONFLICT (machine_id) DO UPDATE SET collected_at = excluded.collected_at, "
      "reported_at = excluded.reported_at, changed_at = excluded.changed_at, digest = "
      "excluded.digest, body = excluded.body, nginx_error = excluded.nginx_error, problems = "
      "excluded.problems");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindInt(":m", inv.machine_id)
      .BindTime(":collected", inv.collected_at)
      .BindTime(":now", tx.now)
      .BindText(":digest", inv.digest)
      .BindText(":body", inv.body_json)
      .BindText(":err", inv.nginx_error)
      .BindInt(":problems", inv.problems)
      .Run();
}

Result<UploadRequest> LoadUpload(Connection& conn, Id id) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kUploadColumns +
                           " FROM upload_requests u JOIN domains d ON d.id = u.domain_id "
                           "WHERE u.id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<UploadRequest>(*stmt, ReadUpload,
                                "upload request " + std::to_string(id) + " not found");
}

}  // namespace

Result<bool> SqlStore::PutInventory(const Actor& actor, const MachineInventory& inv) {
  if (inv.digest.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "storing an inventory: the digest is required");
  }
  return Write([&](Tx& tx) -> Result<bool> {
    auto machine = NameOf(tx.conn, "machines", "machine", inv.machine_id);
    if (!machine) return Fail(machine.error());
    auto stored = StoredDigest(tx.conn, inv.machine_id);
    if (!stored && stored.error().code != ErrorCode::kNotFound) return Fail(stored.error());
    if (stored && *stored == inv.digest) {
      auto touch = tx.conn.Prepare(
          "UPDATE inventories SET reported_at = :now, collected_at = :c WHERE machine_id = :m");
      if (!touch) return Fail(touch.error());
      auto s = touch->BindTime(":now", tx.now)
                   .BindTime(":c", inv.collected_at)
                   .BindInt(":m", inv.machine_id)
                   .Run();
      if (!s) return Fail(s.error());
      return false;
    }
    if (auto s = UpsertInventory(tx, inv); !s) return Fail(s.error());
    if (auto s = ReplaceEntries(tx, inv); !s) return Fail(s.error());
    if (auto s = RecordTx(tx, actor, events::InventoryChanged(*machine, inv)); !s) {
      return Fail(s.error());
    }
    return true;
  });
}

Result<MachineInventory> SqlStore::GetInventory(Id machine_id) {
  return Read([&](Connection& conn) -> Result<MachineInventory> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kInventoryColumns +
                             ", body FROM inventories WHERE machine_id = :m");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":m", machine_id);
    return ReadOne<MachineInventory>(
        *stmt,
        [](const Statement& s) {
          MachineInventory m = ReadInventory(s);
          m.body_json = s.Text(7);
          return m;
        },
        "machine " + std::to_string(machine_id) + " has reported no inventory");
  });
}

Result<std::vector<MachineInventory>> SqlStore::ListInventories() {
  return Read([&](Connection& conn) -> Result<std::vector<MachineInventory>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kInventoryColumns +
                             " FROM inventories ORDER BY machine_id");
    if (!stmt) return Fail(stmt.error());
    return ReadAll<MachineInventory>(*stmt, ReadInventory);
  });
}

Result<std::vector<InventoryEntry>> SqlStore::ListInventoryEntries(const InventoryQuery& q) {
  return Read([&](Connection& conn) -> Result<std::vector<InventoryEntry>> {
    std::string where = " WHERE 1 = 1";
    if (q.machine_id) where += " AND machine_id = :m";
    if (!q.name.empty()) where += " AND name = :name";
    if (q.expiring_before) where += " AND not_after < :before";
    auto stmt = conn.Prepare(std::string("SELECT ") + kEntryColumns + " FROM inventory_entries" +
                             where + " ORDER BY machine_id, seq LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    if (q.machine_id) stmt->BindInt(":m", *q.machine_id);
    if (!q.name.empty()) stmt->BindText(":name", q.name);
    if (q.expiring_before) stmt->BindTime(":before", *q.expiring_before);
    stmt->BindInt(":limit", std::clamp<std::int64_t>(q.limit, 0, 100000));
    return ReadAll<InventoryEntry>(*stmt, ReadEntry);
  });
}

Result<std::vector<ManagedName>> SqlStore::ListManagedNames() {
  return Read([&](Connection& conn) -> Result<std::vector<ManagedName>> {
    auto stmt = conn.Prepare(
        "SELECT d.id, d.name, d.sans, COALESCE(c.sha256, '') FROM domains d "
        "LEFT JOIN certificates c ON c.id = d.current_certificate_id ORDER BY d.id");
    if (!stmt) return Fail(stmt.error());
    return ReadAll<ManagedName>(*stmt, [](const Statement& s) {
      return ManagedName{s.Int(0), s.Text(1), NamesFromJson(s.Text(2)), s.Text(3)};
    });
  });
}

Result<UploadRequest> SqlStore::RequestUpload(const Actor& actor, const UploadRequest& r) {
  return Write([&](Tx& tx) -> Result<UploadRequest> {
    auto machine = NameOf(tx.conn, "machines", "machine", r.machine_id);
    auto domain = NameOf(tx.conn, "domains", "domain", r.domain_id);
    if (!machine) return Fail(machine.error());
    if (!domain) return Fail(domain.error());
    auto stmt = tx.conn.Prepare(
        "INSERT INTO upload_requests (machine_id, domain_id, sha256, state, error, created_at) "
        "VALUES (:m, :d, :sha, 'pending', '', :now) ON CONFLICT (machine_id, domain_id, sha256) "
        "DO UPDATE SET state = 'pending', error = '', finished_at = NULL WHERE "
        "upload_requests.state = 'failed'");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindInt(":m", r.machine_id)
                 .BindInt(":d", r.domain_id)
                 .BindText(":sha", r.sha256)
                 .BindTime(":now", tx.now)
                 .Run();
    if (!s) return Fail(s.error());
    auto id = tx.conn.Prepare(
        "SELECT id FROM upload_requests WHERE machine_id = :m AND domain_id = :d AND sha256 = "
        ":sha");
    if (!id) return Fail(id.error());
    id->BindInt(":m", r.machine_id).BindInt(":d", r.domain_id).BindText(":sha", r.sha256);
    auto found = ReadOne<Id>(
        *id, [](const Statement& st) { return st.Int(0); }, "");
    if (!found) return Fail(found.error());
    auto stored = LoadUpload(tx.conn, *found);
    if (!stored) return stored;
    if (auto a = AuditTx(tx, actor, events::UploadRequested(*machine, *domain, *stored)); !a) {
      return Fail(a.error());
    }
    return stored;
  });
}

Result<UploadRequest> SqlStore::GetUploadRequest(Id id) {
  return Read([&](Connection& conn) { return LoadUpload(conn, id); });
}

Result<std::vector<UploadRequest>> SqlStore::ListPendingUploads(std::optional<Id> machine_id) {
  return Read([&](Connection& conn) -> Result<std::vector<UploadRequest>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kUploadColumns +
                             " FROM upload_requests u JOIN domains d ON d.id = u.domain_id "
                             "WHERE u.state = 'pending'" +
                             (machine_id ? " AND u.machine_id = :m" : "") + " ORDER BY u.id");
    if (!stmt) return Fail(stmt.error());
    if (machine_id) stmt->BindInt(":m", *machine_id);
    return ReadAll<UploadRequest>(*stmt, ReadUpload);
  });
}

Result<UploadRequest> SqlStore::FinishUpload(const Actor& actor, Id id, UploadState state,
                                             std::string_view error) {
  if (state == UploadState::kPending) {
    return Fail(ErrorCode::kInvalidArgument, "an upload request finishes as done or failed");
  }
  return Write([&](Tx& tx) -> Result<UploadRequest> {
    auto before = LoadUpload(tx.conn, id);
    if (!before) return before;
    if (before->state != UploadState::kPending) {
      return Fail(ErrorCode::kConflict,
                  "upload request " + std::to_string(id) + " is no longer pending");
    }
    auto stmt = tx.conn.Prepare(
        "UPDATE upload_requests SET state = :state, error = :error, finished_at = :now "
        "WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":state", UploadStateName(state))
                 .BindText(":error", error)
                 .BindTime(":now", tx.now)
                 .BindInt(":id", id)
                 .Run();
    if (!s) return Fail(s.error());
    auto after = LoadUpload(tx.conn, id);
    if (!after) return after;
    auto machine = NameOf(tx.conn, "machines", "machine", after->machine_id);
    if (!machine) return Fail(machine.error());
    if (auto a = AuditTx(tx, actor, events::UploadFinished(*machine, after->domain, *after)); !a) {
      return Fail(a.error());
    }
    return after;
  });
}

Result<ExternalChallenge> SqlStore::PutExternalChallenge(const Actor& actor,
                                                         const ExternalChallenge& c) {
  if (c.token.empty() || c.key_authorization.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "an external challenge needs a token and a key authorization");
  }
  return Write([&](Tx& tx) -> Result<ExternalChallenge> {
    auto domain = NameOf(tx.conn, "domains", "domain", c.domain_id);
    if (!domain) return Fail(domain.error());
    auto sweep = tx.conn.Prepare("DELETE FROM external_challenges WHERE expires_at <= :now");
    if (!sweep) return Fail(sweep.error());
    if (auto s = sweep->BindTime(":now", tx.now).Run(); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "INSERT INTO external_challenges (token, key_authorization, domain_id, identifier, "
        "created_by, created_at, expires_at) VALUES (:t, :ka, :d, :id, :by, :now, :exp) "
        "ON CONFLICT (token) DO UPDATE SET key_authorization = excluded.key_authorization, "
        "domain_id = excluded.domain_id, identifier = excluded.identifier, created_by = "
        "excluded.created_by, created_at = excluded.created_at, expires_at = excluded.expires_at");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":t", c.token)
                 .BindText(":ka", c.key_authorization)
                 .BindInt(":d", c.domain_id)
                 .BindText(":id", c.identifier)
                 .BindText(":by", c.created_by)
                 .BindTime(":now", tx.now)
                 .BindTime(":exp", c.expires_at)
                 .Run();
    if (!s) return Fail(s.error());
    ExternalChallenge stored = c;
    stored.created_at = FromMillis(ToMillis(tx.now));
    stored.expires_at = FromMillis(ToMillis(c.expires_at));
    if (auto a = AuditTx(tx, actor, events::ExternalChallengePut(*domain, stored)); !a) {
      return Fail(a.error());
    }
    return stored;
  });
}

Result<std::string> SqlStore::FindExternalChallenge(std::string_view token, TimePoint now) {
  return Read([&](Connection& conn) -> Result<std::string> {
    auto stmt = conn.Prepare(
        "SELECT key_authorization FROM external_challenges WHERE token = :t AND expires_at > :now");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":t", token).BindTime(":now", now);
    return ReadOne<std::string>(
        *stmt, [](const Statement& s) { return s.Text(0); },
        "no external challenge with this token");
  });
}

Status SqlStore::DeleteExternalChallenge(const Actor& actor, std::string_view token) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(std::string("SELECT ") + kChallengeColumns +
                                " FROM external_challenges WHERE token = :t");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":t", token);
    auto c = ReadOne<ExternalChallenge>(*stmt, ReadChallenge,
                                        "no external challenge with token " + std::string(token));
    if (!c) return Fail(c.error());
    auto domain = NameOf(tx.conn, "domains", "domain", c->domain_id);
    if (!domain) return Fail(domain.error());
    auto del = tx.conn.Prepare("DELETE FROM external_challenges WHERE token = :t");
    if (!del) return Fail(del.error());
    if (auto s = del->BindText(":t", token).Run(); !s) return s;
    return AuditTx(tx, actor, events::ExternalChallengeDeleted(*domain, *c));
  });
}

Result<std::vector<ExternalChallenge>> SqlStore::ListExternalChallenges(TimePoint now) {
  return Read([&](Connection& conn) -> Result<std::vector<ExternalChallenge>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kChallengeColumns +
                             " FROM external_challenges WHERE expires_at > :now "
                             "ORDER BY created_at, token");
    if (!stmt) return Fail(stmt.error());
    stmt->BindTime(":now", now);
    return ReadAll<ExternalChallenge>(*stmt, ReadChallenge);
  });
}

}  // namespace certfleet::store::sql
