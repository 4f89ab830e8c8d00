#include "store/event_id.h"
#include "store/sql/tx.h"

namespace certfleet::store::sql {

std::string LikePattern(std::string_view contains) {
  std::string out = "%";
  for (char c : contains) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

Result<Event> AppendEventTx(Tx& tx, const events::EventDraft& draft) {
  if (!tx.events_ordered) {
    if (auto s = tx.db.BeforeFirstEvent(tx.conn); !s) return Fail(s.error());
    tx.events_ordered = true;
  }
  Event e;
  e.id = NewEventId();
  e.type = draft.type;
  e.subject = draft.subject;
  e.payload_json = draft.payload_json;
  e.created_at = tx.now;
  auto stmt = tx.conn.Prepare(
      "INSERT INTO events (id, type, subject, payload, created_at) "
      "VALUES (:id, :type, :subject, :payload, :at)");
  if (!stmt) return Fail(stmt.error());
  auto s = stmt->BindText(":id", e.id)
               .BindText(":type", e.type)
               .BindText(":subject", e.subject)
               .BindText(":payload", e.payload_json)
               .BindTime(":at", e.created_at)
               .Run();
  if (!s) return Fail(s.error().WithContext("appending event " + e.type));
  e.revision = tx.conn.LastInsertRowId();
  tx.max_revision = std::max(tx.max_revision, e.revision);
  tx.ends_tokens = tx.ends_tokens || events::EndsTokens(e.type);
  return e;
}

Status AuditTx(Tx& tx, const Actor& actor, const events::EventDraft& draft) {
  auto stmt = tx.conn.Prepare(
      "INSERT INTO audit (actor, action, target, at, details) "
      "VALUES (:actor, :action, :target, :at, :details)");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindText(":actor", actor.name.empty() ? "unknown" : actor.name)
      .BindText(":action", draft.type)
      .BindText(":target", draft.subject)
      .BindTime(":at", tx.now)
      .BindText(":details", draft.payload_json)
      .Run();
}

Status RecordTx(Tx& tx, const Actor& actor, const events::EventDraft& draft) {
  auto event = AppendEventTx(tx, draft);
  if (!event) return Fail(event.error());
  return AuditTx(tx, actor, draft);
}

Status DesiredChangedTx(Tx& tx, const std::vector<Id>& machine_ids, std::string_view domain) {
  for (Id id : machine_ids) {
    auto stmt = tx.conn.Prepare("SELECT name FROM machines WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":id", id);
    auto name = ReadOne<std::string>(
        *stmt, [](const Statement& s) { return s.Text(0); },
        "machine " + std::to_string(id) + " not found");
    if (!name) return Fail(name.error());
    if (auto e = AppendEventTx(tx, events::DesiredChanged(id, *name, domain)); !e) {
      return Fail(e.error());
    }
  }
  return Ok();
}

Status RequireRow(Connection& conn, std::string_view table, std::string_view what, Id id) {
  auto stmt = conn.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->BindInt(":id", id).Step();
  if (!row) return Fail(row.error());
  if (!*row)
    return Fail(ErrorCode::kNotFound, std::string(what) + " " + std::to_string(id) + " not found");
  return Ok();
}

}  // namespace certfleet::store::sql
