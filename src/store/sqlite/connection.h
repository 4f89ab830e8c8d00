// A thin RAII layer over the sqlite3 C API: one connection with a prepared-statement
// cache, and statements bound by parameter name (":name").
//
// Not thread safe: a Connection is used by one thread at a time (SqliteStore hands
// connections out under its locks). A Statement borrows a cached sqlite3_stmt and resets
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

struct sqlite3;
struct sqlite3_stmt;

namespace certfleet::store::sqlite {

// Maps a SQLite result code to our error codes: unique/primary-key violations →
// kAlreadyExists, foreign-key violations → kConflict, busy/locked → kUnavailable,
// corrupt/not-a-db → kCorrupt, everything else → kIo. `step` names what we were doing.
Error SqliteError(sqlite3* db, int rc, std::string_view step);

// Milliseconds since the Unix epoch: how every time is stored.
std::int64_t ToMillis(TimePoint t);
TimePoint FromMillis(std::int64_t ms);

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding an unknown name is a bug; it is reported by the next Step()/Run().
  Statement& BindInt(std::string_view name, std::int64_t value);
  Statement& BindOptInt(std::string_view name, std::optional<std::int64_t> value);
  // Text that is not valid UTF-8 is stored with U+FFFD for each bad byte (ToValidUtf8).
  Statement& BindText(std::string_view name, std::string_view value);
  Statement& BindBlob(std::string_view name, std::string_view bytes);
  Statement& BindTime(std::string_view name, TimePoint t);
  Statement& BindOptTime(std::string_view name, std::optional<TimePoint> t);
  Statement& BindNull(std::string_view name);

  // Advances one row: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Status Run();

  bool IsNull(int col) const;
  std::int64_t Int(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::string Text(int col) const;  // TEXT or BLOB bytes; "" for NULL
  TimePoint Time(int col) const;
  std::optional<TimePoint> OptTime(int col) const;

 private:
  int Index(std::string_view name);

  sqlite3_stmt* stmt_;
  sqlite3* db_;
  std::optional<Error> bind_error_;
};

class Connection {
 public:
  // Opens (read-write, creating if missing) and applies the per-connection settings:
  // WAL, busy_timeout, foreign_keys, synchronous=NORMAL.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Duration busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for `sql` (compiled on first use).
  Result<Statement> Prepare(std::string_view sql);
  // Runs one or more statements without parameters (BEGIN, COMMIT, migrations).
  Status Exec(std::string_view sql, std::string_view step);

  std::int64_t LastInsertRowId() const;
  std::int64_t Changes() const;  // rows changed by the last statement
  // True between BEGIN and its COMMIT/ROLLBACK (sqlite3_get_autocommit() == 0).
  bool InTransaction() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace certfleet::store::sqlite
