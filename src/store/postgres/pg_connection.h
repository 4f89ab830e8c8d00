// A thin RAII layer over libpq: one PostgreSQL connection with a prepared-statement cache,
// implementing the backend-neutral sql::Connection (store/sql/connection.h) so the SQL
// store runs on it unchanged.
//
// Statements keep the SQLite spelling of parameters (":name"); Prepare rewrites them to
// $1..$n (outside string literals and "::" casts) and prepares the statement once per
// connection. Parameters travel as text (blobs as binary bytea); PostgreSQL infers their
// types from the statement.
//
// Not thread safe: a PgConnection is used by one thread at a time (the pool hands it out).
// After a connection-level failure (server gone, restarted) broken() is true and the pool
// replaces the connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "store/sql/connection.h"

struct pg_conn;
struct pg_result;

namespace certfleet::store::postgres {

// libpq connection parameters (keyword → value), as built by pg_config.h.
using ConnParams = std::vector<std::pair<std::string, std::string>>;

// Maps a failed result to our error codes by SQLSTATE: unique violation → kAlreadyExists;
// other integrity violations → kConflict; serialization failure, deadlock, connection
// failures, shutdowns, "too many connections" → kUnavailable; bad password →
// kUnauthenticated; everything else → kIo. `step` names what we were doing.
Error PgError(const pg_result* result, pg_conn* conn, std::string_view step);

class PgConnection final : public sql::Connection {
 public:
  // Connects; kUnavailable when the server cannot be reached, kUnauthenticated for a
  // refused login, with libpq's message (which never contains the password).
  static Result<std::unique_ptr<PgConnection>> Open(const ConnParams& params);
  ~PgConnection() override;

  Result<sql::Statement> Prepare(std::string_view sql) override;
  Status Exec(std::string_view sql, std::string_view step) override;
  std::int64_t LastInsertRowId() override;
  std::int64_t Changes() const override { return changes_; }
  bool InTransaction() const override;

  // True once the connection failed at the connection level; it must be replaced.
  bool broken() const;
  // SQLSTATE of the last failed statement ("" if none since ClearLastError).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  void ClearLastError() { last_sqlstate_.clear(); }
  // A serialization failure or deadlock: the whole transaction may be retried.
  bool LastErrorIsRetryable() const;

  pg_conn* handle() const { return conn_; }

  // Used by PgStatement.
  void RecordResult(const pg_result* result);
  void RecordError(const pg_result* result);

 private:
  struct Prepared {
    std::string name;
    std::vector<std::string> params;  // $k is params[k - 1]
  };
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}

  pg_conn* conn_;
  std::unordered_map<std::string, Prepared> prepared_;
  std::int64_t changes_ = 0;
  std::string last_sqlstate_;
};

// The ":name" → "$k" rewrite (exposed for tests): returns the SQL and the parameter names
// in $-order; a name used twice maps to one $k.
std::pair<std::string, std::vector<std::string>> RewriteParameters(std::string_view sql);

}  // namespace certfleet::store::postgres
