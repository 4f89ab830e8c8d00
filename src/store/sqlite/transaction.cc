#include "store/sqlite/transaction.h"

#include <sqlite3.h>

namespace certfleet::store::sqlite {
namespace {

// Transaction control through the connection's statement cache: sqlite3_exec would parse
// "BEGIN" and "COMMIT" again on every transaction, ~7 % of the hub's CPU in an agent's
// pass (perf, bench/hub_fanout.sh; issue 16). Errors read as Exec's did.
Status Run(Connection& conn, std::string_view sql, std::string_view step) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  if (auto done = stmt->Step(); !done) {
    return Fail(SqliteError(conn.handle(), sqlite3_extended_errcode(conn.handle()), step));
  }
  return Ok();
}

void EndStrayTransaction(Connection& conn) {
  if (conn.InTransaction()) (void)Run(conn, "ROLLBACK", "rolling back a stray transaction");
}

}  // namespace

WriteTransaction::~WriteTransaction() {
  if (open_) (void)Run(conn_, "ROLLBACK", "rolling back");
}

Status WriteTransaction::Begin() {
  EndStrayTransaction(conn_);
  if (auto s = Run(conn_, "BEGIN IMMEDIATE", "starting a write transaction"); !s) return s;
  open_ = true;
  return Ok();
}

Status WriteTransaction::Commit() {
  if (auto s = Run(conn_, "COMMIT", "committing"); !s) return s;
  open_ = false;
  return Ok();
}

ReadTransaction::~ReadTransaction() {
  if (open_) (void)Run(conn_, "COMMIT", "ending a read transaction");
  EndStrayTransaction(conn_);
}

Status ReadTransaction::Begin() {
  EndStrayTransaction(conn_);
  if (auto s = Run(conn_, "BEGIN", "starting a read transaction"); !s) return s;
  open_ = true;
  return Ok();
}

}  // namespace certfleet::store::sqlite
