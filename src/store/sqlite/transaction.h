// RAII transaction guards for one Connection. They exist so that no exit path — an error
// result, an early return or an exception thrown by the work inside — can leave a
// connection inside an open transaction. (Before these, an exception inside a write left
// the writer in its transaction and every later BEGIN failed until the hub restarted:
// review 2026-12-06, F1.)
//
// Not thread safe: used by the one thread that holds the connection.
#pragma once

#include "common/error.h"
#include "store/sqlite/connection.h"

namespace certfleet::store::sqlite {

// BEGIN IMMEDIATE … COMMIT on the writer. Unless Commit() succeeded, the destructor rolls
// back.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn) : conn_(conn) {}
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  // Starts the transaction. A connection found still inside a transaction (which the
  // guards make impossible, so it means a bug elsewhere) is rolled back first rather than
  // failing every write from now on.
  Status Begin();
  // Commits; on failure the transaction stays open and the destructor rolls it back.
  Status Commit();

 private:
  Connection& conn_;
  bool open_ = false;
};

// BEGIN (deferred) … end on a reader: a consistent snapshot. The destructor always ends
// the transaction, so a reader returns to the pool clean whatever happened inside.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) {}
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  Status Begin();

 private:
  Connection& conn_;
  bool open_ = false;
};

}  // namespace certfleet::store::sqlite
