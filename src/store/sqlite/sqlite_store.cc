#include "store/sqlite/sqlite_store.h"

#include <utility>

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

}  // namespace certfleet::store
