// Deployments (agent reports) and each machine's desired state (the agent's hot path).
#include <map>
#include <utility>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {

namespace {

// The report inside `tx`: the upsert, its event and audit row.
Result<StoredReport> ReportTx(Tx& tx, const Actor& actor, const Deployment& d, bool hosted_only) {
  auto names = tx.conn.Prepare(
      "SELECT m.name, d.name, c.domain_id, CASE WHEN EXISTS (SELECT 1 FROM domain_machines dm "
      "WHERE dm.machine_id = m.id AND dm.domain_id = c.domain_id) THEN 1 ELSE 0 END "
      "FROM machines m, certificates c "
      "JOIN domains d ON d.id = c.domain_id WHERE m.id = :m AND c.id = :c");
  if (!names) return Fail(names.error());
  names->BindInt(":m", d.machine_id).BindInt(":c", d.certificate_id);
  auto row = names->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(ErrorCode::kNotFound, "reporting a deployment: machine " +
                                          std::to_string(d.machine_id) + " or certificate " +
                                          std::to_string(d.certificate_id) + " not found");
  }
  if (hosted_only && names->Int(3) == 0) {
    return Fail(ErrorCode::kPermissionDenied,
                "certificate " + std::to_string(d.certificate_id) +
                    " belongs to a domain that this token's machine does not host");
  }
  StoredReport out{d, names->Text(0), names->Text(1)};
  Deployment& stored = out.deployment;
  stored.domain_id = names->Int(2);
  stored.reported_at = d.reported_at.value_or(tx.now);
  auto stmt = tx.conn.Prepare(
      "INSERT INTO deployments (machine_id, certificate_id, domain_id, status, sha256, "
      "reported_at, error) VALUES (:m, :c, :d, :status, :sha, :at, :error) "
      "ON CONFLICT (machine_id, certificate_id) DO UPDATE SET status = excluded.status, "
      "sha256 = excluded.sha256, reported_at = excluded.reported_at, error = excluded.error");
  if (!stmt) return Fail(stmt.error());
  auto s = stmt->BindInt(":m", stored.machine_id)
               .BindInt(":c", stored.certificate_id)
               .BindInt(":d", stored.domain_id)
               .BindText(":status", DeploymentStatusName(stored.status))
               .BindText(":sha", stored.sha256)
               .BindTime(":at", *stored.reported_at)
               .BindText(":error", stored.error)
               .Run();
  if (!s) return Fail(s.error());
  if (auto r = RecordTx(tx, actor, events::DeploymentReported(out.machine, out.domain, stored));
      !r) {
    return Fail(r.error());
  }
  return out;
}

// Runs `sql` (savepoint control) on the transaction's connection.
Status RunControl(Tx& tx, std::string_view sql) {
  auto stmt = tx.conn.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  return stmt->Run();
}

// One report of a batch under its own savepoint; its result is appended to `results`. An
// error here means the savepoint control failed: the transaction is unusable.
Status ReportInSavepoint(Tx& tx, const DeploymentReport& r,
                         std::vector<Result<StoredReport>>& results) {
  if (auto s = RunControl(tx, "SAVEPOINT report"); !s) return s;
  const Revision max_revision = tx.max_revision;
  results.push_back(ReportTx(tx, r.actor, r.deployment, r.hosted_only));
  if (!results.back()) {
    if (auto s = RunControl(tx, "ROLLBACK TO SAVEPOINT report"); !s) return s;
    tx.max_revision = max_revision;  // its event went with the rollback
  }
  return RunControl(tx, "RELEASE SAVEPOINT report");
}

}  // namespace

Result<Deployment> SqlStore::ReportDeployment(const Actor& actor, const Deployment& d) {
  return Write([&](Tx& tx) -> Result<Deployment> {
    auto stored = ReportTx(tx, actor, d, /*hosted_only=*/false);
    if (!stored) return Fail(stored.error());
    return std::move(stored->deployment);
  });
}

