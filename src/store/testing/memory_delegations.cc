// The memory store's DelegationBook (DNS-01 labels, checks, delegated TXT records).
#include <algorithm>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

Error NoLabel(std::string_view domain) {
  return Error{ErrorCode::kNotFound, std::string(domain) + " has no DNS-01 delegation label yet"};
}

// The name's row, made with `fresh_label` if it has none (callers hold db.mu).
Result<DomainDelegation*> Ensure(MemoryDatabase& db, std::string_view domain,
                                 std::string_view fresh_label) {
  if (domain.empty() || fresh_label.empty())
    return Fail(ErrorCode::kInvalidArgument, "a delegation needs a domain name and a label");
  if (auto it = db.delegations.find(domain); it != db.delegations.end()) return &it->second;
  if (db.delegation_labels.contains(fresh_label)) {
    return Fail(ErrorCode::kAlreadyExists,
                "delegation label " + std::string(fresh_label) + " belongs to another domain");
  }
  DomainDelegation row{.domain = std::string(domain), .label = std::string(fresh_label)};
  db.delegation_labels.insert(row.label);
  return &db.delegations.emplace(row.domain, row).first->second;
}

}  // namespace

Result<DomainDelegation> MemoryStore::EnsureDelegation(std::string_view domain,
                                                       std::string_view fresh_label) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<DomainDelegation> {
    auto row = Ensure(tx.db, domain, fresh_label);
    if (!row) return Fail(row.error());
    return **row;
  });
}

Result<DomainDelegation> MemoryStore::SetChallengeChoice(std::string_view domain,
                                                         std::string_view challenge,
                                                         std::string_view fresh_label) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<DomainDelegation> {
    auto row = Ensure(tx.db, domain, fresh_label);
    if (!row) return Fail(row.error());
    (*row)->challenge = challenge;
    return **row;
  });
}

Result<DomainDelegation> MemoryStore::GetDelegation(std::string_view domain) {
  return Read([&](MemoryDatabase& db) -> Result<DomainDelegation> {
    auto it = db.delegations.find(domain);
    if (it == db.delegations.end()) return Fail(NoLabel(domain));
    return it->second;
  });
}

Status MemoryStore::RecordDelegationCheck(std::string_view domain, std::string_view state,
                                          std::string_view message, TimePoint at) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.delegations.find(domain);
    if (it == tx.db.delegations.end()) return Fail(NoLabel(domain));
    if (auto event = events::DelegationCheckChanged(domain, it->second.check_state, state, message))
      tx.Append(*event);
    it->second.check_state = state;
    it->second.check_message = Text(message);
    it->second.checked_at = Ms(at);
    return Ok();
  });
}

Status MemoryStore::PublishDelegatedTxt(const DelegatedTxt& r) {
  if (r.key.empty() || r.label.empty() || r.value.empty())
    return Fail(ErrorCode::kInvalidArgument, "a delegated TXT record needs a key, label and value");
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    DelegatedTxt row = r;
    row.expires_at = Ms(r.expires_at);
    tx.db.delegated_txt[r.key] = std::move(row);
    return Ok();
  });
}

Status MemoryStore::WithdrawDelegatedTxt(std::string_view key) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    if (auto it = tx.db.delegated_txt.find(key); it != tx.db.delegated_txt.end())
      tx.db.delegated_txt.erase(it);
    return Ok();
  });
}

Result<std::vector<DelegatedTxt>> MemoryStore::ListDelegatedTxt(TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<DelegatedTxt>> {
    std::vector<DelegatedTxt> out;
    for (const auto& [key, record] : db.delegated_txt) {
      if (record.expires_at > Ms(now)) out.push_back(record);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.label < b.label; });
    return out;
  });
}

Result<std::int64_t> MemoryStore::DeleteExpiredDelegatedTxt(TimePoint now) {
  return Write(nullptr, [&](MemoryTx& tx) -> Result<std::int64_t> {
    return static_cast<std::int64_t>(std::erase_if(
        tx.db.delegated_txt, [&](const auto& e) { return e.second.expires_at <= Ms(now); }));
  });
}

}  // namespace certfleet::store::testing
