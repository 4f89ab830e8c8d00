// The discovery roles of the memory fake (InventoryBook, ExternalChallengeBoard).
#include "store/discovery_events.h"
#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

Result<std::string> MachineName(MemoryDatabase& db, Id id) {
  auto it = db.machines.find(id);
  if (it == db.machines.end()) return Fail(NotFound("machine", id));
  return it->second.name;
}

Result<std::string> DomainName(MemoryDatabase& db, Id id) {
  auto it = db.domains.find(id);
  if (it == db.domains.end()) return Fail(NotFound("domain", id));
  return it->second.name;
}

// False for rows whose machine (and domain) have gone.
bool Alive(MemoryDatabase& db, const UploadRequest& r) {
  return db.machines.count(r.machine_id) != 0 && db.domains.count(r.domain_id) != 0;
}

UploadRequest WithDomain(MemoryDatabase& db, UploadRequest r) {
  r.domain = db.domains.at(r.domain_id).name;
  return r;
}

}  // namespace

Result<bool> MemoryStore::PutInventory(const Actor& actor, const MachineInventory& inventory) {
  if (inventory.digest.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "storing an inventory: the digest is required");
  }
  return Write(&actor, [&](MemoryTx& tx) -> Result<bool> {
    auto machine = MachineName(tx.db, inventory.machine_id);
    if (!machine) return Fail(machine.error());
    auto& table = tx.db.discovery.inventories;
    auto it = table.find(inventory.machine_id);
    if (it != table.end() && it->second.digest == inventory.digest) {
      it->second.reported_at = tx.now;
      it->second.collected_at = Ms(inventory.collected_at);
      return false;
    }
    MachineInventory stored = inventory;
    stored.collected_at = Ms(inventory.collected_at);
    stored.reported_at = stored.changed_at = tx.now;
    for (auto& e : stored.entries) e.not_after = Ms(e.not_after);
    table[inventory.machine_id] = stored;
    tx.Record(events::InventoryChanged(*machine, stored));
    return true;
  });
}

Result<MachineInventory> MemoryStore::GetInventory(Id machine_id) {
  return Read([&](MemoryDatabase& db) -> Result<MachineInventory> {
    auto it = db.discovery.inventories.find(machine_id);
    if (it == db.discovery.inventories.end() || db.machines.count(machine_id) == 0) {
      return Fail(ErrorCode::kNotFound,
                  "machine " + std::to_string(machine_id) + " has reported no inventory");
    }
    MachineInventory out = it->second;
    out.entries.clear();
    return out;
  });
}

Result<std::vector<MachineInventory>> MemoryStore::ListInventories() {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<MachineInventory>> {
    std::vector<MachineInventory> out;
    for (const auto& [id, inv] : db.discovery.inventories) {
      if (db.machines.count(id) == 0) continue;
      MachineInventory row = inv;
      row.entries.clear();
      row.body_json.clear();
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<std::vector<InventoryEntry>> MemoryStore::ListInventoryEntries(const InventoryQuery& q) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<InventoryEntry>> {
    std::vector<InventoryEntry> out;
    const auto limit = static_cast<size_t>(std::clamp<std::int64_t>(q.limit, 0, 100000));
    for (const auto& [id, inv] : db.discovery.inventories) {
      if (db.machines.count(id) == 0 || (q.machine_id && *q.machine_id != id)) continue;
      for (const auto& e : inv.entries) {
        if (!q.name.empty() && e.name != q.name) continue;
        if (q.expiring_before && !(e.not_after && *e.not_after < *q.expiring_before)) continue;
        if (out.size() >= limit) return out;
        out.push_back(e);
      }
    }
    return out;
  });
}

Result<std::vector<ManagedName>> MemoryStore::ListManagedNames() {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<ManagedName>> {
    std::vector<ManagedName> out;
    for (const auto& [id, d] : db.domains) {
      std::string sha;
      if (d.current_certificate_id) sha = db.certificates.at(*d.current_certificate_id).sha256;
      out.push_back({id, d.name, d.sans, sha});
    }
    return out;
  });
}

Result<UploadRequest> MemoryStore::RequestUpload(const Actor& actor, const UploadRequest& r) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<UploadRequest> {
    auto machine = MachineName(tx.db, r.machine_id);
    if (!machine) return Fail(machine.error());
    auto domain = DomainName(tx.db, r.domain_id);
    if (!domain) return Fail(domain.error());
    auto& t = tx.db.discovery;
    const auto key = std::make_tuple(r.machine_id, r.domain_id, r.sha256);
    auto found = t.upload_keys.find(key);
    UploadRequest* row = nullptr;
    if (found != t.upload_keys.end()) {
      row = &t.uploads.at(found->second);
      if (row->state == UploadState::kFailed) {
        row->state = UploadState::kPending;
        row->error.clear();
        row->finished_at.reset();
      }
    } else {
      UploadRequest fresh{t.next_upload++,       r.machine_id, r.domain_id, "",          r.sha256,
                          UploadState::kPending, "",           tx.now,      std::nullopt};
      t.upload_keys[key] = fresh.id;
      row = &(t.uploads[fresh.id] = fresh);
    }
    UploadRequest out = WithDomain(tx.db, *row);
    tx.Audit(events::UploadRequested(*machine, *domain, out));
    return out;
  });
}

