#include "store/sqlite/sqlite_store.h"

#include <utility>

#include "store/sqlite/migrations.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace certfleet::store {

int SqliteSchemaVersion() {
  const auto& migrations = sqlite::EmbeddedMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  using sqlite::Connection;
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Instance();
  if (options.path.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "opening the store: no database path given");
  }
  auto writer = Connection::Open(options.path, options.busy_timeout);
  if (!writer) return Fail(writer.error());
  auto migrated = sqlite::Migrate(**writer, sqlite::EmbeddedMigrations(), clock.Now());
  if (!migrated) return Fail(migrated.error().WithContext("opening store " + options.path));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    auto reader = Connection::Open(options.path, options.busy_timeout);
    if (!reader) return Fail(reader.error());
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<Store>(
      new sqlite::SqliteStore(clock, std::move(*writer), std::move(readers)));
}

namespace sqlite {

SqliteStore::SqliteStore(Clock& clock, std::unique_ptr<Connection> writer,
                         std::vector<std::unique_ptr<Connection>> readers)
    : clock_(clock), writer_(std::move(writer)), readers_(std::move(readers)) {}

std::unique_ptr<Connection> SqliteStore::AcquireReader() {
  std::unique_lock lock(readers_mu_);
  readers_cv_.wait(lock, [this] { return !readers_.empty(); });
  auto conn = std::move(readers_.back());
  readers_.pop_back();
  return conn;
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(readers_mu_);
    readers_.push_back(std::move(conn));
  }
  readers_cv_.notify_one();
}

void SqliteStore::SetCommitListener(std::function<void(Revision)> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ =
      listener ? std::make_shared<std::function<void(Revision)>>(std::move(listener)) : nullptr;
}

void SqliteStore::NotifyListener(Revision revision) {
  std::shared_ptr<std::function<void(Revision)>> listener;
  {
    std::lock_guard lock(listener_mu_);
    listener = listener_;
  }
  if (listener) (*listener)(revision);
}

// ---- events ----

Result<Event> SqliteStore::AppendEvent(const Actor& actor, const Event& e) {
  auto draft = events::CustomEvent(e);
  if (!draft) return Fail(draft.error());
  return Write([&](Tx& tx) -> Result<Event> {
    auto event = AppendEventTx(tx, *draft);
    if (!event) return event;
    if (auto s = AuditTx(tx, actor, *draft); !s) return Fail(s.error());
    return event;
  });
}

Result<std::vector<Event>> SqliteStore::ListEventsSince(Revision since, std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Event>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kEventColumns +
                             " FROM events WHERE revision > :since ORDER BY revision LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":since", since).BindInt(":limit", limit);
    return ReadAll<Event>(*stmt, ReadEvent);
  });
}

Result<Revision> SqliteStore::MaxRevision() {
  return Read([&](Connection& conn) -> Result<Revision> {
    auto stmt = conn.Prepare("SELECT COALESCE(MAX(revision), 0) FROM events");
    if (!stmt) return Fail(stmt.error());
    return ReadOne<Revision>(
        *stmt, [](const Statement& s) { return s.Int(0); }, "no revision");
  });
}

Result<std::vector<Event>> SqliteStore::ListUnpublishedEvents(std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Event>> {
    auto stmt =
        conn.Prepare(std::string("SELECT ") + kEventColumns +
                     " FROM events WHERE published_at IS NULL ORDER BY revision LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":limit", limit);
    return ReadAll<Event>(*stmt, ReadEvent);
  });
}

Status SqliteStore::MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) {
  return Write([&](Tx& tx) -> Status {
    for (Revision r : revisions) {
      auto stmt = tx.conn.Prepare(
          "UPDATE events SET published_at = :at WHERE revision = :r AND published_at IS NULL");
      if (!stmt) return Fail(stmt.error());
      if (auto s = stmt->BindTime(":at", at).BindInt(":r", r).Run(); !s) return s;
    }
    return Ok();
  });
}

Result<Revision> SqliteStore::GetCursor(std::string_view consumer) {
  return Read([&](Connection& conn) -> Result<Revision> {
    auto stmt = conn.Prepare("SELECT revision FROM cursors WHERE consumer = :c");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":c", consumer);
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    return *row ? stmt->Int(0) : Revision{0};
  });
}

Status SqliteStore::SetCursor(std::string_view consumer, Revision revision) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO cursors (consumer, revision) VALUES (:c, :r) "
        "ON CONFLICT (consumer) DO UPDATE SET revision = excluded.revision");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":c", consumer).BindInt(":r", revision).Run();
  });
}

}  // namespace sqlite
}  // namespace certfleet::store
