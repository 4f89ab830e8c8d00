// Versioned schema migrations for PostgreSQL, embedded from migrations/NNNN_name.sql.
//
// Applied versions are recorded in `schema_version`. Each migration runs in one
// transaction with its schema_version row. The whole run holds a session advisory lock,
// so several hubs starting at once migrate exactly once (the others wait, then find the
// schema current). A database newer than the binary is refused.
#pragma once

#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/migration.h"

namespace certfleet::store::postgres {

// All embedded migrations, ascending version (generated file).
const std::vector<sql::Migration>& EmbeddedMigrations();

// kInvalidArgument ("written by a newer certfleet …") when the database is ahead of
// `migrations`.
Status Migrate(PgConnection& conn, const std::vector<sql::Migration>& migrations, TimePoint now);

}  // namespace certfleet::store::postgres
