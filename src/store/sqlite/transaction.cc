#include "store/sqlite/transaction.h"

namespace certfleet::store::sqlite {
namespace {

void EndStrayTransaction(Connection& conn) {
  if (conn.InTransaction()) (void)conn.Exec("ROLLBACK", "rolling back a stray transaction");
}

}  // namespace

WriteTransaction::~WriteTransaction() {
  if (open_) (void)conn_.Exec("ROLLBACK", "rolling back");
}

Status WriteTransaction::Begin() {
  EndStrayTransaction(conn_);
  if (auto s = conn_.Exec("BEGIN IMMEDIATE", "starting a write transaction"); !s) return s;
  open_ = true;
  return Ok();
}

Status WriteTransaction::Commit() {
  if (auto s = conn_.Exec("COMMIT", "committing"); !s) return s;
  open_ = false;
  return Ok();
}

ReadTransaction::~ReadTransaction() {
  if (open_) (void)conn_.Exec("COMMIT", "ending a read transaction");
  EndStrayTransaction(conn_);
}

Status ReadTransaction::Begin() {
  EndStrayTransaction(conn_);
  if (auto s = conn_.Exec("BEGIN", "starting a read transaction"); !s) return s;
  open_ = true;
  return Ok();
}

}  // namespace certfleet::store::sqlite
