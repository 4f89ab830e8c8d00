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

#include "common/clock.h"
#include "common/error.h"
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

// Connects, migrates (if needed) and checks the master key. Errors, each one line:
// kInvalidArgument (bad URL; schema newer than this binary), kUnavailable (unreachable,
// naming the server), kUnauthenticated (login refused), kNotFound (no such database),
// kFailedPrecondition-like kConflict (the database belongs to hubs with another master key).
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// GET /metrics' view of the database: its own connection (not from a store's pool),
// reconnected after a failed scrape.
Result<std::unique_ptr<MetricsView>> OpenPostgresMetricsView(const PostgresOptions& options);

// The newest schema version this binary knows.
int PostgresSchemaVersion();

}  // namespace certfleet::store
