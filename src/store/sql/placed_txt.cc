// DNS-01 TXT records placed in a provider's zone by RFC 2136 (ChallengeBoard).
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

constexpr const char* kPlacedColumns = "domain_id, zone, name, value, expires_at";

PlacedTxt ReadPlaced(const Statement& s) {
  return PlacedTxt{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4)};
}

}  // namespace

Status SqlStore::RecordPlacedTxt(const PlacedTxt& r) {
  if (r.zone.empty() || r.name.empty() || r.value.empty())
    return Fail(ErrorCode::kInvalidArgument, "a placed TXT record needs a zone, name and value");
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO dns01_placed_txt (zone, name, value, domain_id, expires_at) "
        "VALUES (:zone, :name, :value, :domain, :expires) ON CONFLICT (zone, name, value) "
        "DO UPDATE SET domain_id = excluded.domain_id, expires_at = excluded.expires_at");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":zone", r.zone)
        .BindText(":name", r.name)
        .BindText(":value", r.value)
        .BindInt(":domain", r.domain_id)
        .BindTime(":expires", r.expires_at)
        .Run();
  });
}

Status SqlStore::ForgetPlacedTxt(std::string_view zone, std::string_view name,
                                 std::string_view value) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "DELETE FROM dns01_placed_txt WHERE zone = :zone AND name = :name AND value = :value");
    if (!stmt) return Fail(stmt.error());
    return stmt->BindText(":zone", zone).BindText(":name", name).BindText(":value", value).Run();
  });
}

Result<std::vector<PlacedTxt>> SqlStore::ListPlacedTxtOfDomain(Id domain_id) {
  return Read([&](Connection& conn) -> Result<std::vector<PlacedTxt>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kPlacedColumns +
                             " FROM dns01_placed_txt WHERE domain_id = :domain "
                             "ORDER BY expires_at, zone, name, value");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":domain", domain_id);
    return ReadAll<PlacedTxt>(*stmt, ReadPlaced);
  });
}

Result<std::vector<PlacedTxt>> SqlStore::ListExpiredPlacedTxt(TimePoint now, std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<PlacedTxt>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kPlacedColumns +
                             " FROM dns01_placed_txt WHERE expires_at <= :now "
                             "ORDER BY expires_at, zone, name, value LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindTime(":now", now).BindInt(":limit", limit);
    return ReadAll<PlacedTxt>(*stmt, ReadPlaced);
  });
}

}  // namespace certfleet::store::sql
