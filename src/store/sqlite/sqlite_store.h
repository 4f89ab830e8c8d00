// The SQLite implementation of Store: the hub's embedded default (DESIGN.md).
//
// One file in the hub's data directory, WAL mode, foreign keys on. One writer
// connection behind a mutex (SQLite allows one writer at a time anyway; BEGIN IMMEDIATE
// makes claims atomic) and a small pool of reader connections, so reads proceed while a
// write is in flight. Schema changes are versioned migrations embedded in the binary.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "store/store.h"

namespace certfleet::store {

struct SqliteOptions {
  std::string path;            // database file; created (with its schema) if missing
  int reader_connections = 4;  // >= 1
  Duration busy_timeout{std::chrono::seconds(5)};  // wait this long for another process' lock
  Clock* clock = nullptr;  // "now" for created/updated times; nullptr = SystemClock
};

// Opens (creating and migrating if needed) the database. Errors: kIo when the file cannot
// be opened or created; kCorrupt when it is not a certfleet database; kInvalidArgument
// when its schema is newer than this binary ("written by a newer certfleet: schema
// version 7, this binary knows up to 5; upgrade certfleet").
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// The newest schema version this binary knows.
int SqliteSchemaVersion();

}  // namespace certfleet::store
