// The SQLite driver's connection: a thin RAII layer over the sqlite3 C API with a
// prepared-statement cache, implementing sql::Connection (store/sql/connection.h).
//
// Not thread safe: a Connection is used by one thread at a time (SqliteDatabase hands
// connections out under its locks). A statement borrows a cached sqlite3_stmt and resets
// it (clearing bindings) when destroyed, so it must not outlive its Connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/error.h"
#include "store/sql/connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace certfleet::store::sqlite {

using sql::FromMillis;
using sql::Statement;
using sql::ToMillis;

// Maps a SQLite result code to our error codes: unique/primary-key violations →
// kAlreadyExists, foreign-key violations → kConflict, busy/locked → kUnavailable,
// corrupt/not-a-db → kCorrupt, everything else → kIo. `step` names what we were doing.
Error SqliteError(sqlite3* db, int rc, std::string_view step);

class Connection final : public sql::Connection {
 public:
  // Opens (read-write, creating if missing, mode 0600: a database file and its -wal/-shm
  // readable by others are made 0600) and applies the per-connection settings:
  // WAL, busy_timeout, foreign_keys, synchronous=NORMAL.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Duration busy_timeout);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<Statement> Prepare(std::string_view sql) override;
  Status Exec(std::string_view sql, std::string_view step) override;
  std::int64_t LastInsertRowId() override;
  std::int64_t Changes() const override;
  bool InTransaction() const override;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace certfleet::store::sqlite
