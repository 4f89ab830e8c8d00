// Challenges (RFC 8555 §7.1.5, §7.5.1, §8): the proof of control the CA checks.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "acme/problem.h"
#include "acme/session.h"
#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::acme {

struct Challenge {
  std::string type;  // "http-01", "dns-01", "tls-alpn-01", ...
  std::string url;
  std::string status;     // "pending", "processing", "valid", "invalid"
  std::string token;      // §8.3/§8.4; "" for types without one
  std::string validated;  // RFC 3339; "" when absent
  std::optional<Problem> error;
};

nlohmann::json ChallengeToJson(const Challenge& challenge);
// kProtocol naming the member when `json` is not a challenge object. Types certfleet
// does not solve are accepted (their token is optional).
Result<Challenge> ChallengeFromJson(const nlohmann::json& json);

// §8.1: token "." base64url(JWK thumbprint of the account key).
std::string KeyAuthorization(std::string_view token, std::string_view account_thumbprint);
// §8.4: the dns-01 TXT record value, base64url(SHA-256(key authorization)).
std::string Dns01TxtValue(std::string_view key_authorization);
// §8.4: where the dns-01 TXT record goes: "_acme-challenge." + the identifier (for a
// wildcard authorization, the identifier without "*.": the same name as its apex).
std::string Dns01RecordName(std::string_view identifier);

// §8.3/§8.4: a token must be base64url with at least 128 bits of entropy (>= 22
// characters); we also cap it. Anything else would end up in a URL path or file name.
bool IsValidChallengeToken(std::string_view token);

// Tells the CA the challenge is ready (§7.5.1: POST "{}" to the challenge URL) and
// returns the challenge as the CA answered.
Result<Challenge> RespondToChallenge(Session& session, const Signer& signer,
                                     const std::string& challenge_url);

}  // namespace certfleet::acme
