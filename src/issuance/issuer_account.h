// IssuerAccount: the one ACME account the hub holds at one issuer (RFC 8555 §7.3).
//
// The account key (EC P-256) is generated once, sealed with the Envelope and kept with
// the account URL in `<data_dir>/acme/<issuer>.account` (mode 0600, written atomically),
// so a restarted hub signs with the same account. The URL is re-registered (newAccount
// with the same key; the CA returns the existing account or creates one) when the file
// has none, when the issuer's directory URL changed, or after Invalidate() — e.g. when
// the CA answered accountDoesNotExist because it was reset (Pebble forgets every account
// on restart).
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

namespace certfleet::issuance {

class IssuerAccount {
 public:
  // `envelope` must outlive this object. Touches no file until Signer() is called.
  IssuerAccount(IssuerConfig config, const crypto::Envelope& envelope,
                std::filesystem::path data_dir);

  // The signer for requests to this issuer: loads or creates the key, registers the
  // account when needed (one newAccount request) and saves the file. Errors name the
  // issuer and the step ("issuer pebble: registering the ACME account: ...").
  Result<acme::Signer> Signer(acme::Session& session);

  // Forgets the account URL `stale_url` (if it is still the current one), so the next
  // Signer() registers again with the same key.
  void Invalidate(const std::string& stale_url);

  // Where the account is kept.
  std::filesystem::path path() const;

 private:
  Status LoadOrCreateKey();
  Status Save() const;
  Status Register(acme::Session& session);

  const IssuerConfig config_;
  const crypto::Envelope& envelope_;
  const std::filesystem::path data_dir_;
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
