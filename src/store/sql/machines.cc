// Machines (hosting servers running an agent).
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

Result<Machine> LoadMachine(Connection& conn, Id id) {
  auto stmt =
      conn.Prepare(std::string("SELECT ") + kMachineColumns + " FROM machines WHERE id = :id");
  if (!stmt) return Fail(stmt.error());
  stmt->BindInt(":id", id);
  return ReadOne<Machine>(*stmt, ReadMachine, "machine " + std::to_string(id) + " not found");
}

Status CheckMachine(Connection& conn, const Machine& m) {
  if (auto s = ValidateName("machine", m.name); !s) return s;
  if (m.customer_id) return RequireRow(conn, "customers", "customer", *m.customer_id);
  return Ok();
}

}  // namespace

Result<Machine> SqlStore::CreateMachine(const Actor& actor, const Machine& m) {
  return Write([&](Tx& tx) -> Result<Machine> {
    if (auto s = CheckMachine(tx.conn, m); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "INSERT INTO machines (name, address, customer_id, created_at, updated_at) "
        "VALUES (:name, :address, :customer, :now, :now)");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":name", m.name)
                 .BindText(":address", m.address)
                 .BindOptInt(":customer", m.customer_id)
                 .BindTime(":now", tx.now)
                 .Run();
    if (!s) return Fail(NameTaken(s.error(), "machine", m.name));
    auto created = LoadMachine(tx.conn, tx.conn.LastInsertRowId());
    if (!created) return created;
    if (auto r = RecordTx(tx, actor, events::MachineCreated(*created)); !r) {
      return Fail(r.error());
    }
    return created;
  });
}

Result<Machine> SqlStore::GetMachine(Id id) {
  return Read([&](Connection& conn) { return LoadMachine(conn, id); });
}

Result<Machine> SqlStore::GetMachineByName(std::string_view name) {
  return Read([&](Connection& conn) -> Result<Machine> {
    auto stmt = conn.Prepare(std::string("SELECT ") + kMachineColumns +
                             " FROM machines WHERE name = :name");
    if (!stmt) return Fail(stmt.error());
    stmt->BindText(":name", name);
    return ReadOne<Machine>(*stmt, ReadMachine, "machine '" + std::string(name) + "' not found");
  });
}

Result<Page<Machine>> SqlStore::ListMachines(const NameQuery& q) {
  return Read([&](Connection& conn) {
    return ListByName<Machine>(conn, "machines", kMachineColumns, q, ReadMachine);
  });
}

Result<Machine> SqlStore::UpdateMachine(const Actor& actor, const Machine& m) {
  return Write([&](Tx& tx) -> Result<Machine> {
    auto old = LoadMachine(tx.conn, m.id);
    if (!old) return old;
    if (old->version != m.version) {
      return Fail(ErrorCode::kConflict, "machine '" + old->name +
                                            "' was changed by someone else (version " +
                                            std::to_string(old->version) + ", yours " +
                                            std::to_string(m.version) + "); reload");
    }
    if (auto s = CheckMachine(tx.conn, m); !s) return Fail(s.error());
    auto stmt = tx.conn.Prepare(
        "UPDATE machines SET name = :name, address = :address, customer_id = :customer, "
        "version = version + 1, updated_at = :now WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    auto s = stmt->BindText(":name", m.name)
                 .BindText(":address", m.address)
                 .BindOptInt(":customer", m.customer_id)
                 .BindTime(":now", tx.now)
                 .BindInt(":id", m.id)
                 .Run();
    if (!s) return Fail(NameTaken(s.error(), "machine", m.name));
    auto updated = LoadMachine(tx.conn, m.id);
    if (!updated) return updated;
    if (auto r = RecordTx(tx, actor, events::MachineUpdated(*updated, old->name)); !r) {
      return Fail(r.error());
    }
    return updated;
  });
}

Status SqlStore::DeleteMachine(const Actor& actor, Id id) {
  return Write([&](Tx& tx) -> Status {
    auto old = LoadMachine(tx.conn, id);
    if (!old) return Fail(old.error());
    if (auto s = RequireUnused(
            tx.conn, "SELECT COUNT(*) FROM domain_machines WHERE machine_id = :id", id,
            "machine '" + old->name + "' still hosts ", " domain(s); remove it from them first");
        !s) {
      return s;
    }
    // Deployments and agent tokens go with the machine (ON DELETE CASCADE).
    auto stmt = tx.conn.Prepare("DELETE FROM machines WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindInt(":id", id).Run(); !s) return s;
    return RecordTx(tx, actor, events::MachineDeleted(*old));
  });
}

Status SqlStore::RecordAgentSeen(Id machine_id, TimePoint at, std::string_view agent_version) {
  return Write([&](Tx& tx) -> Status {
    auto stmt = tx.conn.Prepare(
        "UPDATE machines SET agent_last_seen = :at, agent_version = :v WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindTime(":at", at)
                     .BindText(":v", agent_version)
                     .BindInt(":id", machine_id)
                     .Run();
        !s) {
      return s;
    }
    if (tx.conn.Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "machine " + std::to_string(machine_id) + " not found");
    }
    return Ok();
  });
}

}  // namespace certfleet::store::sql
