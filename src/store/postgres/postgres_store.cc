#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <map>

#include "store/postgres/pg_database.h"
#include "store/postgres/pg_leader_lock.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_open.h"
#include "store/sql/metrics_view.h"
#include "store/sql/sql_store.h"

namespace certfleet::store {
namespace {

using postgres::ConnectError;
using postgres::ConnParams;
using postgres::ParamsFor;
using postgres::PgConnection;
using postgres::PgDatabase;

// The URL's keywords (user, host, port, dbname, sslmode, password, ...), or the parse error.
Result<std::map<std::string, std::string>> ParseUrl(std::string_view url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (options == nullptr) {
    std::string detail = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return Fail(ErrorCode::kInvalidArgument, "[store] url: " + detail);
  }
  std::map<std::string, std::string> out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return out;
}

// Records the master key's fingerprint on first use; refuses a different one.
Status CheckMasterKey(PgConnection& conn, const std::string& fingerprint) {
  if (fingerprint.empty()) return Ok();
  auto insert = conn.Prepare(
      "INSERT INTO settings (key, value) VALUES ('master_key_fingerprint', :fp) "
      "ON CONFLICT (key) DO NOTHING");
  if (!insert) return Fail(insert.error());
  if (auto s = insert->BindText(":fp", fingerprint).Run(); !s) return s;
  auto select = conn.Prepare("SELECT value FROM settings WHERE key = 'master_key_fingerprint'");
  if (!select) return Fail(select.error());
  auto row = select->Step();
  if (!row) return Fail(row.error());
  const std::string stored = *row ? select->Text(0) : "";
  if (stored != fingerprint) {
    return Fail(ErrorCode::kConflict,
                "this database belongs to hubs with another master key (fingerprint " + stored +
                    ", this hub's " + fingerprint +
                    "): every hub needs the same master.key — copy it from a running hub into "
                    "this hub's data dir");
  }
  return Ok();
}

}  // namespace

Status ValidatePostgresUrl(std::string_view url) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    return Fail(ErrorCode::kInvalidArgument,
                "[store] url must start with postgresql:// (e.g. "
                "postgresql://certfleet@db.example.net:5432/certfleet?sslmode=verify-full)");
  }
  auto parsed = ParseUrl(url);
  if (!parsed) return Fail(parsed.error());
  if (parsed->count("password")) {
    return Fail(ErrorCode::kInvalidArgument,
                "[store] url contains a password: put it in [store] password_file (mode 0600) "
                "or CERTFLEET_HUB_STORE_PASSWORD instead");
  }
  if (!parsed->count("dbname")) {
    return Fail(ErrorCode::kInvalidArgument, "[store] url names no database (…:5432/certfleet)");
  }
  return Ok();
}

std::string DescribePostgresUrl(std::string_view url) {
  auto parsed = ParseUrl(url);
  if (!parsed) return "postgresql://(unparseable url)";
  auto get = [&](const char* key, const char* fallback) {
    auto it = parsed->find(key);
    return it != parsed->end() ? it->second : std::string(fallback);
  };
  std::string out = "postgresql://" + get("user", "(default user)") + "@" +
                    get("host", "localhost") + ":" + get("port", "5432") + "/" + get("dbname", "");
  if (parsed->count("sslmode")) out += " (sslmode=" + parsed->at("sslmode") + ")";
  return out;
}

std::unique_ptr<LeaderLock> OpenPostgresLeaderLock(const PostgresOptions& options, std::string name,
                                                   std::chrono::milliseconds recheck) {
  return std::make_unique<postgres::PgLeaderLock>(ParamsFor(options), std::move(name), recheck);
}

Result<SchemaChange> MigratePostgresSchema(const PostgresOptions& options) {
  if (auto s = ValidatePostgresUrl(options.url); !s) return Fail(s.error());
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Instance();
  const std::string where = DescribePostgresUrl(options.url);
  auto conn = PgConnection::Open(ParamsFor(options));
  if (!conn) return Fail(ConnectError(conn.error(), where));
  auto migrated = postgres::Migrate(**conn, postgres::EmbeddedMigrations(), clock.Now());
  if (!migrated) return Fail(migrated.error().WithContext("PostgreSQL at " + where));
  if (auto s = CheckMasterKey(**conn, options.master_key_fingerprint); !s) return Fail(s.error());
  return SchemaChange{migrated->from, migrated->to, std::move(migrated->applied)};
}

int PostgresSchemaVersion() {
  const auto& migrations = postgres::EmbeddedMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  if (auto s = ValidatePostgresUrl(options.url); !s) return Fail(s.error());
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Instance();
  const std::string where = DescribePostgresUrl(options.url);
  auto db = std::make_unique<PgDatabase>(ParamsFor(options), where, options.connections);
  auto conn = PgConnection::Open(ParamsFor(options));
  if (!conn) return Fail(ConnectError(conn.error(), where));
  auto migrated = postgres::Migrate(**conn, postgres::EmbeddedMigrations(), clock.Now(),
                                    postgres::SchemaPolicy::kCreateOnly);
  if (!migrated) return Fail(migrated.error().WithContext("PostgreSQL at " + where));
  if (auto s = CheckMasterKey(**conn, options.master_key_fingerprint); !s) return Fail(s.error());
  return sql::MakeSqlStore(clock, std::move(db));
}

Result<std::unique_ptr<MetricsView>> OpenPostgresMetricsView(const PostgresOptions& options) {
  if (auto s = ValidatePostgresUrl(options.url); !s) return Fail(s.error());
  const std::string where = DescribePostgresUrl(options.url);
  ConnParams params = ParamsFor(options);
  return sql::MakeSqlMetricsView(
      [params, where]() -> Result<std::unique_ptr<sql::Connection>> {
        auto conn = PgConnection::Open(params);
        if (!conn) return Fail(ConnectError(conn.error(), where));
        return std::unique_ptr<sql::Connection>(std::move(*conn));
      },
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

}  // namespace certfleet::store
