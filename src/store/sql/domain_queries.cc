// Domain reads: by id/name, the paginated search for the API and UI, renewals due, the
// expiry scan's candidates.
#include <algorithm>

#include "store/sql/domain_rows.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

const char* SortColumn(DomainSort sort) {
  switch (sort) {
    case DomainSort::kName:
      return "d.name";
    case DomainSort::kNotAfter:
      return "d.current_not_after";
    case DomainSort::kUpdatedAt:
      return "d.updated_at";
    case DomainSort::kStatus:
      return "d.status";
    case DomainSort::kNextAttempt:
      return "d.next_attempt_at";
  }
  return "d.name";
}

// Whether the search can match inside d.sans, a JSON array of names: text with JSON's
// own punctuation would match across two names (no domain name contains it).
bool SearchesSans(std::string_view text) {
  return text.find_first_of("\"[],\\") == std::string_view::npos;
}

// The WHERE clause for `q`; only the filters present appear, so each combination is
// one cached statement.
std::string WhereClause(const DomainQuery& q) {
  std::string where = " WHERE 1 = 1";
  if (!q.name_contains.empty()) {
    where += " AND (lower(d.name) LIKE lower(:pattern) ESCAPE '\\'";
    if (SearchesSans(q.name_contains))
      where += " OR lower(d.sans) LIKE lower(:pattern) ESCAPE '\\'";
    where += ")";
  }
  if (q.customer_id) where += " AND d.customer_id = :customer";
  if (q.machine_id) {
    where += " AND d.id IN (SELECT domain_id FROM domain_machines WHERE machine_id = :machine)";
  }
  if (q.status) where += " AND d.status = :status";
  if (!q.issuer.empty()) where += " AND d.issuer = :issuer";
  if (q.expiring_before) where += " AND d.current_not_after < :expiring";
  return where;
}

void BindFilters(Statement& s, const DomainQuery& q) {
  if (!q.name_contains.empty()) s.BindText(":pattern", LikePattern(q.name_contains));
  if (q.customer_id) s.BindInt(":customer", *q.customer_id);
  if (q.machine_id) s.BindInt(":machine", *q.machine_id);
  if (q.status) s.BindText(":status", DomainStatusName(*q.status));
  if (!q.issuer.empty()) s.BindText(":issuer", q.issuer);
  if (q.expiring_before) s.BindTime(":expiring", *q.expiring_before);
}

}  // namespace

Result<Domain> LoadDomain(Connection& conn, Id id) {
  auto stmt =
      conn.Prepare(std::string("SELECT ") + kDomainColumns + " FROM domains d WHERE d.id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<Domain>(*stmt, ReadDomain, "domain " + std::to_string(id) + " not found");
}

Result<Domain> LoadDomainByName(Connection& conn, std::string_view name) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kDomainColumns +
                           " FROM domains d WHERE d.name = :name");
  if (!stmt) return Fail(stmt.error());
  stmt->BindText(":name", name);
  return ReadOne<Domain>(*stmt, ReadDomain, "domain " + std::string(name) + " not found");
}

Result<Page<Domain>> SqlStore::ListDomains(const DomainQuery& q) {
  return Read([&](Connection& conn) -> Result<Page<Domain>> {
    std::string where = WhereClause(q);
    auto count = conn.Prepare("SELECT COUNT(*) FROM domains d" + where);
    if (!count) return Fail(count.error());
    BindFilters(*count, q);
    auto total = ReadOne<std::int64_t>(
        *count, [](const Statement& s) { return s.Int(0); }, "");
    if (!total) return Fail(total.error());
    std::string order = std::string(" ORDER BY ") + SortColumn(q.sort) +
                        // SQLite's NULL order, spelled out for PostgreSQL.
                        (q.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST") + ", d.id" +
                        (q.descending ? " DESC" : " ASC");
    auto stmt = conn.Prepare(std::string("SELECT ") + kDomainColumns + " FROM domains d" + where +
                             order + " LIMIT :limit OFFSET :offset");
    if (!stmt) return Fail(stmt.error());
    BindFilters(*stmt, q);
    stmt->BindInt(":limit", std::clamp<std::int64_t>(q.limit, 0, 1000))
        .BindInt(":offset", std::max<std::int64_t>(q.offset, 0));
    auto items = ReadAll<Domain>(*stmt, ReadDomain);
    if (!items) return Fail(items.error());
    return Page<Domain>{std::move(*items), *total};
  });
}

Result<std::vector<Domain>> SqlStore::ListDomainsDueForRenewal(TimePoint t, std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Domain>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kDomainColumns +
                             " FROM domains d WHERE d.renew_at IS NOT NULL AND d.renew_at <= :t "
                             "ORDER BY d.renew_at LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindTime(":t", t).BindInt(":limit", limit);
    return ReadAll<Domain>(*stmt, ReadDomain);
  });
}

// Walks domains_not_after (current_not_after; id is the rowid in SQLite and the tie-break
// in PostgreSQL) from the keyset on; the state filter is cheap per row.
Result<std::vector<Domain>> SqlStore::ListExpiryCandidates(const ExpiryCandidateQuery& q) {
  return Read([&](Connection& conn) -> Result<std::vector<Domain>> {
    std::string sql = std::string("SELECT ") + kDomainColumns +
                      " FROM domains d WHERE d.current_certificate_id IS NOT NULL"
                      " AND d.current_not_after < :ending"
                      " AND (d.issuer = :manual OR d.status = :failed OR d.failure_count > 0"
                      " OR d.current_not_after <= :soon)";
    if (q.after) sql += " AND (d.current_not_after, d.id) > (:after_t, :after_id)";
    sql += " ORDER BY d.current_not_after, d.id LIMIT :limit";
    auto stmt = conn.Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    stmt->BindTime(":ending", q.ending_before)
        .BindText(":manual", kManualIssuer)
        .BindText(":failed", DomainStatusName(DomainStatus::kFailed))
        .BindTime(":soon", q.ending_soon)
        .BindInt(":limit", std::clamp<std::int64_t>(q.limit, 0, 1000));
    if (q.after) stmt->BindTime(":after_t", q.after->first).BindInt(":after_id", q.after->second);
    return ReadAll<Domain>(*stmt, ReadDomain);
  });
}

}  // namespace certfleet::store::sql
