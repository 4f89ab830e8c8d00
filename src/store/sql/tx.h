// What a write transaction carries: its connection, the time of the change, and
// the revisions it appended (reported to the commit listener after COMMIT).
#pragma once

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "store/events.h"
#include "store/model.h"
#include "store/sql/connection.h"
#include "store/sql/database.h"
#include "store/sql/rows.h"
#include "store/store.h"

namespace certfleet::store::sql {

struct Tx {
  Connection& conn;
  TimePoint now;
  Database& db;                 // for the driver's hooks around events
  Revision max_revision = 0;    // highest event revision appended in this transaction
  bool events_ordered = false;  // Database::BeforeFirstEvent ran
  bool ends_tokens = false;     // appended an event that events::EndsTokens
  // Runs after COMMIT, while the driver still orders writes, so in-memory state (the
  // challenge cache) changes in commit order. Not run on rollback.
  std::function<void()> after_commit;
};

// Appends an outbox event inside `tx`; returns it with revision and id filled.
Result<Event> AppendEventTx(Tx& tx, const events::EventDraft& draft);
// Appends an audit row (action = type, target = subject, details = payload) inside `tx`.
Status AuditTx(Tx& tx, const Actor& actor, const events::EventDraft& draft);
// Event + audit for the common case: the action is the event type.
Status RecordTx(Tx& tx, const Actor& actor, const events::EventDraft& draft);

// kNotFound "<what> <id> not found" unless the row exists; `table` is a fixed literal.
Status RequireRow(Connection& conn, std::string_view table, std::string_view what, Id id);

// Appends machine.desired_changed (events::DesiredChanged) for each machine (by id),
// naming the domain whose change caused it.
Status DesiredChangedTx(Tx& tx, const std::vector<Id>& machine_ids, std::string_view domain);

// Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\'). Searches
// compare lower(column) with lower(pattern): case-insensitive on both SQLite and PostgreSQL.
std::string LikePattern(std::string_view contains);

// Renames unique violations into a message naming the customer.
inline Error NameTaken(const Error& e, std::string_view kind, std::string_view name) {
  if (e.code != ErrorCode::kAlreadyExists) return e;
  return Error{e.code, std::string(kind) + " '" + std::string(name) + "' already exists"};
}

inline Status ValidateName(std::string_view kind, std::string_view name) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, std::string(kind) + " name is empty");
  return Ok();
}

template <typename T>
Result<Page<T>> ListByName(Connection& conn, std::string_view table, const char* columns,
                           const NameQuery& q, T (*reader)(const Statement&)) {
  std::string where = " WHERE lower(name) LIKE lower(:pattern) ESCAPE '\\'";
  auto count = conn.Prepare("SELECT COUNT(*) FROM " + std::string(table) + where);
  if (!count) return Fail(count.error());
  count->BindText(":pattern", LikePattern(q.name_contains));
  auto total = ReadOne<std::int64_t>(
      *count, [](const Statement& s) { return s.Int(0); }, "");
  if (!total) return Fail(total.error());
  auto stmt = conn.Prepare(std::string("SELECT ") + columns + " FROM " + std::string(table) +
                           where + " ORDER BY name LIMIT :limit OFFSET :offset");
  if (!stmt) return Fail(stmt.error());
  stmt->BindText(":pattern", LikePattern(q.name_contains))
      .BindInt(":limit", std::clamp<std::int64_t>(q.limit, 0, 1000))
      .BindInt(":offset", std::max<std::int64_t>(q.offset, 0));
  auto items = ReadAll<T>(*stmt, reader);
  if (!items) return Fail(items.error());
  Page<T> page;
  page.items = std::move(*items);
  page.total = *total;
  return page;
}

// kConflict "<prefix><n><suffix>" when `count_sql` (binding :id) counts rows still
// referring to the thing being deleted.
inline Status RequireUnused(Connection& conn, const std::string& count_sql, Id id,
                            const std::string& prefix, const std::string& suffix) {
  auto stmt = conn.Prepare(count_sql);
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  auto n = ReadOne<std::int64_t>(
      *stmt, [](const Statement& s) { return s.Int(0); }, "");
  if (!n) return Fail(n.error());
  if (*n > 0) return Fail(ErrorCode::kConflict, prefix + std::to_string(*n) + suffix);
  return Ok();
}

}  // namespace certfleet::store::sql
