// Versioned schema migrations, embedded in the binary from migrations/NNNN_name.sql.
//
// The database records applied versions in `schema_version`. Each migration runs in its
// own transaction together with its schema_version row, so a crash leaves the schema at
// a whole version. A database whose version is newer than the binary is refused.
#pragma once

#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/sql/migration.h"
#include "store/sqlite/connection.h"

namespace certfleet::store::sqlite {

using sql::Migration;

// All embedded migrations, ascending version (generated file).
const std::vector<Migration>& EmbeddedMigrations();

// The version the database is at (0 for a new file).
Result<int> CurrentSchemaVersion(Connection& conn);

// Brings the database up to the newest version in `migrations`. kInvalidArgument when
// the database is newer than `migrations` knows. Requires exclusive use of `conn`.
Status Migrate(Connection& conn, const std::vector<Migration>& migrations, TimePoint now);

}  // namespace certfleet::store::sqlite
