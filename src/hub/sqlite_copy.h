// `certfleet-hub migrate --from sqlite:…`: copies a SQLite hub's database into an EMPTY
// PostgreSQL database, so the hub (or several) can continue on PostgreSQL (issue 14).
//
// Everything is copied row for row, with the same ids: customers, machines, domains,
// orders, certificates (their keys stay sealed: the hubs on PostgreSQL need the SQLite
// hub's master.key), challenges, deployments, events with their revisions and published
// marks, consumer cursors, tokens (hashed), audit log, notification queue, discovery,
// DNS-01 delegations, UI sessions and the ACME accounts. Tables are taken from the
// PostgreSQL schema (so a table added by a later migration is copied without a change
// here) in foreign-key order; identity sequences continue after the highest copied id.
//
// The copy is one PostgreSQL transaction over one SQLite read snapshot: it fully happens
// or not at all. A database that already holds data is refused unless the caller says
// overwrite: then its rows are deleted in that same transaction (a failed copy leaves them),
// and only while no other session is connected to it (a running hub would write on). The SQLite hub should be stopped (rows it writes during the copy are not
// copied). Afterwards the row count of every table is compared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/postgres/postgres_store.h"

namespace certfleet::store {

struct CopyOptions {
  // Replace the rows of a database that already holds data (a second run after a failed
  // or stale copy) instead of refusing it.
  bool overwrite = false;
};

struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;  // in SQLite, and (verified) in PostgreSQL
};

// Migrates the SQLite file `sqlite_path` to this binary's schema (as a hub start would),
// creates the schema of the PostgreSQL database `target` if it has none (and records
// target.master_key_fingerprint, refusing a database of another master key), then copies.
// Errors, one line each: kNotFound (no SQLite file), the connection errors of
// OpenPostgresStore, kConflict when the PostgreSQL database already holds data (naming
// the tables: nothing is overwritten) without options.overwrite, or with it while other
// sessions are connected (naming how many), kCorrupt when a count differs afterwards.
Result<std::vector<CopiedTable>> CopySqliteIntoPostgres(const std::string& sqlite_path,
                                                        const PostgresOptions& target,
                                                        CopyOptions options = {});

}  // namespace certfleet::store
