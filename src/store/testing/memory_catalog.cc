// Memory store: customers, machines, domains and desired state (store/catalog.h).
#include <algorithm>

#include "store/testing/memory_store.h"
#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

Error Taken(std::string_view kind, std::string_view name) {
  return Error{ErrorCode::kAlreadyExists,
               std::string(kind) + " '" + std::string(name) + "' already exists"};
}

Status ValidateName(std::string_view kind, std::string_view name) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, std::string(kind) + " name is empty");
  return Ok();
}

Error Stale(std::string_view kind, std::string_view name, std::int64_t stored, std::int64_t yours) {
  return Error{ErrorCode::kConflict, std::string(kind) + " '" + std::string(name) +
                                         "' was changed by someone else (version " +
                                         std::to_string(stored) + ", yours " +
                                         std::to_string(yours) + "); reload"};
}

template <typename T>
Page<T> PageByName(const std::map<Id, T>& rows, const NameQuery& q) {
  std::vector<const T*> matches;
  for (const auto& [id, row] : rows) {
    if (ContainsFolded(row.name, q.name_contains)) matches.push_back(&row);
  }
  std::sort(matches.begin(), matches.end(), [](auto* a, auto* b) { return a->name < b->name; });
  Page<T> page;
  page.total = static_cast<std::int64_t>(matches.size());
  const auto offset = static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0));
  const auto limit = static_cast<std::size_t>(std::clamp<std::int64_t>(q.limit, 0, 1000));
  for (std::size_t i = offset; i < matches.size() && page.items.size() < limit; ++i) {
    page.items.push_back(*matches[i]);
  }
  return page;
}

Status CheckDomain(MemoryDatabase& db, const Domain& d) {
  if (auto s = ValidateName("domain", d.name); !s) return s;
  if (d.issuer.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "domain " + d.name + ": issuer is empty");
  }
  if (d.customer_id && !db.customers.count(*d.customer_id)) {
    return Fail(NotFound("customer", *d.customer_id));
  }
  for (Id m : d.machine_ids) {
    if (!db.machines.count(m)) return Fail(NotFound("machine", m));
  }
  return Ok();
}

std::vector<Id> SortedUnique(std::vector<Id> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// Stores `d` (its config and schedule fields as written by Create/UpdateDomain) and keeps
// the name, hosting and schedule indexes in step.
void PutDomain(MemoryDatabase& db, Domain d) {
  if (auto old = db.domains.find(d.id); old != db.domains.end()) {
    UnindexDomain(db, old->second);
    db.domain_names.erase(old->second.name);
    for (Id m : old->second.machine_ids) db.machine_domains[m].erase(d.id);
  }
  d.next_attempt_at = Ms(d.next_attempt_at);
  d.renew_at = Ms(d.renew_at);
  db.domain_names[d.name] = d.id;
  for (Id m : d.machine_ids) db.machine_domains[m].insert(d.id);
  IndexDomain(db, d);
  db.domains[d.id] = std::move(d);
}

template <typename Row>
Result<Row*> FindRow(std::map<Id, Row>& rows, std::string_view what, Id id) {
  auto it = rows.find(id);
  if (it == rows.end()) return Fail(NotFound(what, id));
  return &it->second;
}

}  // namespace

std::unique_ptr<Store> OpenMemoryStore(std::shared_ptr<MemoryDatabase> database, Clock* clock) {
  return std::make_unique<MemoryStore>(std::move(database),
                                       clock != nullptr ? *clock : SystemClock::Instance());
}

std::shared_ptr<MemoryDatabase> NewMemoryDatabase(std::uint64_t seed) {
  return std::make_shared<MemoryDatabase>(seed);
}

Error NotFound(std::string_view what, Id id) {
  return Error{ErrorCode::kNotFound, std::string(what) + " " + std::to_string(id) + " not found"};
}

Result<Domain*> FindDomain(MemoryDatabase& db, Id id) { return FindRow(db.domains, "domain", id); }

void IndexDomain(MemoryDatabase& db, const Domain& d) {
  if (d.next_attempt_at && d.issuer != kManualIssuer)
    db.claimable.emplace(*d.next_attempt_at, d.id);
  if (d.renew_at) db.renewals.emplace(*d.renew_at, d.id);
  if (d.current_certificate_id && d.current_not_after) {
    db.expiries.emplace(*d.current_not_after, d.id);
    if (d.issuer == kManualIssuer || d.status == DomainStatus::kFailed || d.failure_count > 0)
      db.expiries_unattended.emplace(*d.current_not_after, d.id);
  }
}

