// PgDatabase: how the SQL store's transactions run on PostgreSQL (see store/sql/database.h).
//
// - A pool of up to `connections` PgConnections, opened on demand; a connection found
//   broken (server restarted, network gone) is dropped and replaced on the next use, so a
//   hub recovers by itself once the database is back. While it is not, calls fail with
//   kUnavailable naming the server — never hang longer than the connect timeout.
// - Writes run SERIALIZABLE, which gives every read-modify-write of the store (version
//   checks, lease checks, claims) the same meaning it has on SQLite's single writer; a
//   serialization failure or deadlock retries the whole transaction (bounded, with
//   jitter), as does a connection lost before COMMIT. A connection lost during COMMIT is
//   reported (kUnavailable), never retried: the outcome is unknown.
// - Event order: before its first event, a write takes a transaction-level advisory
//   lock, so event-appending transactions draw revisions and commit one after another
//   (revision order = commit order, on any number of hubs).
// - Commit signal: a write that appended events NOTIFYs channel "certfleet_events" with
//   its highest revision; every hub's listener (pg_listener.h) hears it.
// - Reads run REPEATABLE READ READ ONLY: one snapshot per call.
//
// Thread safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_listener.h"
#include "store/sql/database.h"

namespace certfleet::store::postgres {

class PgDatabase final : public sql::Database {
 public:
  // `describe` names the server in errors ("postgresql://certfleet@db:5432/certfleet").
  PgDatabase(ConnParams params, std::string describe, int connections);
  ~PgDatabase() override;

  Status RunWrite(const std::function<Status(sql::Connection&)>& body,
                  const std::function<void()>& on_commit) override;
  Status RunRead(const std::function<Status(sql::Connection&)>& body) override;
  Status BeforeFirstEvent(sql::Connection& conn) override;
  Status BeforeCommitWithEvents(sql::Connection& conn, Revision max_revision) override;
  std::string_view SkipLockedClause() const override { return " FOR UPDATE SKIP LOCKED"; }
  bool IndexesSubstringSearch() const override { return true; }
  std::string_view DeadLeaseOwnerCondition() const override;
  void FollowCommits(std::function<void(Revision)> on_commit) override;

  // A connection of its own (not from the pool), e.g. for LISTEN or migrations.
  Result<std::unique_ptr<PgConnection>> Connect() const;
  const std::string& describe() const { return describe_; }

 private:
  Result<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> conn);
  // One attempt of a write; `retry` says whether a failure may be retried.
  Status WriteOnce(PgConnection& conn, const std::function<Status(sql::Connection&)>& body,
                   const std::function<void()>& on_commit, bool& retry);

  const ConnParams params_;
  const std::string describe_;
  const int max_connections_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;                          // connections handed out or idle
  std::unique_ptr<PgListener> listener_;  // after FollowCommits; stopped first
};

}  // namespace certfleet::store::postgres
