// Versioned schema migrations for PostgreSQL, embedded from migrations/NNNN_name.sql.
//
// Applied versions are recorded in `schema_version`. Each migration runs in one
// transaction with its schema_version row. The whole run holds a session advisory lock,
// so several hubs starting at once migrate exactly once (the others wait, then find the
// schema current). A database newer than the binary is refused.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/migration.h"

namespace certfleet::store::postgres {

// All embedded migrations, ascending version (generated file).
const std::vector<sql::Migration>& EmbeddedMigrations();

// What a hub may do to the schema when it opens the database.
enum class SchemaPolicy {
  // `certfleet-hub migrate`: apply every pending migration.
  kUpgrade,
  // A hub starting: create the schema of an empty database (the first hub on a new
  // database), but never change the schema of one in use — other hubs of the old version
  // may be running on it. An older schema is refused, naming `certfleet-hub migrate`.
  kCreateOnly,
};

struct SchemaReport {
  int from = 0;                      // the version found
  int to = 0;                        // the version now
  std::vector<std::string> applied;  // migration files applied, in order
};

// Brings the schema up to `migrations` under `policy`. kInvalidArgument ("written by a
// newer certfleet …") when the database is ahead; kConflict under kCreateOnly when it is
// behind ("… run certfleet-hub migrate …").
Result<SchemaReport> Migrate(PgConnection& conn, const std::vector<sql::Migration>& migrations,
                             TimePoint now, SchemaPolicy policy = SchemaPolicy::kUpgrade);

}  // namespace certfleet::store::postgres
