#include "hub/migrate_command.h"

#include <filesystem>

#include "hub/master_key.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub {
namespace {

std::string Describe(const store::SchemaChange& change) {
  if (change.applied.empty()) {
    return "schema already at version " + std::to_string(change.to);
  }
  std::string applied;
  for (const auto& file : change.applied) applied += (applied.empty() ? "" : ", ") + file;
  return "schema version " + std::to_string(change.from) + " → " + std::to_string(change.to) +
         " (applied " + applied + ")";
}

Result<std::string> MigrateSqlite(const HubConfig& config) {
  const std::filesystem::path path = config.data_dir / "hub.db";
  if (!std::filesystem::exists(path)) {
    return Fail(ErrorCode::kNotFound,
                "no SQLite store at " + path.string() + " (the hub creates it on its first start)");
  }
  auto opened = store::OpenSqliteStore({.path = path.string()});  // migrates on open
  if (!opened) return Fail(opened.error());
  return "SQLite " + path.string() + ": schema at version " +
         std::to_string(store::SqliteSchemaVersion());
}

}  // namespace

Result<std::string> MigrateStore(const HubConfig& config) {
  const StoreSettings& settings = config.store;
  if (settings.EffectiveBackend() != "postgres") return MigrateSqlite(config);
  auto password = ResolveStorePassword(settings);
  if (!password) return Fail(password.error());
  store::PostgresOptions options;
  options.url = settings.url;
  options.password = std::move(*password);
  options.ca_file = settings.ca_file;
  if (std::filesystem::exists(config.data_dir / "master.key")) {
    auto envelope = LoadOrCreateMasterKey(config.data_dir);
    if (!envelope) return Fail(envelope.error());
    options.master_key_fingerprint = envelope->Fingerprint();
  }
  auto change = store::MigratePostgresSchema(options);
  if (!change) return Fail(change.error());
  return "PostgreSQL " + store::DescribePostgresUrl(settings.url) + ": " + Describe(*change);
}

}  // namespace certfleet::hub
