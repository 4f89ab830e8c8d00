#include "store/sql/sql_store.h"

#include <utility>

#include "store/sql/rows.h"

namespace certfleet::store::sql {

SqlStore::SqlStore(Clock& clock, std::unique_ptr<Database> db)
    : clock_(clock), db_(std::move(db)) {}

std::unique_ptr<Store> MakeSqlStore(Clock& clock, std::unique_ptr<Database> db) {
  return std::make_unique<SqlStore>(clock, std::move(db));
}

void SqlStore::SetCommitListener(std::function<void(Revision)> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ =
      listener ? std::make_shared<std::function<void(Revision)>>(std::move(listener)) : nullptr;
  if (listener_ && !following_) {
    following_ = true;  // commits of other hubs on the same database reach the listener too
    db_->FollowCommits([this](Revision revision) { NotifyListener(revision); });
  }
}

void SqlStore::NotifyListener(Revision revision) {
  std::shared_ptr<std::function<void(Revision)>> listener;
  {
    std::lock_guard lock(listener_mu_);
    listener = listener_;
  }
  if (listener) (*listener)(revision);
}

// ---- events ----

Result<Event> SqlStore::AppendEvent(const Actor& actor, const Event& e) {
  auto draft = events::CustomEvent(e);
  if (!draft) return Fail(draft.error());
  return Write([&](Tx& tx) -> Result<Event> {
    auto event = AppendEventTx(tx, *draft);
    if (!event) return event;
    if (auto s = AuditTx(tx, actor, *draft); !s) return Fail(s.error());
    return event;
  });
}

Result<std::vector<Event>> SqlStore::ListEventsSince(Revision since, std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Event>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kEventColumns +
                             " FROM events WHERE revision > :since ORDER BY revision LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":since", since).BindInt(":limit", limit);
    return ReadAll<Event>(*stmt, ReadEvent);
  });
}

Result<Revision> SqlStore::MaxRevision() {
  return Read([&](Connection& conn) -> Result<Revision> {
    auto stmt = conn.Prepare("SELECT COALESCE(MAX(revision), 0) FROM events");
    if (!stmt) return Fail(stmt.error());
    return ReadOne<Revision>(
        *stmt, [](const Statement& s) { return s.Int(0); }, "no revision");
  });
}

Result<std::vector<Event>> SqlStore::ListUnpublishedEvents(std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Event>> {
    auto stmt =
        conn.Prepare(std::string("SELECT ") + kEventColumns +
                     " FROM events WHERE published_at IS NULL ORDER BY revision LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":limit", limit);
    return ReadAll<Event>(*stmt, ReadEvent);
  });
}

Status SqlStore::MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) {
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

Result<Revision> SqlStore::GetCursor(std::string_view consumer) {
  return Read([&](Connection& conn) -> Result<Revision> {
    auto stmt = conn.Prepare("SELECT revision FROM cursors WHERE consumer = :c");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":c", consumer);
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    return *row ? stmt->Int(0) : Revision{0};
  });
}

Status SqlStore::SetCursor(std::string_view consumer, Revision revision) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO cursors (consumer, revision) VALUES (:c, :r) "
        "ON CONFLICT (consumer) DO UPDATE SET revision = excluded.revision");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":c", consumer).BindInt(":r", revision).Run();
  });
}

}  // namespace certfleet::store::sql
