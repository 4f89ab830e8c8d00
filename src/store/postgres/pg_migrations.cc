#include "store/postgres/pg_migrations.h"

#include <string>

namespace certfleet::store::postgres {
namespace {

// pg_advisory_lock key of schema migrations ("cfmg").
constexpr const char* kLock = "SELECT pg_advisory_lock(1667656039)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(1667656039)";

Result<int> CurrentVersion(PgConnection& conn) {
  if (auto s = conn.Exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
                         "file TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                         "creating table schema_version");
      !s) {
    return Fail(s.error());
  }
  auto stmt = conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return static_cast<int>(stmt->Int(0));
}

Status Apply(PgConnection& conn, const sql::Migration& m, TimePoint now) {
  const std::string step = "applying migration " + std::string(m.file);
  if (auto s = conn.Exec("BEGIN", step); !s) return s;
  Status status = conn.Exec(m.sql, step);
  if (status) {
    auto stmt =
        conn.Prepare("INSERT INTO schema_version (version, file, applied_at) VALUES (:v, :f, :at)");
    status = stmt ? stmt->BindInt(":v", m.version).BindText(":f", m.file).BindTime(":at", now).Run()
                  : Status(Fail(stmt.error()));
  }
  if (!status) {
    (void)conn.Exec("ROLLBACK", step);
    return Fail(status.error().WithContext(step));
  }
  return conn.Exec("COMMIT", step);
}

Result<SchemaReport> MigrateLocked(PgConnection& conn,
                                   const std::vector<sql::Migration>& migrations, TimePoint now,
                                   SchemaPolicy policy) {
  auto current = CurrentVersion(conn);
  if (!current) return Fail(current.error().WithContext("reading the schema version"));
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (policy == SchemaPolicy::kCreateOnly && *current != 0 && *current < newest) {
    return Fail(ErrorCode::kConflict,
                "the database schema is at version " + std::to_string(*current) +
                    " and this certfleet-hub needs version " + std::to_string(newest) +
                    ": upgrade it once with `certfleet-hub migrate` (same --config as the hub), "
                    "then start the hubs of this version (hubs of the old version refuse the "
                    "new schema, so upgrade them all)");
  }
  if (*current > newest) {
    return Fail(ErrorCode::kInvalidArgument,
                "the database was written by a newer certfleet: schema version " +
                    std::to_string(*current) + ", this binary knows up to " +
                    std::to_string(newest) +
                    "; upgrade this hub (every hub on one database "
                    "must run the same version)");
  }
  SchemaReport report{*current, *current, {}};
  for (const auto& m : migrations) {
    if (m.version <= *current) continue;
    if (auto s = Apply(conn, m, now); !s) return Fail(s.error());
    report.to = m.version;
    report.applied.emplace_back(m.file);
  }
  return report;
}

}  // namespace

Result<SchemaReport> Migrate(PgConnection& conn, const std::vector<sql::Migration>& migrations,
                             TimePoint now, SchemaPolicy policy) {
  if (auto s = conn.Exec(kLock, "waiting for other hubs' migrations"); !s) return Fail(s.error());
  auto result = MigrateLocked(conn, migrations, now, policy);
  (void)conn.Exec(kUnlock, "ending the migration");
  return result;
}

}  // namespace certfleet::store::postgres
