#include "store/sqlite/sqlite_database.h"

#include "store/sqlite/transaction.h"

namespace certfleet::store::sqlite {

SqliteDatabase::SqliteDatabase(std::unique_ptr<Connection> writer,
                               std::vector<std::unique_ptr<Connection>> readers)
    : writer_(std::move(writer)), readers_(std::move(readers)) {}

Status SqliteDatabase::RunWrite(const std::function<Status(sql::Connection&)>& body,
                                const std::function<void()>& on_commit) {
  std::lock_guard lock(write_mu_);
  // Declared after the lock, so it rolls back (on an error or a throw) before the lock
  // lets the next writer in.
  WriteTransaction transaction(*writer_);
  if (auto s = transaction.Begin(); !s) return s;
  if (auto s = body(*writer_); !s) return s;
  if (auto s = transaction.Commit(); !s) return s;
  if (on_commit) on_commit();
  return Ok();
}

Status SqliteDatabase::RunRead(const std::function<Status(sql::Connection&)>& body) {
  // Returns the reader to the pool on every exit path (a throw included), after the
  // transaction below has ended.
  struct Borrowed {
    SqliteDatabase& db;
    std::unique_ptr<Connection> conn;
    ~Borrowed() { db.ReleaseReader(std::move(conn)); }
  } reader{*this, AcquireReader()};
  ReadTransaction transaction(*reader.conn);
  if (auto s = transaction.Begin(); !s) return s;
  return body(*reader.conn);
}

std::unique_ptr<Connection> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(readers_mu_);
  readers_cv_.wait(lock, [this] { return !readers_.empty(); });
  auto conn = std::move(readers_.back());
  readers_.pop_back();
  return conn;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(readers_mu_);
    readers_.push_back(std::move(conn));
  }
  readers_cv_.notify_one();
}

}  // namespace certfleet::store::sqlite
