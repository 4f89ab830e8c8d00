// The PostgreSQL implementation of Store: the scale-out backend, shared by any number of
// hubs (DESIGN.md "Scale-out"). Selected by `[store] url = "postgresql://…"` in hub.toml.
//
// The same SQL store as SQLite (store/sql/) on a libpq connection pool
// (store/postgres/pg_database.h for how transactions, event order and commit signals
// work across hubs). Schema changes are versioned migrations embedded in the binary
// (migrations/NNNN_*.sql), applied under an advisory lock so hubs starting together
// migrate once.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/leader_lock.h"
#include "store/metrics_view.h"
#include "store/store.h"

namespace certfleet::store {

struct PostgresOptions {
  // postgresql://user@host:port/dbname?sslmode=verify-full — without a password.
  std::string url;
  // The password (from the environment or a 0600 file; see hub/store_config.h). Never
  // logged, never part of an error message. "" = libpq's own (PGPASSWORD, ~/.pgpass).
  std::string password;
  std::string ca_file;  // sslrootcert: the CA that signed the server's certificate
  int connections = 8;  // pool size of this hub
  std::chrono::seconds connect_timeout{5};
  Clock* clock = nullptr;  // nullptr = SystemClock
  // Hex fingerprint of the hub's master key (crypto::MasterKeyFingerprint). The first hub
  // records it; a hub with another key is refused. "" skips the check (tools, tests).
  std::string master_key_fingerprint;
};

// kInvalidArgument for a URL that is not postgresql:// or postgres://, cannot be parsed,
// or carries a password (it belongs in the environment or a file, not in hub.toml).
Status ValidatePostgresUrl(std::string_view url);
// The URL for logs and messages: "postgresql://user@host:port/dbname" (+ sslmode), never
// a password.
std::string DescribePostgresUrl(std::string_view url);

// Connects, creates the schema of an empty database and checks the master key. Errors,
// each one line: kInvalidArgument (bad URL; schema newer than this binary), kConflict
// (schema older than this binary: run `certfleet-hub migrate`), kUnavailable (unreachable,
// naming the server), kUnauthenticated (login refused), kNotFound (no such database),
// kFailedPrecondition-like kConflict (the database belongs to hubs with another master key).
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// GET /metrics' view of the database: its own connection (not from a store's pool),
// reconnected after a failed scrape.
Result<std::unique_ptr<MetricsView>> OpenPostgresMetricsView(const PostgresOptions& options);

// The leader lock `name` on this database (store/leader_lock.h), on a connection of its
// own; a Held() answer is reused for `recheck`. Never fails: an unreachable database
// means "not held" until it answers.
std::unique_ptr<LeaderLock> OpenPostgresLeaderLock(
    const PostgresOptions& options, std::string name,
    std::chrono::milliseconds recheck = std::chrono::milliseconds(500));

// What `certfleet-hub migrate` did to a schema.
struct SchemaChange {
  int from = 0;
  int to = 0;
  std::vector<std::string> applied;  // migration files, in order
};

// `certfleet-hub migrate`: applies every pending migration (under the migration lock, so
// concurrent runs and starting hubs wait) and checks the master key like a hub. Errors as
// OpenPostgresStore. A hub itself only creates the schema of an empty database and
// refuses an older one (kConflict, naming this command).
Result<SchemaChange> MigratePostgresSchema(const PostgresOptions& options);

// The newest schema version this binary knows.
int PostgresSchemaVersion();

}  // namespace certfleet::store
