// ACME accounts (RFC 8555 §7.3): create, find, External Account Binding, key
// rollover, deactivation.
//
// The account key is the caller's: these functions never store it. An Account is a
// plain value the caller persists (ToJson/AccountFromJson) beside its key.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acme/session.h"
#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::acme {

struct Account {
  std::string url;                   // the account URL: the "kid" of every later request
  std::string status;                // "valid", "deactivated", "revoked"
  std::vector<std::string> contact;  // "mailto:ops@example.com"
  std::string orders;                // the orders list URL; "" when the CA omits it
};

nlohmann::json AccountToJson(const Account& account);
// kProtocol naming the member when `json` is not an account object.
Result<Account> AccountFromJson(const nlohmann::json& json);
// Fuzz entry point: parses a newAccount/account response body; `url` from Location.
Result<Account> ParseAccount(std::string_view body, std::string url);

// External Account Binding credentials (§7.3.4) as the CA hands them out.
struct ExternalAccountBinding {
  std::string key_id;
  std::string hmac_key_base64url;  // the MAC key, base64url (padding tolerated)
};

struct NewAccountRequest {
  std::vector<std::string> contact;  // e.g. {"mailto:ops@example.com"}
  bool terms_of_service_agreed = true;
  std::optional<ExternalAccountBinding> eab;
};

// The externalAccountBinding member (§7.3.4): an HS256 JWS over the account's public
// JWK, protected {"alg":"HS256","kid":key_id,"url":new_account_url}.
// kInvalidArgument when the MAC key is not base64url or empty.
Result<nlohmann::json> BuildExternalAccountBinding(const crypto::PrivateKey& account_key,
                                                   const ExternalAccountBinding& eab,
                                                   const std::string& new_account_url);

// Creates the account for `key`, or returns the existing one (the CA answers 200 with
// its URL, §7.3.1). kInvalidArgument when the directory requires EAB and none is given.
Result<Account> NewAccount(Session& session, const crypto::PrivateKey& key,
                           const NewAccountRequest& request);

// Looks up the account of `key` without creating one (§7.3.1 onlyReturnExisting).
// kNotFound when the CA has none (accountDoesNotExist).
Result<Account> FindAccount(Session& session, const crypto::PrivateKey& key);

// Replaces the account key (§7.3.5): an inner JWS signed by `new_key` (with jwk) inside
// an outer JWS signed by the current key (`signer`, with kid). On success the caller
// must sign with Signer{new_key, signer.kid} from now on.
Status RolloverAccountKey(Session& session, const Signer& signer,
                          const crypto::PrivateKey& new_key);

// Deactivates the account (§7.3.6); the CA then refuses every request it signs.
Result<Account> DeactivateAccount(Session& session, const Signer& signer);

}  // namespace certfleet::acme
