#include "acme/account.h"

#include <nlohmann/json.hpp>

#include "acme/json_fields.h"
#include "common/encoding.h"
#include "crypto/jwk.h"
#include "crypto/jws.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "account";

// Parses an account response and takes the URL from Location (§7.3: 201 or 200).
Result<Account> AccountFromResponse(const AcmeResponse& response, std::string_view step) {
  if (response.location.empty()) {
    return Fail(ErrorCode::kProtocol,
                std::string(step) + ": the CA sent no Location header (the account URL)");
  }
  auto account = ParseAccount(response.body, response.location);
  if (!account) return Fail(account.error().WithContext(step));
  return account;
}

}  // namespace

nlohmann::json AccountToJson(const Account& account) {
  nlohmann::json json = {
      {"url", account.url}, {"status", account.status}, {"contact", account.contact}};
  if (!account.orders.empty()) json["orders"] = account.orders;
  return json;
}

Result<Account> AccountFromJson(const nlohmann::json& json) {
  if (!json.is_object())
    return Fail(ErrorCode::kProtocol, "the CA sent an account that is not a JSON object");
  auto url = internal::OptionalString(json, "url", kWhat);
  auto status = internal::RequiredString(json, "status", kWhat);
  auto contact = internal::OptionalStringArray(json, "contact", kWhat);
  auto orders = internal::OptionalString(json, "orders", kWhat);
  if (!url) return Fail(url.error());
  if (!status) return Fail(status.error());
  if (!contact) return Fail(contact.error());
  if (!orders) return Fail(orders.error());
  return Account{std::move(*url), std::move(*status), std::move(*contact), std::move(*orders)};
}

Result<Account> ParseAccount(std::string_view body, std::string url) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  auto account = AccountFromJson(*json);
  if (!account) return Fail(account.error());
  account->url = std::move(url);
  return account;
}

Result<nlohmann::json> BuildExternalAccountBinding(const crypto::PrivateKey& account_key,
                                                   const ExternalAccountBinding& eab,
                                                   const std::string& new_account_url) {
  auto mac_key = Base64UrlDecode(eab.hmac_key_base64url);
  if (!mac_key || mac_key->empty()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "the External Account Binding HMAC key is not valid base64url (as the CA issued it)");
  }
  if (eab.key_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the External Account Binding key ID is empty");
  }
  nlohmann::json header = {{"alg", "HS256"}, {"kid", eab.key_id}, {"url", new_account_url}};
  return crypto::SignJwsHmac(*mac_key, header, crypto::PublicJwk(account_key).dump());
}

Result<Account> NewAccount(Session& session, const crypto::PrivateKey& key,
                           const NewAccountRequest& request) {
  const Directory& directory = session.directory();
  if (directory.external_account_required && !request.eab) {
    return Fail(ErrorCode::kInvalidArgument,
                "creating the ACME account: this CA requires External Account Binding (pass its "
                "key ID and HMAC key)");
  }
  nlohmann::json payload = {{"termsOfServiceAgreed", request.terms_of_service_agreed}};
  if (!request.contact.empty()) payload["contact"] = request.contact;
  if (request.eab) {
    auto binding = BuildExternalAccountBinding(key, *request.eab, directory.new_account);
    if (!binding) return Fail(binding.error().WithContext("creating the ACME account"));
    payload["externalAccountBinding"] = std::move(*binding);
  }
  auto response = session.Post(Signer{key, ""}, directory.new_account, payload.dump());
  if (!response) return Fail(response.error().WithContext("creating the ACME account"));
  return AccountFromResponse(*response, "creating the ACME account");
}

Result<Account> FindAccount(Session& session, const crypto::PrivateKey& key) {
  nlohmann::json payload = {{"onlyReturnExisting", true}};
  auto response = session.Post(Signer{key, ""}, session.directory().new_account, payload.dump());
  if (!response) return Fail(response.error().WithContext("looking up the ACME account"));
  return AccountFromResponse(*response, "looking up the ACME account");
}

Status RolloverAccountKey(Session& session, const Signer& signer,
                          const crypto::PrivateKey& new_key) {
  const std::string& url = session.directory().key_change;
  if (url.empty())
    return Fail(ErrorCode::kInvalidArgument,
                "rolling over the account key: the CA has no keyChange URL");
  // §7.3.5: the inner JWS has no nonce, carries the new key as jwk, and names the
  // account and the old key.
  nlohmann::json inner_header = {{"alg", crypto::JwsAlgorithm(new_key.type())},
                                 {"jwk", crypto::PublicJwk(new_key)},
                                 {"url", url}};
  nlohmann::json inner_payload = {{"account", signer.kid},
                                  {"oldKey", crypto::PublicJwk(signer.key)}};
  auto inner = crypto::SignJws(new_key, inner_header, inner_payload.dump());
  if (!inner) return Fail(inner.error().WithContext("rolling over the account key"));
  auto response = session.Post(signer, url, inner->dump());
  if (!response) return Fail(response.error().WithContext("rolling over the account key"));
  return Ok();
}

Result<Account> DeactivateAccount(Session& session, const Signer& signer) {
  nlohmann::json payload = {{"status", "deactivated"}};
  auto response = session.Post(signer, signer.kid, payload.dump());
  if (!response) return Fail(response.error().WithContext("deactivating the ACME account"));
  auto account = ParseAccount(response->body, signer.kid);
  if (!account) return Fail(account.error().WithContext("deactivating the ACME account"));
  return account;
}

}  // namespace certfleet::acme