Result<UploadRequest> MemoryStore::GetUploadRequest(Id id) {
  return Read([&](MemoryDatabase& db) -> Result<UploadRequest> {
    auto it = db.discovery.uploads.find(id);
    if (it == db.discovery.uploads.end() || !Alive(db, it->second)) {
      return Fail(ErrorCode::kNotFound, "upload request " + std::to_string(id) + " not found");
    }
    return WithDomain(db, it->second);
  });
}

Result<std::vector<UploadRequest>> MemoryStore::ListPendingUploads(std::optional<Id> machine_id) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<UploadRequest>> {
    std::vector<UploadRequest> out;
    for (const auto& [id, r] : db.discovery.uploads) {
      if (r.state != UploadState::kPending || !Alive(db, r)) continue;
      if (machine_id && r.machine_id != *machine_id) continue;
      out.push_back(WithDomain(db, r));
    }
    return out;
  });
}

Result<UploadRequest> MemoryStore::FinishUpload(const Actor& actor, Id id, UploadState state,
                                                std::string_view error) {
  if (state == UploadState::kPending) {
    return Fail(ErrorCode::kInvalidArgument, "an upload request finishes as done or failed");
  }
  return Write(&actor, [&](MemoryTx& tx) -> Result<UploadRequest> {
    auto it = tx.db.discovery.uploads.find(id);
    if (it == tx.db.discovery.uploads.end() || !Alive(tx.db, it->second)) {
      return Fail(ErrorCode::kNotFound, "upload request " + std::to_string(id) + " not found");
    }
    UploadRequest& r = it->second;
    if (r.state != UploadState::kPending) {
      return Fail(ErrorCode::kConflict,
                  "upload request " + std::to_string(id) + " is no longer pending");
    }
    r.state = state;
    r.error = std::string(error);
    r.finished_at = tx.now;
    UploadRequest out = WithDomain(tx.db, r);
    tx.Audit(events::UploadFinished(tx.db.machines.at(r.machine_id).name, out.domain, out));
    return out;
  });
}

Result<ExternalChallenge> MemoryStore::PutExternalChallenge(const Actor& actor,
                                                            const ExternalChallenge& c) {
  if (c.token.empty() || c.key_authorization.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "an external challenge needs a token and a key authorization");
  }
  return Write(&actor, [&](MemoryTx& tx) -> Result<ExternalChallenge> {
    auto domain = DomainName(tx.db, c.domain_id);
    if (!domain) return Fail(domain.error());
    auto& table = tx.db.discovery.challenges;
    std::erase_if(table, [&](const auto& row) { return row.second.expires_at <= tx.now; });
    ExternalChallenge stored = c;
    stored.created_at = tx.now;
    stored.expires_at = Ms(c.expires_at);
    table[c.token] = stored;
    tx.Audit(events::ExternalChallengePut(*domain, stored));
    return stored;
  });
}

Result<std::string> MemoryStore::FindExternalChallenge(std::string_view token, TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<std::string> {
    auto it = db.discovery.challenges.find(token);
    if (it == db.discovery.challenges.end() || it->second.expires_at <= now ||
        db.domains.count(it->second.domain_id) == 0) {
      return Fail(ErrorCode::kNotFound, "no external challenge with this token");
    }
    return it->second.key_authorization;
  });
}

Status MemoryStore::DeleteExternalChallenge(const Actor& actor, std::string_view token) {
  return Write(&actor, [&](MemoryTx& tx) -> Status {
    auto& table = tx.db.discovery.challenges;
    auto it = table.find(token);
    if (it == table.end() || tx.db.domains.count(it->second.domain_id) == 0) {
      return Fail(ErrorCode::kNotFound, "no external challenge with token " + std::string(token));
    }
    const ExternalChallenge c = it->second;
    table.erase(it);
    tx.Audit(events::ExternalChallengeDeleted(tx.db.domains.at(c.domain_id).name, c));
    return Ok();
  });
}

Result<std::vector<ExternalChallenge>> MemoryStore::ListExternalChallenges(TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<ExternalChallenge>> {
    std::vector<ExternalChallenge> out;
    for (const auto& [token, c] : db.discovery.challenges) {
      if (c.expires_at > now && db.domains.count(c.domain_id) != 0) out.push_back(c);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    return out;
  });
}

}  // namespace certfleet::store::testing
