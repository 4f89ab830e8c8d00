#include "acme/authorization.h"

#include <nlohmann/json.hpp>

#include "acme/json_fields.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "authorization";

Result<Identifier> IdentifierFromJson(const nlohmann::json& json) {
  auto it = json.find("identifier");
  if (it == json.end() || !it->is_object()) {
    return Fail(
        ErrorCode::kProtocol,
        "the CA sent a malformed authorization: \"identifier\" is missing or not an object");
  }
  auto type = internal::RequiredString(*it, "type", "authorization identifier");
  auto value = internal::RequiredString(*it, "value", "authorization identifier");
  if (!type) return Fail(type.error());
  if (!value) return Fail(value.error());
  return Identifier{std::move(*type), std::move(*value)};
}

Result<std::vector<Challenge>> ChallengesFromJson(const nlohmann::json& json) {
  auto it = json.find("challenges");
  if (it == json.end() || !it->is_array()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed authorization: \"challenges\" is missing or not an array");
  }
  std::vector<Challenge> challenges;
  for (const auto& element : *it) {
    auto challenge = ChallengeFromJson(element);
    if (!challenge) return Fail(challenge.error());
    challenges.push_back(std::move(*challenge));
  }
  return challenges;
}

Result<Authorization> AuthorizationFromResponse(const AcmeResponse& response,
                                                const std::string& url, std::string_view step) {
  auto authz = ParseAuthorization(response.body, url);
  if (!authz) return Fail(authz.error().WithContext(step));
  return authz;
}

}  // namespace

const Challenge* Authorization::FindChallenge(std::string_view type) const {
  for (const Challenge& challenge : challenges) {
    if (challenge.type == type) return &challenge;
  }
  return nullptr;
}

const Challenge* Authorization::FailedChallenge() const {
  for (const Challenge& challenge : challenges) {
    if (challenge.error) return &challenge;
  }
  return nullptr;
}

nlohmann::json AuthorizationToJson(const Authorization& authz) {
  nlohmann::json challenges = nlohmann::json::array();
  for (const Challenge& challenge : authz.challenges)
    challenges.push_back(ChallengeToJson(challenge));
  nlohmann::json json = {
      {"url", authz.url},
      {"status", authz.status},
      {"identifier", {{"type", authz.identifier.type}, {"value", authz.identifier.value}}},
      {"challenges", std::move(challenges)}};
  if (!authz.expires.empty()) json["expires"] = authz.expires;
  if (authz.wildcard) json["wildcard"] = true;
  return json;
}

Result<Authorization> AuthorizationFromJson(const nlohmann::json& json, std::string url) {
  if (!json.is_object())
    return Fail(ErrorCode::kProtocol, "the CA sent an authorization that is not a JSON object");
  auto status = internal::RequiredString(json, "status", kWhat);
  auto expires = internal::OptionalString(json, "expires", kWhat);
  auto wildcard = internal::OptionalBool(json, "wildcard", false, kWhat);
  auto identifier = IdentifierFromJson(json);
  if (!status) return Fail(status.error());
  if (!expires) return Fail(expires.error());
  if (!wildcard) return Fail(wildcard.error());
  if (!identifier) return Fail(identifier.error());
  auto challenges = ChallengesFromJson(json);
  if (!challenges) return Fail(challenges.error());
  return Authorization{std::move(url),      std::move(*status), std::move(*identifier),
                       std::move(*expires), *wildcard,          std::move(*challenges)};
}

Result<Authorization> ParseAuthorization(std::string_view body, std::string url) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  return AuthorizationFromJson(*json, std::move(url));
}

Result<Authorization> FetchAuthorization(Session& session, const Signer& signer,
                                         const std::string& url) {
  auto response = session.PostAsGet(signer, url);
  if (!response) return Fail(response.error().WithContext("fetching the authorization " + url));
  return AuthorizationFromResponse(*response, url, "fetching the authorization " + url);
}

Result<Authorization> PollAuthorization(Session& session, const Signer& signer,
                                        const std::string& url, const PollPolicy& policy) {
  const TimePoint started = session.clock().Now();
  std::optional<Duration> retry_after;
  for (int attempt = 0;; ++attempt) {
    auto delay = NextPollDelay(policy, attempt, retry_after, started, session.clock().Now());
    if (!delay) {
      return Fail(ErrorCode::kDeadlineExceeded,
                  "waiting for the authorization " + url + ": still pending after " +
                      std::to_string(policy.deadline.count()) + " ms");
    }
    session.clock().SleepFor(*delay);
    auto response = session.PostAsGet(signer, url);
    if (!response) return Fail(response.error().WithContext("polling the authorization " + url));
    auto authz = AuthorizationFromResponse(*response, url, "polling the authorization " + url);
    if (!authz) return Fail(authz.error());
    if (authz->status != "pending") return authz;
    retry_after = response->retry_after;
  }
}

Result<Authorization> DeactivateAuthorization(Session& session, const Signer& signer,
                                              const std::string& url) {
  auto response = session.Post(signer, url, R"({"status":"deactivated"})");
  if (!response) return Fail(response.error().WithContext("deactivating the authorization " + url));
  return AuthorizationFromResponse(*response, url, "deactivating the authorization " + url);
}

}  // namespace certfleet::acme
