// Domain reads: by id/name, the paginated search for the API and UI, renewals due, the
// expiry scan's candidates.
#include <algorithm>

#include "store/sql/domain_rows.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

// The sort column: a missing time counts as the smallest (the sentinel is before any real
// time), so one ascending index serves both directions and keyset paging is one row-value
// comparison. The indexes of migration 0008 are on exactly these expressions.
const char* SortExpression(DomainSort sort) {
  switch (sort) {
    case DomainSort::kName:
      return "d.name";
    case DomainSort::kNotAfter:
      return "coalesce(d.current_not_after, -9000000000000000000)";
    case DomainSort::kUpdatedAt:
      return "d.updated_at";
    case DomainSort::kStatus:
      return "d.status";
    case DomainSort::kNextAttempt:
      return "coalesce(d.next_attempt_at, -9000000000000000000)";
  }
  return "d.name";
}

constexpr std::int64_t kNoTime = -9'000'000'000'000'000'000;
// Up to this many matches a search is read whole and sorted (see ListDomains).
constexpr std::int64_t kSortFewMatches = 2000;

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

namespace {

// Page::total for `where`: every match, at most count_limit + 1 of them, or none.
Status CountDomains(Connection& conn, const DomainQuery& q, const std::string& where,
                    Page<Domain>& page) {
  if (q.count_limit == 0) return Ok();
  const bool capped = q.count_limit > 0;
  // A machine's domains alone are counted in domain_machines' index (each of its rows has
  // its domain): 3 ms instead of 9 ms for 5,000 of 100,000 on PostgreSQL.
  const bool machine_only = q.machine_id && q.name_contains.empty() && !q.customer_id &&
                            !q.status && q.issuer.empty() && !q.expiring_before;
  const std::string rows = machine_only ? " FROM domain_machines WHERE machine_id = :machine"
                                        : " FROM domains d" + where;
  auto count = conn.Prepare(capped ? "SELECT COUNT(*) FROM (SELECT 1" + rows + " LIMIT :cap) AS c"
                                   : "SELECT COUNT(*)" + rows);
  if (!count) return Fail(count.error());
  BindFilters(*count, q);
  if (capped) count->BindInt(":cap", q.count_limit + 1);
  auto total = ReadOne<std::int64_t>(
      *count, [](const Statement& s) { return s.Int(0); }, "");
  if (!total) return Fail(total.error());
  page.total = capped ? std::min(*total, q.count_limit) : *total;
  page.total_is_lower_bound = capped && *total > q.count_limit;
  return Ok();
}

// The rows after q.after in the order `sort_expression ASC|DESC, d.name ASC|DESC`. Not the
// row value (expr, name) > (:value, :name): SQLite walks an index on an expression from its
// start for that; a range on the first column and the tie broken by name starts at the key.
std::string KeysetClause(const DomainQuery& q, const std::string& sort_expression) {
  const std::string op = q.descending ? " < " : " > ";
  if (q.sort == DomainSort::kName) return " AND d.name" + op + ":after_name";
  return " AND " + sort_expression + (q.descending ? " <= " : " >= ") + ":after_value AND (" +
         sort_expression + op + ":after_value OR d.name" + op + ":after_name)";
}

void BindKeyset(Statement& s, const DomainQuery& q) {
  const DomainKey& key = *q.after;
  s.BindText(":after_name", key.name);
  if (q.sort == DomainSort::kName) return;
  if (q.sort == DomainSort::kStatus) {
    s.BindText(":after_value", key.value);
  } else if (key.time) {
    s.BindTime(":after_value", *key.time);
  } else {
    s.BindInt(":after_value", kNoTime);
  }
}

}  // namespace

Result<Page<Domain>> SqlStore::ListDomains(const DomainQuery& q) {
  return Read([&](Connection& conn) -> Result<Page<Domain>> {
    const std::string where = WhereClause(q);
    Page<Domain> page;
    if (auto s = CountDomains(conn, q, where, page); !s) return Fail(s.error());
    const std::string sort = SortExpression(q.sort);
    const char* direction = q.descending ? " DESC" : " ASC";
    std::string order = " ORDER BY " + sort + direction;
    if (q.sort != DomainSort::kName) order += std::string(", d.name") + direction;
    // A search that matched few rows: read them all through the search's index and sort
    // them (OFFSET 0 keeps the planner from merging the two). Left to itself PostgreSQL
    // walks the name index until the page is full, which reads nearly every row when the
    // matches sit together at the end of the order (q=d99: 34 ms instead of 1 ms).
    const bool few_matches = !q.name_contains.empty() && db_->IndexesSubstringSearch() &&
                             q.count_limit != 0 && !page.total_is_lower_bound &&
                             page.total <= kSortFewMatches;
    const std::string from =
        few_matches ? " FROM (SELECT * FROM domains d" + where + " OFFSET 0) AS d WHERE 1 = 1"
                    : " FROM domains d" + where;
    const std::string rows =
        from + (q.after ? KeysetClause(q, sort) : "") + order + " LIMIT :limit OFFSET :offset";
    // With an offset, the skipped rows are walked as ids only (SQLite: index entries;
    // PostgreSQL: without the machines subquery of kDomainColumns for each), then the page
    // is read whole: offset=50000 went from 140 ms to 9 ms of PostgreSQL time.
    auto stmt = conn.Prepare(q.offset > 0 ? std::string("SELECT ") + kDomainColumns +
                                                " FROM domains d WHERE d.id IN (SELECT d.id" +
                                                rows + ")" + order
                                          : std::string("SELECT ") + kDomainColumns + rows);
    if (!stmt) return Fail(stmt.error());
    BindFilters(*stmt, q);
    if (q.after) BindKeyset(*stmt, q);
    // One row more than asked says whether another page follows.
    const std::int64_t limit = std::clamp<std::int64_t>(q.limit, 0, 1000);
    stmt->BindInt(":limit", limit + 1).BindInt(":offset", std::max<std::int64_t>(q.offset, 0));
    auto items = ReadAll<Domain>(*stmt, ReadDomain);
    if (!items) return Fail(items.error());
    page.items = std::move(*items);
    if (static_cast<std::int64_t>(page.items.size()) > limit) {
      page.more = true;
      page.items.resize(static_cast<std::size_t>(limit));
    }
    return page;
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
