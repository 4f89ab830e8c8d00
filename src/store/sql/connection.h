// The SQL store's view of a database connection, shared by its drivers (store/sqlite,
// store/postgres): prepared statements bound by parameter name (":name"), rows read by
// column index, and the few facts about the last statement the store needs.
//
// Statement is a value type over a driver's StatementBackend; it must not outlive its
// Connection. Neither is thread safe: a connection is used by one thread at a time (the
// driver's Database hands connections out).
//
// Conventions every driver keeps: times are BIGINT milliseconds since the Unix epoch;
// text that is not valid UTF-8 is stored with U+FFFD per bad byte (never refused, never
// thrown on); binding a name the SQL lacks is a bug reported by the next Step()/Run().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::store::sql {

// Milliseconds since the Unix epoch: how every time is stored.
std::int64_t ToMillis(TimePoint t);
TimePoint FromMillis(std::int64_t ms);

// One execution of one prepared statement (driver-specific).
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  virtual void BindInt(std::string_view name, std::int64_t value) = 0;
  virtual void BindText(std::string_view name, std::string_view value) = 0;
  virtual void BindBlob(std::string_view name, std::string_view bytes) = 0;
  virtual void BindNull(std::string_view name) = 0;
  // Advances one row (executing on the first call): true when a row is available.
  virtual Result<bool> Step() = 0;
  virtual bool IsNull(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;  // 0 for NULL
  virtual std::string Text(int col) const = 0;  // TEXT or BLOB bytes; "" for NULL
};

class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementBackend> backend) : b_(std::move(backend)) {}

  Statement& BindInt(std::string_view name, std::int64_t value) {
    b_->BindInt(name, value);
    return *this;
  }
  Statement& BindOptInt(std::string_view name, std::optional<std::int64_t> value) {
    return value ? BindInt(name, *value) : BindNull(name);
  }
  Statement& BindText(std::string_view name, std::string_view value) {
    b_->BindText(name, value);
    return *this;
  }
  Statement& BindBlob(std::string_view name, std::string_view bytes) {
    b_->BindBlob(name, bytes);
    return *this;
  }
  Statement& BindTime(std::string_view name, TimePoint t) { return BindInt(name, ToMillis(t)); }
  Statement& BindOptTime(std::string_view name, std::optional<TimePoint> t) {
    return t ? BindTime(name, *t) : BindNull(name);
  }
  Statement& BindNull(std::string_view name) {
    b_->BindNull(name);
    return *this;
  }

  Result<bool> Step() { return b_->Step(); }
  // Steps to completion, ignoring rows.
  Status Run();

  bool IsNull(int col) const { return b_->IsNull(col); }
  std::int64_t Int(int col) const { return b_->Int(col); }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }
  std::string Text(int col) const { return b_->Text(col); }
  TimePoint Time(int col) const { return FromMillis(Int(col)); }
  std::optional<TimePoint> OptTime(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<TimePoint>(Time(col));
  }

 private:
  std::unique_ptr<StatementBackend> b_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // A prepared statement for `sql` (compiled once per connection and cached).
  virtual Result<Statement> Prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (BEGIN, COMMIT, migrations).
  virtual Status Exec(std::string_view sql, std::string_view step) = 0;
  // The id the last INSERT into a table with a generated id assigned.
  virtual std::int64_t LastInsertRowId() = 0;
  // Rows changed by the last statement.
  virtual std::int64_t Changes() const = 0;
  // True between BEGIN and its COMMIT/ROLLBACK.
  virtual bool InTransaction() const = 0;
};

}  // namespace certfleet::store::sql
