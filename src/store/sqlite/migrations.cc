#include "store/sqlite/migrations.h"

#include <string>

namespace certfleet::store::sqlite {
namespace {

Status EnsureVersionTable(Connection& conn) {
  return conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      " version INTEGER PRIMARY KEY, file TEXT NOT NULL, applied_at INTEGER NOT NULL)",
      "creating table schema_version");
}

Status Apply(Connection& conn, const Migration& m, TimePoint now) {
  std::string step = "applying migration " + std::string(m.file);
  if (auto s = conn.Exec("BEGIN IMMEDIATE", step); !s) return s;
  auto status = conn.Exec(m.sql, step);
  if (status) {
    auto stmt =
        conn.Prepare("INSERT INTO schema_version (version, file, applied_at) VALUES (:v, :f, :at)");
    if (!stmt) {
      status = Fail(stmt.error());
    } else {
      status = stmt->BindInt(":v", m.version).BindText(":f", m.file).BindTime(":at", now).Run();
    }
  }
  if (!status) {
    (void)conn.Exec("ROLLBACK", step);
    return Fail(status.error().WithContext(step));
  }
  return conn.Exec("COMMIT", step);
}

}  // namespace

Result<int> CurrentSchemaVersion(Connection& conn) {
  if (auto s = EnsureVersionTable(conn); !s) return Fail(s.error());
  auto stmt = conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  return static_cast<int>(stmt->Int(0));
}

Status Migrate(Connection& conn, const std::vector<Migration>& migrations, TimePoint now) {
  auto current = CurrentSchemaVersion(conn);
  if (!current) return Fail(current.error().WithContext("reading the schema version"));
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return Fail(ErrorCode::kInvalidArgument,
                "the database was written by a newer certfleet: schema version " +
                    std::to_string(*current) + ", this binary knows up to " +
                    std::to_string(newest) + "; upgrade certfleet (or restore a backup)");
  }
  for (const auto& m : migrations) {
    if (m.version <= *current) continue;
    if (auto s = Apply(conn, m, now); !s) return s;
  }
  return Ok();
}

}  // namespace certfleet::store::sqlite
