#include "store/sqlite/connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "common/utf8.h"

namespace certfleet::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view step) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = std::string(step) + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error{ErrorCode::kAlreadyExists, std::move(message)};
      }
      return Error{ErrorCode::kConflict, std::move(message)};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kUnavailable, message + " (database is busy; retry)"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error{ErrorCode::kCorrupt, std::move(message)};
    default:
      return Error{ErrorCode::kIo, std::move(message)};
  }
}

namespace {

// One cached sqlite3_stmt, bound and stepped; reset (bindings cleared) when destroyed.
class SqliteStatement final : public sql::StatementBackend {
 public:
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~SqliteStatement() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  void BindInt(std::string_view name, std::int64_t value) override {
    if (int i = Index(name); i > 0) sqlite3_bind_int64(stmt_, i, value);
  }
  void BindText(std::string_view name, std::string_view value) override {
    if (int i = Index(name); i > 0) {
      if (IsValidUtf8(value)) {
        sqlite3_bind_text64(stmt_, i, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        // The boundaries validate; this is the last line: invalid UTF-8 is never stored.
        const std::string valid = ToValidUtf8(value);
        sqlite3_bind_text64(stmt_, i, valid.data(), valid.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
    }
  }
  void BindBlob(std::string_view name, std::string_view bytes) override {
    if (int i = Index(name); i > 0) {
      sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    }
  }
  void BindNull(std::string_view name) override {
    if (int i = Index(name); i > 0) sqlite3_bind_null(stmt_, i);
  }

  Result<bool> Step() override {
    if (bind_error_) return Fail(*bind_error_);
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_step returns the primary code; the extended one tells unique from FK.
    return Fail(SqliteError(db_, sqlite3_extended_errcode(db_), "running SQL"));
  }

  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const override {
    const void* data = sqlite3_column_blob(stmt_, col);
    auto size = static_cast<size_t>(sqlite3_column_bytes(stmt_, col));
    if (data == nullptr) return {};
    return std::string(static_cast<const char*>(data), size);
  }

 private:
  int Index(std::string_view name) {
    std::string key(name);
    int index = sqlite3_bind_parameter_index(stmt_, key.c_str());
    if (index == 0 && !bind_error_) {
      bind_error_ = Error{ErrorCode::kInternal, "SQL has no parameter " + key +
                                                    " in: " + std::string(sqlite3_sql(stmt_))};
    }
    return index;
  }

  sqlite3_stmt* stmt_;
  sqlite3* db_;
  std::optional<Error> bind_error_;
};

}  // namespace

namespace {

// Review 2026-12-06, F12: SQLite creates the database with the process umask (0644 outside
// systemd's UMask=0077), and its -wal and -shm files copy the database file's mode. The
// database holds sealed keys and token hashes: it is created 0600, and a database (or
// -wal/-shm/-journal) readable by others is tightened to 0600. Best effort: when the file
// cannot be opened, sqlite3_open_v2 reports why.
void MakePrivate(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      ::chmod(file.c_str(), info.st_mode & 0700);
    }
  }
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     Duration busy_timeout) {
  MakePrivate(path);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db, rc, "opening database " + path);
    sqlite3_close(db);
    return Fail(std::move(error));
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  auto status =
      conn->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                 "configuring database " + path);
  if (!status) return Fail(status.error());
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "preparing SQL: " + key));
    it = cache_.emplace(std::move(key), stmt).first;
  }
  return Statement(std::make_unique<SqliteStatement>(it->second, db_));
}

Status Connection::Exec(std::string_view sql, std::string_view step) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // sqlite3_errmsg below carries the same text
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, sqlite3_extended_errcode(db_), step));
  return Ok();
}

std::int64_t Connection::LastInsertRowId() { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace certfleet::store::sqlite
