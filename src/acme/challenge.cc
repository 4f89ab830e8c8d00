#include "acme/challenge.h"

#include <nlohmann/json.hpp>

#include "acme/json_fields.h"
#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "challenge";
constexpr size_t kMinTokenLength = 22;  // 128 bits of base64url (§8.3)
constexpr size_t kMaxTokenLength = 256;

}  // namespace

nlohmann::json ChallengeToJson(const Challenge& challenge) {
  nlohmann::json json = {
      {"type", challenge.type}, {"url", challenge.url}, {"status", challenge.status}};
  if (!challenge.token.empty()) json["token"] = challenge.token;
  if (!challenge.validated.empty()) json["validated"] = challenge.validated;
  if (challenge.error) json["error"] = ProblemToJson(*challenge.error);
  return json;
}

Result<Challenge> ChallengeFromJson(const nlohmann::json& json) {
  if (!json.is_object())
    return Fail(ErrorCode::kProtocol, "the CA sent a challenge that is not a JSON object");
  auto type = internal::RequiredString(json, "type", kWhat);
  auto url = internal::RequiredString(json, "url", kWhat);
  auto status = internal::RequiredString(json, "status", kWhat);
  auto token = internal::OptionalString(json, "token", kWhat);
  auto validated = internal::OptionalString(json, "validated", kWhat);
  for (const auto* field : {&type, &url, &status, &token, &validated}) {
    if (!*field) return Fail(field->error());
  }
  if (!internal::LooksLikeHttpUrl(*url)) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed challenge: \"url\" is not an http(s) URL");
  }
  Challenge challenge{std::move(*type),  std::move(*url),       std::move(*status),
                      std::move(*token), std::move(*validated), std::nullopt};
  if (auto it = json.find("error"); it != json.end() && !it->is_null()) {
    auto problem = ProblemFromJson(*it, 0);
    if (!problem) return Fail(problem.error());
    challenge.error = std::move(*problem);
  }
  return challenge;
}

std::string KeyAuthorization(std::string_view token, std::string_view account_thumbprint) {
  std::string key_authorization(token);
  key_authorization += '.';
  key_authorization += account_thumbprint;
  return key_authorization;
}

std::string Dns01TxtValue(std::string_view key_authorization) {
  return Base64UrlEncode(crypto::Sha256(key_authorization));
}

std::string Dns01RecordName(std::string_view identifier) {
  if (identifier.starts_with("*.")) identifier.remove_prefix(2);
  return "_acme-challenge." + std::string(identifier);
}

bool IsValidChallengeToken(std::string_view token) {
  if (token.size() < kMinTokenLength || token.size() > kMaxTokenLength) return false;
  for (char c : token) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<Challenge> RespondToChallenge(Session& session, const Signer& signer,
                                     const std::string& challenge_url) {
  auto response = session.Post(signer, challenge_url, "{}");
  if (!response) return Fail(response.error());
  auto json = internal::ParseJsonObject(response->body, kWhat);
  if (!json) return Fail(json.error());
  return ChallengeFromJson(*json);
}

}  // namespace certfleet::acme