void UnindexDomain(MemoryDatabase& db, const Domain& d) {
  if (d.next_attempt_at) db.claimable.erase({*d.next_attempt_at, d.id});
  if (d.renew_at) db.renewals.erase({*d.renew_at, d.id});
  if (d.current_not_after) {
    db.expiries.erase({*d.current_not_after, d.id});
    db.expiries_unattended.erase({*d.current_not_after, d.id});
  }
}

void DesiredChanged(MemoryTx& tx, const std::vector<Id>& machine_ids, std::string_view domain) {
  for (Id id : machine_ids) {
    tx.Append(events::DesiredChanged(id, tx.db.machines.at(id).name, domain));
  }
}

// ---- customers ----

Result<Customer> MemoryStore::CreateCustomer(const Actor& actor, const Customer& c) {
  if (auto s = ValidateName("customer", c.name); !s) return Fail(s.error());
  return Write(&actor, [&](MemoryTx& tx) -> Result<Customer> {
    if (tx.db.customer_names.count(c.name)) return Fail(Taken("customer", c.name));
    Customer row = c;
    row.id = tx.db.next_customer++;
    row.version = 1;
    row.created_at = row.updated_at = tx.now;
    tx.db.customers[row.id] = row;
    tx.db.customer_names[row.name] = row.id;
    tx.Record(events::CustomerCreated(row));
    return row;
  });
}

Result<Customer> MemoryStore::GetCustomer(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<Customer> {
    auto row = FindRow(db.customers, "customer", id);
    if (!row) return Fail(row.error());
    return **row;
  });
}

Result<Customer> MemoryStore::GetCustomerByName(std::string_view name) {
  return Read([&](MemoryDatabase& db) -> Result<Customer> {
    auto it = db.customer_names.find(std::string(name));
    if (it == db.customer_names.end()) {
      return Fail(ErrorCode::kNotFound, "customer '" + std::string(name) + "' not found");
    }
    return db.customers.at(it->second);
  });
}

Result<Page<Customer>> MemoryStore::ListCustomers(const NameQuery& q) {
  return Read(
      [&](MemoryDatabase& db) -> Result<Page<Customer>> { return PageByName(db.customers, q); });
}

Result<Customer> MemoryStore::UpdateCustomer(const Actor& actor, const Customer& c) {
  if (auto s = ValidateName("customer", c.name); !s) return Fail(s.error());
  return Write(&actor, [&](MemoryTx& tx) -> Result<Customer> {
    auto old = FindRow(tx.db.customers, "customer", c.id);
    if (!old) return Fail(old.error());
    Customer& row = **old;
    if (row.version != c.version) return Fail(Stale("customer", row.name, row.version, c.version));
    auto taken = tx.db.customer_names.find(c.name);
    if (taken != tx.db.customer_names.end() && taken->second != c.id) {
      return Fail(Taken("customer", c.name));
    }
    const std::string previous = row.name;
    tx.db.customer_names.erase(previous);
    tx.db.customer_names[c.name] = c.id;
    row.name = c.name;
    row.contact = c.contact;
    row.support_expires = c.support_expires;
    row.version += 1;
    row.updated_at = tx.now;
    tx.Record(events::CustomerUpdated(row, previous));
    return row;
  });
}

Status MemoryStore::DeleteCustomer(const Actor& actor, Id id) {
  return Write(&actor, [&](MemoryTx& tx) -> Status {
    auto old = FindRow(tx.db.customers, "customer", id);
    if (!old) return Fail(old.error());
    const Customer row = **old;
    auto refers = [id](const auto& entry) { return entry.second.customer_id == id; };
    const auto domains = std::count_if(tx.db.domains.begin(), tx.db.domains.end(), refers);
    const auto machines = std::count_if(tx.db.machines.begin(), tx.db.machines.end(), refers);
    const std::string who = "customer '" + row.name + "' still has ";
    if (domains > 0) {
      return Fail(ErrorCode::kConflict,
                  who + std::to_string(domains) + " domain(s); move or delete them first");
    }
    if (machines > 0) {
      return Fail(ErrorCode::kConflict,
                  who + std::to_string(machines) + " machine(s); move or delete them first");
    }
    tx.db.customer_names.erase(row.name);
    tx.db.customers.erase(id);
    tx.Record(events::CustomerDeleted(row));
    return Ok();
  });
}

// ---- machines ----

