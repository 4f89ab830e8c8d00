// AcmeAccountBook: the hub's ACME account at each CA, kept in the database so that every
// hub on it signs with ONE account (issue 14). Before, each hub kept its account in its
// own data dir, so N hubs on one PostgreSQL registered N accounts with the CA.
//
// One row per CA directory URL: the account key sealed under the master key
// (crypto::SealAccountKey, bound to the directory URL — the database never holds it in
// clear) and the account URL the CA gave for it ("" until a hub registered it).
//
// How hubs agree (issuance/issuer_account.h): a hub without an account stores a key with
// AddAcmeAccount, which keeps the first one stored and returns it (INSERT … ON CONFLICT
// DO NOTHING, then read back), so hubs starting together all adopt the same key; a
// newAccount request with the same key returns the same account at the CA (RFC 8555
// §7.3.1), so at most one account exists per CA, whoever registers.
//
// Callers: issuance/issuer_account.cc. Housekeeping: no event, no audit (the hub logs the
// registration). Never logged: the sealed key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::store {

struct AcmeAccount {
  std::string directory_url;  // the key: the CA's ACME directory URL
  std::string issuer;         // the issuer name that stored it (informational)
  std::string sealed_key;     // crypto::SealAccountKey bytes
  std::string account_url;    // "" until registered
  TimePoint created_at{};     // set by the store
  TimePoint updated_at{};     // set by the store
};

// The argument checks of AddAcmeAccount, shared by the backends (store/acme_account_book.cc).
Status CheckAcmeAccount(const AcmeAccount& account);

class AcmeAccountBook {
 public:
  virtual ~AcmeAccountBook() = default;

  // The account for `directory_url`; kNotFound when none is stored.
  virtual Result<AcmeAccount> GetAcmeAccount(std::string_view directory_url) = 0;
  // Stores `account` unless its directory URL has one already, and returns the stored row
  // — `account`, or the one stored first (another hub's) — in one transaction. So
  // concurrent callers all get the same row. kInvalidArgument for an empty directory URL
  // or key, or a directory URL over 2048 bytes.
  virtual Result<AcmeAccount> AddAcmeAccount(const AcmeAccount& account) = 0;
  // Records the account URL the CA gave for the stored key of `directory_url` (after a
  // registration, or a re-registration when the CA forgot the account). kNotFound when
  // no account is stored for it.
  virtual Status SetAcmeAccountUrl(std::string_view directory_url,
                                   std::string_view account_url) = 0;
  // Every stored account (for `certfleet-hub migrate`), ordered by directory URL.
  virtual Result<std::vector<AcmeAccount>> ListAcmeAccounts() = 0;
};

}  // namespace certfleet::store
