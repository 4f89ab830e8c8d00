// Authorizations (RFC 8555 §7.1.4, §7.5): the account's right to one identifier.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "acme/challenge.h"
#include "acme/order.h"
#include "acme/polling.h"
#include "acme/session.h"
#include "common/error.h"

namespace certfleet::acme {

struct Authorization {
  std::string url;
  std::string status;  // "pending", "valid", "invalid", "deactivated", "expired", "revoked"
  Identifier identifier;
  std::string expires;  // RFC 3339; "" when absent
  bool wildcard = false;
  std::vector<Challenge> challenges;

  // The challenge of `type`, or nullptr when the CA offers none.
  const Challenge* FindChallenge(std::string_view type) const;
  // The first challenge that failed with an error, or nullptr.
  const Challenge* FailedChallenge() const;
};

nlohmann::json AuthorizationToJson(const Authorization& authz);
Result<Authorization> AuthorizationFromJson(const nlohmann::json& json, std::string url);
// Fuzz entry point: parses an authorization response body.
Result<Authorization> ParseAuthorization(std::string_view body, std::string url);

// Fetches the authorization (POST-as-GET).
Result<Authorization> FetchAuthorization(Session& session, const Signer& signer,
                                         const std::string& url);

// Polls until the status is no longer "pending" (§7.5.1), following `policy`;
// kDeadlineExceeded when the deadline passes. The caller judges the final status.
Result<Authorization> PollAuthorization(Session& session, const Signer& signer,
                                        const std::string& url, const PollPolicy& policy);

// Deactivates an authorization (§7.5.2), e.g. to clean up after an abandoned order.
Result<Authorization> DeactivateAuthorization(Session& session, const Signer& signer,
                                              const std::string& url);

}  // namespace certfleet::acme