Result<Machine> MemoryStore::CreateMachine(const Actor& actor, const Machine& m) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Machine> {
    if (auto s = ValidateName("machine", m.name); !s) return Fail(s.error());
    if (m.customer_id && !tx.db.customers.count(*m.customer_id)) {
      return Fail(NotFound("customer", *m.customer_id));
    }
    if (tx.db.machine_names.count(m.name)) return Fail(Taken("machine", m.name));
    Machine row;
    row.id = tx.db.next_machine++;
    row.name = m.name;
    row.address = m.address;
    row.customer_id = m.customer_id;
    row.version = 1;
    row.created_at = row.updated_at = tx.now;
    tx.db.machines[row.id] = row;
    tx.db.machine_names[row.name] = row.id;
    tx.Record(events::MachineCreated(row));
    return row;
  });
}

Result<Machine> MemoryStore::GetMachine(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<Machine> {
    auto row = FindRow(db.machines, "machine", id);
    if (!row) return Fail(row.error());
    return **row;
  });
}

Result<Machine> MemoryStore::GetMachineByName(std::string_view name) {
  return Read([&](MemoryDatabase& db) -> Result<Machine> {
    auto it = db.machine_names.find(std::string(name));
    if (it == db.machine_names.end()) {
      return Fail(ErrorCode::kNotFound, "machine '" + std::string(name) + "' not found");
    }
    return db.machines.at(it->second);
  });
}

Result<Page<Machine>> MemoryStore::ListMachines(const NameQuery& q) {
  return Read(
      [&](MemoryDatabase& db) -> Result<Page<Machine>> { return PageByName(db.machines, q); });
}

Result<Machine> MemoryStore::UpdateMachine(const Actor& actor, const Machine& m) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Machine> {
    auto old = FindRow(tx.db.machines, "machine", m.id);
    if (!old) return Fail(old.error());
    Machine& row = **old;
    if (row.version != m.version) return Fail(Stale("machine", row.name, row.version, m.version));
    if (auto s = ValidateName("machine", m.name); !s) return Fail(s.error());
    if (m.customer_id && !tx.db.customers.count(*m.customer_id)) {
      return Fail(NotFound("customer", *m.customer_id));
    }
    auto taken = tx.db.machine_names.find(m.name);
    if (taken != tx.db.machine_names.end() && taken->second != m.id) {
      return Fail(Taken("machine", m.name));
    }
    const std::string previous = row.name;
    tx.db.machine_names.erase(previous);
    tx.db.machine_names[m.name] = m.id;
    row.name = m.name;
    row.address = m.address;
    row.customer_id = m.customer_id;
    row.version += 1;
    row.updated_at = tx.now;
    tx.Record(events::MachineUpdated(row, previous));
    return row;
  });
}

Status MemoryStore::DeleteMachine(const Actor& actor, Id id) {
  return Write(&actor, [&](MemoryTx& tx) -> Status {
    auto old = FindRow(tx.db.machines, "machine", id);
    if (!old) return Fail(old.error());
    const Machine row = **old;
    if (auto hosted = tx.db.machine_domains.find(id);
        hosted != tx.db.machine_domains.end() && !hosted->second.empty()) {
      return Fail(ErrorCode::kConflict, "machine '" + row.name + "' still hosts " +
                                            std::to_string(hosted->second.size()) +
                                            " domain(s); remove it from them first");
    }
    std::erase_if(tx.db.deployments, [id](const auto& e) { return e.first.first == id; });
    for (auto it = tx.db.tokens.begin(); it != tx.db.tokens.end();) {
      if (it->second.machine_id == id) {
        tx.db.token_hashes.erase(it->second.secret_sha256);
        it = tx.db.tokens.erase(it);
      } else {
        ++it;
      }
    }
    tx.db.machine_domains.erase(id);
    tx.db.machine_names.erase(row.name);
    tx.db.machines.erase(id);
    tx.Record(events::MachineDeleted(row));
    return Ok();
  });
}

Status MemoryStore::RecordAgentSeen(Id machine_id, TimePoint at, std::string_view agent_version) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto row = FindRow(tx.db.machines, "machine", machine_id);
    if (!row) return Fail(row.error());
    (*row)->agent_last_seen = Ms(at);
    (*row)->agent_version = Text(agent_version);
    return Ok();
  });
}

// ---- domains ----

