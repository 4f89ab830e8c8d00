#include <array>
#include <random>

#include "common/encoding.h"
#include "store/sqlite/tx.h"

namespace certfleet::store::sqlite {

std::string NewEventId() {
  // Seeded once per thread from the OS; ids only need to be unique, not secret.
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  std::array<std::uint64_t, 2> words{rng(), rng()};
  return HexEncode(std::string_view(reinterpret_cast<const char*>(words.data()), 16));
}

std::string LikePattern(std::string_view contains) {
  std::string out = "%";
  for (char c : contains) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

Result<Event> AppendEventTx(Tx& tx, std::string_view type, std::string_view subject,
                            const nlohmann::json& payload) {
  Event e;
  e.id = NewEventId();
  e.type = type;
  e.subject = subject;
  e.payload_json = JsonText(payload);
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
  return e;
}

Status AuditTx(Tx& tx, const Actor& actor, std::string_view action, std::string_view target,
               const nlohmann::json& details) {
  auto stmt = tx.conn.Prepare(
      "INSERT INTO audit (actor, action, target, at, details) "
      "VALUES (:actor, :action, :target, :at, :details)");
  if (!stmt) return Fail(stmt.error());
  return stmt->BindText(":actor", actor.name.empty() ? "unknown" : actor.name)
      .BindText(":action", action)
      .BindText(":target", target)
      .BindTime(":at", tx.now)
      .BindText(":details", JsonText(details))
      .Run();
}

Status RecordTx(Tx& tx, const Actor& actor, std::string_view type, std::string_view subject,
                const nlohmann::json& payload) {
  auto event = AppendEventTx(tx, type, subject, payload);
  if (!event) return Fail(event.error());
  return AuditTx(tx, actor, type, subject, payload);
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
    nlohmann::json payload{{"machine_id", id}, {"machine", *name}, {"domain", domain}};
    if (auto e = AppendEventTx(tx, "machine.desired_changed", "machine:" + *name, payload); !e) {
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

}  // namespace certfleet::store::sqlite
