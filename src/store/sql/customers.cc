// Customers and machines.
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace certfleet::store::sql {
namespace {

Result<Customer> LoadCustomer(Connection& conn, std::string_view where, std::string_view key,
                              const std::function<void(Statement&)>& bind) {
  auto stmt = conn.Prepare(std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE " +
                           std::string(where));
  if (!stmt) return Fail(stmt.error());
  bind(*stmt);
  return ReadOne<Customer>(*stmt, ReadCustomer, "customer " + std::string(key) + " not found");
}

Result<Customer> LoadCustomerById(Connection& conn, Id id) {
  return LoadCustomer(conn, "id = :id", std::to_string(id),
                      [id](Statement& s) { s.BindInt(":id", id); });
}

Statement& BindCustomer(Statement& s, const Customer& c) {
  s.BindText(":name", c.name).BindText(":contact", c.contact);
  if (c.support_expires) {
    s.BindText(":expires", FormatDate(*c.support_expires));
  } else {
    s.BindNull(":expires");
  }
  return s;
}

}  // namespace

Result<Customer> SqlStore::CreateCustomer(const Actor& actor, const Customer& c) {
  if (auto s = ValidateName("customer", c.name); !s) return Fail(s.error());
  return Write([&](Tx& tx) -> Result<Customer> {
    auto stmt = tx.conn.Prepare(
        "INSERT INTO customers (name, contact, support_expires, created_at, updated_at) "
        "VALUES (:name, :contact, :expires, :now, :now)");
    if (!stmt) return Fail(stmt.error());
    if (auto s = BindCustomer(*stmt, c).BindTime(":now", tx.now).Run(); !s) {
      return Fail(NameTaken(s.error(), "customer", c.name));
    }
    auto created = LoadCustomerById(tx.conn, tx.conn.LastInsertRowId());
    if (!created) return created;
    if (auto s = RecordTx(tx, actor, events::CustomerCreated(*created)); !s) {
      return Fail(s.error());
    }
    return created;
  });
}

Result<Customer> SqlStore::GetCustomer(Id id) {
  return Read([&](Connection& conn) { return LoadCustomerById(conn, id); });
}

Result<Customer> SqlStore::GetCustomerByName(std::string_view name) {
  return Read([&](Connection& conn) {
    return LoadCustomer(conn, "name = :name", "'" + std::string(name) + "'",
                        [name](Statement& s) { s.BindText(":name", name); });
  });
}

Result<Page<Customer>> SqlStore::ListCustomers(const NameQuery& q) {
  return Read([&](Connection& conn) {
    return ListByName<Customer>(conn, "customers", kCustomerColumns, q, ReadCustomer);
  });
}

Result<Customer> SqlStore::UpdateCustomer(const Actor& actor, const Customer& c) {
  if (auto s = ValidateName("customer", c.name); !s) return Fail(s.error());
  return Write([&](Tx& tx) -> Result<Customer> {
    auto old = LoadCustomerById(tx.conn, c.id);
    if (!old) return old;
    if (old->version != c.version) {
      return Fail(ErrorCode::kConflict, "customer '" + old->name +
                                            "' was changed by someone else " + "(version " +
                                            std::to_string(old->version) + ", yours " +
                                            std::to_string(c.version) + "); reload");
    }
    auto stmt = tx.conn.Prepare(
        "UPDATE customers SET name = :name, contact = :contact, support_expires = :expires, "
        "version = version + 1, updated_at = :now WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = BindCustomer(*stmt, c).BindTime(":now", tx.now).BindInt(":id", c.id).Run(); !s) {
      return Fail(NameTaken(s.error(), "customer", c.name));
    }
    auto updated = LoadCustomerById(tx.conn, c.id);
    if (!updated) return updated;
    if (auto s = RecordTx(tx, actor, events::CustomerUpdated(*updated, old->name)); !s) {
      return Fail(s.error());
    }
    return updated;
  });
}

Status SqlStore::DeleteCustomer(const Actor& actor, Id id) {
  return Write([&](Tx& tx) -> Status {
    auto old = LoadCustomerById(tx.conn, id);
    if (!old) return Fail(old.error());
    std::string who = "customer '" + old->name + "' still has ";
    if (auto s = RequireUnused(tx.conn, "SELECT COUNT(*) FROM domains WHERE customer_id = :id", id,
                               who, " domain(s); move or delete them first");
        !s) {
      return s;
    }
    if (auto s = RequireUnused(tx.conn, "SELECT COUNT(*) FROM machines WHERE customer_id = :id", id,
                               who, " machine(s); move or delete them first");
        !s) {
      return s;
    }
    auto stmt = tx.conn.Prepare("DELETE FROM customers WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    if (auto s = stmt->BindInt(":id", id).Run(); !s) return s;
    return RecordTx(tx, actor, events::CustomerDeleted(*old));
  });
}

}  // namespace certfleet::store::sql
