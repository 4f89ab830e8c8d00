// Domains: create, read, update, delete, and the support staff's "issue now" button.
#include <set>

#include "store/sql/domain_rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

Status CheckDomain(Connection& conn, const Domain& d) {
  if (auto s = ValidateName("domain", d.name); !s) return s;
  if (d.issuer.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "domain " + d.name + ": issuer is empty");
  }
  if (d.customer_id) {
    if (auto s = RequireRow(conn, "customers", "customer", *d.customer_id); !s) return s;
  }
  for (Id m : d.machine_ids) {
    if (auto s = RequireRow(conn, "machines", "machine", m); !s) return s;
  }
  return Ok();
}

Statement& BindDomainFields(Statement& s, const Domain& d) {
  return s.BindText(":name", d.name)
      .BindText(":sans", NamesToJson(d.sans))
      .BindOptInt(":customer", d.customer_id)
      .BindText(":issuer", d.issuer)
      .BindText(":key_type", d.key_type)
      .BindText(":profile", d.profile)
      .BindText(":status", DomainStatusName(d.status))
      .BindText(":last_error", d.last_error)
      .BindOptTime(":next_attempt", d.next_attempt_at)
      .BindOptTime(":renew_at", d.renew_at)
      .BindInt(":failures", d.failure_count);
}

// Replaces the domain's machine set.
Status SetMachines(Connection& conn, Id domain_id, const std::vector<Id>& machine_ids) {
  auto del = conn.Prepare("DELETE FROM domain_machines WHERE domain_id = :d");
  if (!del) return Fail(del.error());
  if (auto s = del->BindInt(":d", domain_id).Run(); !s) return s;
  for (Id m : std::set<Id>(machine_ids.begin(), machine_ids.end())) {
    auto ins = conn.Prepare("INSERT INTO domain_machines (domain_id, machine_id) VALUES (:d, :m)");
    if (!ins) return Fail(ins.error());
    if (auto s = ins->BindInt(":d", domain_id).BindInt(":m", m).Run(); !s) return s;
  }
  return Ok();
}

Result<Domain> VersionChecked(Result<Domain> old, std::int64_t version) {
  if (old && old->version != version) {
    return Fail(ErrorCode::kConflict, "domain " + old->name +
                                          " was changed by someone else (version " +
                                          std::to_string(old->version) + ", yours " +
                                          std::to_string(version) + "); reload and retry");
  }
  return old;
}

}  // namespace

Result<Domain> SqlStore::CreateDomain(const Actor& actor, const Domain& d) {
  return Write([&](Tx& tx) -> Result<Domain> {
    if (auto s = CheckDomain(tx.conn, d); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "INSERT INTO domains (name, sans, customer_id, issuer, key_type, profile, status, "
        "last_error, next_attempt_at, renew_at, failure_count, created_at, updated_at) VALUES "
        "(:name, :sans, :customer, :issuer, :key_type, :profile, :status, :last_error, "
        ":next_attempt, :renew_at, :failures, :now, :now)");
    if (!stmt) return Fail(stmt.error());
    if (auto s = BindDomainFields(*stmt, d).BindTime(":now", tx.now).Run(); !s) {
      return Fail(NameTaken(s.error(), "domain", d.name));
    }
    Id id = tx.conn.LastInsertRowId();
    if (auto s = SetMachines(tx.conn, id, d.machine_ids); !s) return Fail(s.error());
    auto created = LoadDomain(tx.conn, id);
    if (!created) return created;
    if (auto s = RecordTx(tx, actor, events::DomainCreated(*created)); !s) return Fail(s.error());
    if (auto s = DesiredChangedTx(tx, created->machine_ids, d.name); !s) return Fail(s.error());
    return created;
  });
}

Result<Domain> SqlStore::GetDomain(Id id) {
  return Read([&](Connection& conn) { return LoadDomain(conn, id); });
}

Result<Domain> SqlStore::GetDomainByName(std::string_view name) {
  return Read([&](Connection& conn) { return LoadDomainByName(conn, name); });
}

Result<Domain> SqlStore::UpdateDomain(const Actor& actor, const Domain& d) {
  return Write([&](Tx& tx) -> Result<Domain> {
    auto old = VersionChecked(LoadDomain(tx.conn, d.id), d.version);
    if (!old) return old;
    if (auto s = CheckDomain(tx.conn, d); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "UPDATE domains SET name = :name, sans = :sans, customer_id = :customer, issuer = :issuer, "
        "key_type = :key_type, profile = :profile, status = :status, last_error = :last_error, "
        "next_attempt_at = :next_attempt, renew_at = :renew_at, failure_count = :failures, "
        "version = version + 1, updated_at = :now WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = BindDomainFields(*stmt, d).BindTime(":now", tx.now).BindInt(":id", d.id).Run();
        !s) {
      return Fail(NameTaken(s.error(), "domain", d.name));
    }
    if (auto s = SetMachines(tx.conn, d.id, d.machine_ids); !s) return Fail(s.error());
    auto updated = LoadDomain(tx.conn, d.id);
    if (!updated) return updated;
    if (auto s = RecordTx(tx, actor, events::DomainUpdated(*old, *updated)); !s) {
      return Fail(s.error());
    }
    if (auto s = DesiredChangedTx(tx, events::AffectedMachines(*old, *updated), d.name); !s) {
      return Fail(s.error());
    }
    return updated;
  });
}

Status SqlStore::DeleteDomain(const Actor& actor, Id id) {
  return Write([&](Tx& tx) -> Status {
    auto old = LoadDomain(tx.conn, id);
    if (!old) return Fail(old.error());
    // Certificates, orders, challenges and machine links go by ON DELETE CASCADE.
    auto stmt = tx.conn.Prepare("DELETE FROM domains WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindInt(":id", id).Run(); !s) return s;
    tx.after_commit = [this, id] { challenges_.EraseDomain(id); };
    if (auto s = RecordTx(tx, actor, events::DomainDeleted(*old)); !s) return s;
    return DesiredChangedTx(tx, old->machine_ids, old->name);
  });
}

Result<Domain> SqlStore::RequestIssuance(const Actor& actor, Id domain_id, TimePoint at) {
  return Write([&](Tx& tx) -> Result<Domain> {
    auto old = LoadDomain(tx.conn, domain_id);
    if (!old) return old;
    auto stmt = tx.conn.Prepare(
        "UPDATE domains SET next_attempt_at = :at, failure_count = 0, version = version + 1, "
        "updated_at = :now WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":at", at).BindTime(":now", tx.now).BindInt(":id", domain_id).Run();
        !s) {
      return Fail(s.error());
    }
    if (auto s = RecordTx(tx, actor, events::DomainIssueRequested(*old, at)); !s) {
      return Fail(s.error());
    }
    return LoadDomain(tx.conn, domain_id);
  });
}

}  // namespace certfleet::store::sql
