#include "store/sqlite/sqlite_store.h"

#include <utility>

#include "store/sql/metrics_view.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace certfleet::store {

int SqliteSchemaVersion() {
  const auto& migrations = sqlite::EmbeddedMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  using sqlite::Connection;
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Instance();
  if (options.path.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "opening the store: no database path given");
  }
  auto writer = Connection::Open(options.path, options.busy_timeout);
  if (!writer) return Fail(writer.error());
  auto migrated = sqlite::Migrate(**writer, sqlite::EmbeddedMigrations(), clock.Now());
  if (!migrated) return Fail(migrated.error().WithContext("opening store " + options.path));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    auto reader = Connection::Open(options.path, options.busy_timeout);
    if (!reader) return Fail(reader.error());
    readers.push_back(std::move(*reader));
  }
  return sql::MakeSqlStore(
      clock, std::make_unique<sqlite::SqliteDatabase>(std::move(*writer), std::move(readers)));
}

Result<std::unique_ptr<MetricsView>> OpenSqliteMetricsView(const std::string& path) {
  auto connect = [path]() -> Result<std::unique_ptr<sql::Connection>> {
    auto conn = sqlite::Connection::Open(path, std::chrono::seconds(5));
    if (!conn) return Fail(conn.error().WithContext("opening the metrics view of " + path));
    return std::unique_ptr<sql::Connection>(std::move(*conn));
  };
  auto first = connect();  // fail at start, not at the first scrape
  if (!first) return Fail(first.error());
  auto pending = std::make_shared<std::unique_ptr<sql::Connection>>(std::move(*first));
  return sql::MakeSqlMetricsView(
      [pending, connect]() -> Result<std::unique_ptr<sql::Connection>> {
        if (*pending) return std::move(*pending);
        return connect();
      },
      "BEGIN", "certificates c INDEXED BY certificates_metrics");
}

}  // namespace certfleet::store