std::vector<Result<StoredReport>> SqlStore::ReportDeployments(
    const std::vector<DeploymentReport>& reports) {
  std::vector<Result<StoredReport>> results;
  if (reports.empty()) return results;
  Status status = Write([&](Tx& tx) -> Status {
    results.clear();  // a retried transaction starts again
    // Events are ordered before the first savepoint: a lock taken inside one (PostgreSQL's
    // advisory lock) would be released by that savepoint's rollback.
    if (auto s = tx.db.BeforeFirstEvent(tx.conn); !s) return s;
    tx.events_ordered = true;
    for (const auto& r : reports) {
      if (auto s = ReportInSavepoint(tx, r, results); !s) return s;
    }
    return Ok();
  });
  if (!status) {
    results.assign(reports.size(),
                   Fail(status.error().WithContext("storing " + std::to_string(reports.size()) +
                                                   " deployment reports")));
  }
  return results;
}

Result<std::string> SqlStore::HostedDomainName(Id machine_id, Id domain_id) {
  return Read([&](Connection& conn) -> Result<std::string> {
    auto stmt = conn.Prepare(
        "SELECT d.name FROM domain_machines dm JOIN domains d ON d.id = dm.domain_id "
        "WHERE dm.machine_id = :m AND dm.domain_id = :d");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":m", machine_id).BindInt(":d", domain_id);
    return ReadOne<std::string>(
        *stmt, [](const Statement& s) { return s.Text(0); },
        "domain " + std::to_string(domain_id) + " is not hosted on machine " +
            std::to_string(machine_id));
  });
}

Result<std::vector<Deployment>> SqlStore::ListDomainDeployments(Id domain_id) {
  return Read([&](Connection& conn) -> Result<std::vector<Deployment>> {
    // One row per hosting machine; machines without a report get a synthesized
    // 'pending' row with reported_at NULL.
    auto stmt = conn.Prepare(
        "SELECT dm.machine_id, d.current_certificate_id, d.id, COALESCE(dp.status, 'pending'), "
        "COALESCE(dp.sha256, ''), dp.reported_at, COALESCE(dp.error, '') "
        "FROM domains d JOIN domain_machines dm ON dm.domain_id = d.id "
        "LEFT JOIN deployments dp ON dp.machine_id = dm.machine_id "
        "AND dp.certificate_id = d.current_certificate_id "
        "WHERE d.id = :d AND d.current_certificate_id IS NOT NULL ORDER BY dm.machine_id");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":d", domain_id);
    return ReadAll<Deployment>(*stmt, ReadDeployment);
  });
}

namespace {

// ListDomainsDeployments reads this many domains per statement; shorter chunks are padded
// with id 0 (no row has it), so each query is one prepared statement.
constexpr std::size_t kDomainChunk = 100;

std::string IdList() {
  std::string out = "(";
  for (std::size_t i = 0; i < kDomainChunk; ++i) {
    out += (i == 0 ? ":i" : ", :i") + std::to_string(i);
  }
  return out + ")";
}

void BindIds(Statement& s, const std::vector<Id>& ids, std::size_t from) {
  for (std::size_t i = 0; i < kDomainChunk; ++i) {
    s.BindInt(":i" + std::to_string(i), from + i < ids.size() ? ids[from + i] : 0);
  }
}

}  // namespace

