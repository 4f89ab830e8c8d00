// SqliteDatabase: how the SQL store's transactions run on SQLite (store/sql/database.h).
//
// All writes go through one writer connection behind a mutex, each in one BEGIN IMMEDIATE
// transaction (WriteTransaction), so commit order equals revision order without further
// work. Reads borrow one of the reader connections and run a deferred transaction (a
// consistent WAL snapshot), so reads proceed while a write is in flight. Neither is ever
// left open on any exit path (transaction.h, review finding F1).
//
// Thread safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sql/database.h"
#include "store/sqlite/connection.h"

namespace certfleet::store::sqlite {

class SqliteDatabase final : public sql::Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers);

  Status RunWrite(const std::function<Status(sql::Connection&)>& body,
                  const std::function<void()>& on_commit) override;
  Status RunRead(const std::function<Status(sql::Connection&)>& body) override;
  Status BeforeFirstEvent(sql::Connection&) override { return Ok(); }
  std::string_view SkipLockedClause() const override { return ""; }
  Status BeforeCommitWithEvents(sql::Connection&, Revision) override { return Ok(); }

 private:
  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
};

}  // namespace certfleet::store::sqlite
