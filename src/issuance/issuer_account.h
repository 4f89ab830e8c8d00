// IssuerAccount: the one ACME account the hub holds at one issuer (RFC 8555 §7.3).
//
// Where the account lives:
// - With an AcmeAccountBook (every hub, both backends): in the database, one row per CA
//   directory URL, the key sealed under the master key (crypto::SealAccountKey), so every
//   hub on the database signs with the SAME account (issue 14). On first use the hub reads
//   the row; when there is none it stores, first come first kept
//   (AcmeAccountBook::AddAcmeAccount), either the account of `<data_dir>/acme/<issuer>.account`
//   (a hub from before keeps its account: key, and URL when the directory URL is the same)
//   or a new key — and adopts whatever row the store returns, so hubs starting together
//   agree on one key, and newAccount with one key yields one account at the CA. The file
//   is only read, never written or deleted, in this mode.
// - Without (unit tests, tools): the key (EC P-256) is generated once, sealed with the
//   Envelope and kept with the account URL in `<data_dir>/acme/<issuer>.account` (mode
//   0600, written atomically), so a restarted hub signs with the same account.
// The URL is re-registered (newAccount with the same key; the CA returns the existing
// account or creates one) when there is none, when the issuer's directory URL changed
// (file), or after Invalidate() — e.g. when the CA answered accountDoesNotExist because it
// was reset (Pebble forgets every account on restart); the new URL is stored.
//
// Thread safety: safe for concurrent use; registration happens once at a time.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "acme/session.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "crypto/key.h"
#include "issuance/issuer_config.h"
#include "store/acme_account_book.h"

namespace certfleet::issuance {

class IssuerAccount {
 public:
  // `envelope` and `book` (may be null: the file alone) must outlive this object.
  // Touches no file and no database until Signer() is called.
  IssuerAccount(IssuerConfig config, const crypto::Envelope& envelope,
                std::filesystem::path data_dir, store::AcmeAccountBook* book = nullptr);

  // The signer for requests to this issuer: loads or creates the key, registers the
  // account when needed (one newAccount request) and saves the file. Errors name the
  // issuer and the step ("issuer pebble: registering the ACME account: ...").
  Result<acme::Signer> Signer(acme::Session& session);

  // Forgets the account URL `stale_url` (if it is still the current one), so the next
  // Signer() registers again with the same key.
  void Invalidate(const std::string& stale_url);

  // The account file: where the account is kept without a book, and where a hub from
  // before kept it (read once, to adopt it into the database).
  std::filesystem::path path() const;

 private:
  // Reads the file into key_, url_ and directory_url_; false when there is none.
  Result<bool> ReadAccountFile();
  Status LoadOrCreateKey();
  // With a book: adopts the stored account, storing the file's or a new one first.
  Status LoadFromBook();
  Status Adopt(const store::AcmeAccount& row);
  Status Save() const;
  Status Register(acme::Session& session);

  const IssuerConfig config_;
  const crypto::Envelope& envelope_;
  const std::filesystem::path data_dir_;
  store::AcmeAccountBook* const book_;
  std::mutex mu_;
  std::optional<crypto::PrivateKey> key_;
  std::string url_;
  std::string directory_url_;  // the directory the URL belongs to
};

// True when `error` says the CA does not know the account (accountDoesNotExist, §7.3.1).
bool IsAccountDoesNotExist(const Error& error);

// Issuer names become file names: letters, digits, '-', '_' and '.', not starting with
// '.', at most 64 characters, never "manual".
Status ValidateIssuerName(std::string_view name);

}  // namespace certfleet::issuance