Result<Domain> MemoryStore::CreateDomain(const Actor& actor, const Domain& d) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Domain> {
    if (auto s = CheckDomain(tx.db, d); !s) return Fail(s.error());
    if (tx.db.domain_names.count(d.name)) return Fail(Taken("domain", d.name));
    Domain row = d;
    row.id = tx.db.next_domain++;
    row.machine_ids = SortedUnique(d.machine_ids);
    row.current_certificate_id.reset();
    row.current_not_after.reset();
    row.lease_owner.clear();
    row.lease_until.reset();
    row.version = 1;
    row.created_at = row.updated_at = tx.now;
    PutDomain(tx.db, row);
    const Domain& stored = tx.db.domains.at(row.id);
    tx.Record(events::DomainCreated(stored));
    DesiredChanged(tx, stored.machine_ids, stored.name);
    return stored;
  });
}

Result<Domain> MemoryStore::GetDomain(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<Domain> {
    auto row = FindDomain(db, id);
    if (!row) return Fail(row.error());
    return **row;
  });
}

Result<Domain> MemoryStore::GetDomainByName(std::string_view name) {
  return Read([&](MemoryDatabase& db) -> Result<Domain> {
    auto it = db.domain_names.find(std::string(name));
    if (it == db.domain_names.end()) {
      return Fail(ErrorCode::kNotFound, "domain " + std::string(name) + " not found");
    }
    return db.domains.at(it->second);
  });
}

Result<Domain> MemoryStore::UpdateDomain(const Actor& actor, const Domain& d) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Domain> {
    auto found = FindDomain(tx.db, d.id);
    if (!found) return Fail(found.error());
    const Domain old = **found;
    if (old.version != d.version) {
      return Fail(ErrorCode::kConflict, "domain " + old.name +
                                            " was changed by someone else (version " +
                                            std::to_string(old.version) + ", yours " +
                                            std::to_string(d.version) + "); reload and retry");
    }
    if (auto s = CheckDomain(tx.db, d); !s) return Fail(s.error());
    auto taken = tx.db.domain_names.find(d.name);
    if (taken != tx.db.domain_names.end() && taken->second != d.id) {
      return Fail(Taken("domain", d.name));
    }
    Domain row = old;
    row.name = d.name;
    row.sans = d.sans;
    row.customer_id = d.customer_id;
    row.machine_ids = SortedUnique(d.machine_ids);
    row.issuer = d.issuer;
    row.key_type = d.key_type;
    row.profile = d.profile;
    row.status = d.status;
    row.last_error = d.last_error;
    row.next_attempt_at = d.next_attempt_at;
    row.renew_at = d.renew_at;
    row.failure_count = d.failure_count;
    row.version += 1;
    row.updated_at = tx.now;
    PutDomain(tx.db, row);
    const Domain& stored = tx.db.domains.at(row.id);
    tx.Record(events::DomainUpdated(old, stored));
    DesiredChanged(tx, events::AffectedMachines(old, stored), stored.name);
    return stored;
  });
}

Status MemoryStore::DeleteDomain(const Actor& actor, Id id) {
  return Write(&actor, [&](MemoryTx& tx) -> Status {
    auto found = FindDomain(tx.db, id);
    if (!found) return Fail(found.error());
    const Domain old = **found;
    MemoryDatabase& db = tx.db;
    for (Id c : db.domain_certificates[id]) {
      std::erase_if(db.deployments, [c](const auto& e) { return e.first.second == c; });
      db.certificates.erase(c);
    }
    db.domain_certificates.erase(id);
    for (Id o : db.domain_orders[id]) db.orders.erase(o);
    db.domain_orders.erase(id);
    db.active_orders.erase(id);
    std::erase_if(db.challenges, [id](const auto& e) { return e.second.domain_id == id; });
    UnindexDomain(db, old);
    for (Id m : old.machine_ids) db.machine_domains[m].erase(id);
    db.domain_names.erase(old.name);
    db.domains.erase(id);
    tx.Record(events::DomainDeleted(old));
    DesiredChanged(tx, old.machine_ids, old.name);
    return Ok();
  });
}

Result<Domain> MemoryStore::RequestIssuance(const Actor& actor, Id domain_id, TimePoint at) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Domain> {
    auto found = FindDomain(tx.db, domain_id);
    if (!found) return Fail(found.error());
    Domain row = **found;
    row.next_attempt_at = at;
    row.failure_count = 0;
    row.version += 1;
    row.updated_at = tx.now;
    PutDomain(tx.db, row);
    tx.Record(events::DomainIssueRequested(row, at));
    return tx.db.domains.at(domain_id);
  });
}

}  // namespace certfleet::store::testing
