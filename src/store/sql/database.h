// Database: how a driver runs the SQL store's transactions (store/sql/sql_store.h).
//
// The SQL store states what a read or a write does; the driver decides how: which
// connection, which isolation, how concurrent writers are ordered, whether a transaction
// is retried. Both drivers guarantee what store/store.h promises:
// - a write is one transaction, committed only when `body` returns Ok, rolled back when
//   it returns an error or throws (the exception propagates);
// - events are committed in revision order (a reader that has seen revision R never
//   later sees a new event ≤ R): before its first event a write calls
//   Hooks::BeforeFirstEvent, which orders event-appending transactions;
// - a read sees one consistent snapshot.
//
// SQLite (store/sqlite): one writer connection behind a mutex, BEGIN IMMEDIATE; readers
// from a pool. PostgreSQL (store/postgres): a pool; writes SERIALIZABLE and retried on a
// serialization failure; event order by a transaction-level advisory lock; NOTIFY at
// commit so every hub's listener hears it.
//
// Thread safety: RunWrite and RunRead may be called from many threads at once.
#pragma once

#include <functional>
#include <string_view>

#include "common/error.h"
#include "store/model.h"
#include "store/sql/connection.h"

namespace certfleet::store::sql {

class Database {
 public:
  virtual ~Database() = default;

  // Runs `body` in a write transaction (possibly several times when the driver retries;
  // `body` must then start from scratch). `on_commit` runs once, right after the
  // successful COMMIT, while the driver still orders writes (e.g. under its lock).
  virtual Status RunWrite(const std::function<Status(Connection&)>& body,
                          const std::function<void()>& on_commit) = 0;
  // Runs `body` in a read-only transaction on one snapshot.
  virtual Status RunRead(const std::function<Status(Connection&)>& body) = 0;
  // Called inside a write before its first event is appended (see above).
  virtual Status BeforeFirstEvent(Connection& conn) = 0;
  // What the claim query appends so concurrent claimers pass over each other's rows:
  // " FOR UPDATE SKIP LOCKED" (PostgreSQL) or "" (SQLite, whose writes are serial).
  virtual std::string_view SkipLockedClause() const = 0;
  // Whether an index answers the domain search's substring LIKE (PostgreSQL: pg_trgm, see
  // its migration 0008); SQLite scans. ListDomains reads a short search result whole then.
  virtual bool IndexesSubstringSearch() const { return false; }
  // A condition (SQL on the domains row) that is true when the row's lease belongs to a
  // worker known to be dead although its lease has not expired, so the claim may take it
  // at once; "" when the backend cannot tell (SQLite: one hub, which re-takes its own).
  virtual std::string_view DeadLeaseOwnerCondition() const { return ""; }
  // Called inside a write that appended events, just before COMMIT, with the highest
  // revision it appended (PostgreSQL: NOTIFY; SQLite: nothing).
  virtual Status BeforeCommitWithEvents(Connection& conn, Revision max_revision) = 0;
  // From now until the database is destroyed, calls `on_commit` with the revision of
  // commits signalled by other processes on the same database (PostgreSQL: LISTEN; may
  // include this process's own; 0 = "re-read, some may have been missed"). SQLite: never
  // (one process per file).
  virtual void FollowCommits(std::function<void(Revision)> on_commit) { (void)on_commit; }
};

}  // namespace certfleet::store::sql