Result<std::vector<DomainDeployments>> SqlStore::ListDomainsDeployments(
    const std::vector<Id>& domain_ids) {
  return Read([&](Connection& conn) -> Result<std::vector<DomainDeployments>> {
    std::map<Id, DomainDeployments> by_id;
    const std::string ids = IdList();
    const std::string names_sql =
        "SELECT d.id, c.names FROM domains d JOIN certificates c ON c.id = "
        "d.current_certificate_id WHERE d.id IN " +
        ids;
    const std::string rows_sql =
        "SELECT dm.machine_id, d.current_certificate_id, d.id, COALESCE(dp.status, 'pending'), "
        "COALESCE(dp.sha256, ''), dp.reported_at, COALESCE(dp.error, '') "
        "FROM domains d JOIN domain_machines dm ON dm.domain_id = d.id "
        "LEFT JOIN deployments dp ON dp.machine_id = dm.machine_id "
        "AND dp.certificate_id = d.current_certificate_id "
        "WHERE d.id IN " +
        ids + " AND d.current_certificate_id IS NOT NULL ORDER BY d.id, dm.machine_id";
    for (std::size_t from = 0; from < domain_ids.size(); from += kDomainChunk) {
      auto names = conn.Prepare(names_sql);
      if (!names) return Fail(names.error());
      BindIds(*names, domain_ids, from);
      auto named = ReadAll<std::pair<Id, std::string>>(*names, [](const Statement& st) {
        return std::pair<Id, std::string>(st.Int(0), st.Text(1));
      });
      if (!named) return Fail(named.error());
      for (const auto& [id, json] : *named) by_id[id].certificate_names = NamesFromJson(json);
      auto rows = conn.Prepare(rows_sql);
      if (!rows) return Fail(rows.error());
      BindIds(*rows, domain_ids, from);
      auto deployments = ReadAll<Deployment>(*rows, ReadDeployment);
      if (!deployments) return Fail(deployments.error());
      for (auto& d : *deployments) by_id[d.domain_id].deployments.push_back(std::move(d));
    }
    std::vector<DomainDeployments> out;
    out.reserve(domain_ids.size());
    for (Id id : domain_ids) {
      auto it = by_id.find(id);
      DomainDeployments entry = it == by_id.end() ? DomainDeployments{} : it->second;
      entry.domain_id = id;
      out.push_back(std::move(entry));
    }
    return out;
  });
}

Result<std::vector<Deployment>> SqlStore::ListMachineDeployments(Id machine_id,
                                                                 std::int64_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Deployment>> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kDeploymentColumns +
                             " FROM deployments WHERE machine_id = :m "
                             "ORDER BY reported_at DESC LIMIT :limit");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":m", machine_id).BindInt(":limit", limit);
    return ReadAll<Deployment>(*stmt, ReadDeployment);
  });
}

Result<DesiredState> SqlStore::GetDesiredState(Id machine_id) {
  // One read transaction: the revision and the rows come from the same snapshot.
  return Read([&](Connection& conn) -> Result<DesiredState> {
    auto machine = conn.Prepare(
        "SELECT name, (SELECT COALESCE(MAX(revision), 0) FROM events) FROM machines WHERE id = :m");
    if (!machine) return Fail(machine.error());
    machine->BindInt(":m", machine_id);
    auto row = machine->Step();
    if (!row) return Fail(row.error());
    if (!*row)
      return Fail(ErrorCode::kNotFound, "machine " + std::to_string(machine_id) + " not found");
    DesiredState state{machine_id, machine->Text(0), machine->Int(1), {}};
    auto stmt = conn.Prepare(
        "SELECT d.id, d.name, d.sans, c.id, c.sha256, c.not_after FROM domain_machines dm "
        "JOIN domains d ON d.id = dm.domain_id "
        "LEFT JOIN certificates c ON c.id = d.current_certificate_id "
        "WHERE dm.machine_id = :m ORDER BY d.name");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":m", machine_id);
    auto certs = ReadAll<DesiredCertificate>(*stmt, [](const Statement& s) {
      return DesiredCertificate{s.Int(0),    s.Text(1), NamesFromJson(s.Text(2)),
                                s.OptInt(3), s.Text(4), s.OptTime(5)};
    });
    if (!certs) return Fail(certs.error());
    state.certificates = std::move(*certs);
    return state;
  });
}

}  // namespace certfleet::store::sql
