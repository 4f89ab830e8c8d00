// The memory store's AcmeAccountBook (the hub's ACME accounts).
#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

Error NoAccount(std::string_view directory_url) {
  return Error{ErrorCode::kNotFound, "no ACME account stored for " + std::string(directory_url)};
}

}  // namespace

Result<AcmeAccount> MemoryStore::GetAcmeAccount(std::string_view directory_url) {
  return Read([&](MemoryDatabase& db) -> Result<AcmeAccount> {
    auto it = db.acme_accounts.find(directory_url);
    if (it == db.acme_accounts.end()) return Fail(NoAccount(directory_url));
    return it->second;
  });
}

Result<AcmeAccount> MemoryStore::AddAcmeAccount(const AcmeAccount& account) {
  if (auto s = CheckAcmeAccount(account); !s) return Fail(s.error());
  return Write(nullptr, [&](MemoryTx& tx) -> Result<AcmeAccount> {
    auto [it, inserted] = tx.db.acme_accounts.try_emplace(account.directory_url, account);
    if (inserted) {
      it->second.issuer = Text(account.issuer);
      it->second.account_url = Text(account.account_url);
      it->second.created_at = tx.now;
      it->second.updated_at = tx.now;
    }
    return it->second;
  });
}

Status MemoryStore::SetAcmeAccountUrl(std::string_view directory_url,
                                      std::string_view account_url) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.acme_accounts.find(directory_url);
    if (it == tx.db.acme_accounts.end()) return Fail(NoAccount(directory_url));
    it->second.account_url = Text(account_url);
    it->second.updated_at = tx.now;
    return Ok();
  });
}

Result<std::vector<AcmeAccount>> MemoryStore::ListAcmeAccounts() {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<AcmeAccount>> {
    std::vector<AcmeAccount> out;
    for (const auto& [dir, account] : db.acme_accounts) out.push_back(account);
    return out;
  });
}

}  // namespace certfleet::store::testing
