// ListDeploymentGaps: the fleet's undeployed certificates in one read (the dashboard,
// GET /api/v1/status and `certfleet status` used to ask two queries per machine).
#include <algorithm>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

// Each (domain, hosting machine) whose current certificate is not reported deployed there.
constexpr const char* kGapsFrom =
    " FROM domains d JOIN domain_machines dm ON dm.domain_id = d.id "
    "JOIN machines m ON m.id = dm.machine_id "
    "LEFT JOIN deployments dp ON dp.machine_id = dm.machine_id "
    "AND dp.certificate_id = d.current_certificate_id "
    "WHERE d.current_certificate_id IS NOT NULL "
    "AND (dp.status IS NULL OR dp.status <> 'deployed')";

Status ReadCounts(Connection& conn, DeploymentGaps& gaps) {
  auto stmt =
      conn.Prepare(std::string("SELECT COUNT(DISTINCT d.id), "
                               "COUNT(DISTINCT CASE WHEN dp.status = 'failed' THEN d.id END)") +
                   kGapsFrom);
  if (!stmt) return Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return Fail(row.error());
  if (*row) {
    gaps.undeployed_domains = stmt->Int(0);
    gaps.failed_domains = stmt->Int(1);
  }
  return Ok();
}

DeploymentGap ReadGap(const Statement& s) {
  DeploymentGap g;
  g.domain_id = s.Int(0);
  g.domain = s.Text(1);
  g.machine_id = s.Int(2);
  g.machine = s.Text(3);
  g.certificate_id = s.Int(4);
  g.status = s.Text(5) == "failed" ? DeploymentStatus::kFailed : DeploymentStatus::kPending;
  g.error = s.Text(6);
  g.reported_at = s.OptTime(7);
  return g;
}

}  // namespace

Result<DeploymentGaps> SqlStore::ListDeploymentGaps(std::int64_t limit) {
  // One read transaction: the counts and the rows come from the same snapshot.
  return Read([&](Connection& conn) -> Result<DeploymentGaps> {
    DeploymentGaps gaps;
    if (auto s = ReadCounts(conn, gaps); !s) return Fail(s.error());
    auto stmt = conn.Prepare(
        std::string("SELECT d.id, d.name, m.id, m.name, d.current_certificate_id, "
                    "COALESCE(dp.status, 'pending'), COALESCE(dp.error, ''), dp.reported_at") +
        kGapsFrom +
        " ORDER BY CASE WHEN dp.status = 'failed' THEN 0 ELSE 1 END, d.name, m.name"
        " LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":limit", std::max<std::int64_t>(limit, 0));
    auto items = ReadAll<DeploymentGap>(*stmt, ReadGap);
    if (!items) return Fail(items.error());
    gaps.items = std::move(*items);
    return gaps;
  });
}

}  // namespace certfleet::store::sql
